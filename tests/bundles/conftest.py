import datetime
from decimal import Decimal

import pytest

from agents.block2_services import workloads_pin
from foundation import quiz_services
from foundation.models import Question
from kpis import services as kpi_services
from kpis.models import KpiDefinition
from targets import services as target_services
from targets.models import ValueTarget
from targets.permissions import FinanceRole
from targets.selectors import agent_finance
from tests import factories
from workshops import live
from workshops import services as workshop_services
from workshops.models import ActionItem, Workshop

D = Decimal
AT = datetime.datetime(2026, 12, 10, 9, 0, tzinfo=datetime.UTC)
SCRIPT = "<script>alert('x')</script>"


def minutes(n: int) -> datetime.datetime:
    return AT + datetime.timedelta(minutes=n)


def block4(kpi):
    """Benchmarks (vendor and peer), constraints, targets and economics for a lower-is-better
    KPI with a baseline of 120."""
    for values in (
        {
            "kind": "vendor",
            "description": "Vendor case study: global shipper",
            "improvement_percent": D(60),
            "source": "Vendor white paper 2025",
            "discount_percent": D(40),
        },
        {
            "kind": "peer",
            "description": "Peer logistics firm",
            "improvement_percent": D("25.5"),
            "source": "Industry round table",
            "discount_percent": None,
        },
    ):
        target_services.benchmark_add(kpi=kpi, values=values)
    target_services.constraints_set(
        kpi=kpi,
        version=None,
        values={
            "change_management": True,
            "data_readiness": False,
            "organisational_capacity": True,
            "other": False,
            "notes": "AP clerks need retraining",
            "adoption_6m_percent": D(50),
            "adoption_12m_percent": D("82.5"),
        },
    )
    target_services.targets_set(
        kpi=kpi,
        version=None,
        values={
            "floor_6m": D(110),
            "target_6m": D(100),
            "stretch_6m": D(90),
            "floor_12m": D(95),
            "target_12m": D(80),
            "stretch_12m": D(65),
            "assumptions": "Invoice volume stays near 4,000 a month.",
        },
    )


def finance_role(workshop, user):
    return FinanceRole(workshop=workshop, name=user.get_full_name(), title="", user=user)


def sign_off(agent, user, *, now):
    return target_services.signoff_record(
        agent=agent,
        role=finance_role(agent.workshop, user),
        title="CFO",
        seen_sha256=agent_finance(agent_id=agent.pk).sha256,
        now=now,
    )


NO_BASELINE_KPI = {
    "category": "quality",
    "unit": "invoices per month",
    "direction": "lower",
    "data_source_system": "AP exception queue",
    "data_source_owner": "Rita Quality",
    "measurement_frequency": "monthly",
    "feasibility": "instrument",
    "baseline_value": None,
    "baseline_as_of": None,
    "baseline_source": "",
    "no_baseline": True,
}


@pytest.fixture
def rich_workshop(facilitator):
    return build_rich_workshop(facilitator)


def build_rich_workshop(facilitator) -> Workshop:
    """A live workshop with everything a bundle carries: two facilitators, a finance reviewer,
    tables and participants (one removed), the agenda running, pre-work, actions (manual,
    baseline, one left by a deleted KPI), three agents (one signed off after a void sign-off,
    with a library KPI and a priced workload; one with a change request through an invite;
    one unassigned with HTML in its text) and a knowledge check with answers."""
    co_host = factories.make_facilitator(username="co-host")
    finance = factories.make_user(username="fran", first_name="Fran", last_name="Okafor")
    workshop = factories.make_workshop(
        facilitator=facilitator,
        client_organisation="Acme Freight",
        venue="Head office, Room 4.01",
        currency="EUR",
        usd_exchange_rate=D("0.92"),
    )
    workshop.facilitators.add(co_host)
    workshop.finance_reviewers.add(finance)
    Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.LIVE)
    workshop.refresh_from_db()

    table_a = factories.make_table(workshop=workshop, name="Table A")
    table_b = factories.make_table(workshop=workshop, name="Table B")
    sam = factories.make_participant(table=table_a, display_name="Sam")
    priya = factories.make_participant(table=table_a, display_name="Priya Natarajan")
    factories.make_participant(table=table_b, display_name="Lee")
    gone = factories.make_participant(table=table_b, display_name="Left early")
    gone.removed = True
    gone.save(update_fields=["removed"])

    live.run_start(workshop=workshop, now=minutes(0))
    live.run_next(workshop=workshop, now=minutes(16))
    live.run_pause(workshop=workshop, now=minutes(20))
    live.projector_show(workshop=workshop, view="board")
    prework = workshop.prework_items.order_by("position").first()
    workshop_services.prework_update(item=prework, status="done", note="Sent on Monday")
    workshop_services.action_create(
        workshop=workshop,
        owner="Ana",
        action="Book the follow-up session",
        due_date=datetime.date(2026, 12, 20),
    )

    # Agent 1: a library KPI and a custom one, a priced workload, signed off, reopened (void),
    # changed and signed off again.
    triage = factories.classify_agent(
        factories.make_agent(workshop=workshop, table=table_a, name="Invoice Triage Agent")
    )
    model = factories.make_llm_model(provider="Acme AI", name="swift-2")
    triage.workload_model = model
    triage.input_tokens_per_call = 2500
    triage.output_tokens_per_call = 400
    triage.model_calls_per_task = 3
    triage.tasks_per_month = 4000
    triage.save()
    workloads_pin(workshop=workshop)  # the list price is copied, as saving the workload does
    definition = KpiDefinition.objects.order_by("position").first()
    hours = factories.make_agent_kpi(
        agent=triage,
        definition=definition,
        name="Hours spent matching invoices per week",
        baseline_value=D("120.5"),
    )
    block4(hours)
    errors = factories.make_agent_kpi(
        agent=triage, name="Invoices needing rework per month", baseline_value=D(120)
    )
    block4(errors)
    factories.make_economics(agent=triage, value_kpi=hours, tasks_per_month=D(4000))
    sign_off(triage, finance, now=minutes(200))
    target_services.signoff_reopen(
        agent=triage,
        reason="Table revises the 12-month target",
        voided_by=facilitator,
        now=minutes(210),
    )
    ValueTarget.objects.filter(kpi=errors).update(target_12m=D(78))
    sign_off(triage, finance, now=minutes(230))

    # Agent 2: a KPI waiting for its baseline (an open task) with no comparable evidence, one
    # deleted after its task was done, an invite and a change request made through it.
    upsell = factories.classify_agent(
        factories.make_agent(workshop=workshop, table=table_b, name="Upsell Lead Finder")
    )
    leads = kpi_services.agent_kpi_add(
        agent=upsell, values={"name": "Qualified leads per month", **NO_BASELINE_KPI}
    )
    target_services.no_evidence_set(
        kpi=leads, version=None, reason="No similar firm sells a premium tier like ours."
    )
    dropped = kpi_services.agent_kpi_add(
        agent=upsell, values={"name": "Disputed invoices per month", **NO_BASELINE_KPI}
    )
    ActionItem.objects.filter(origin_key=dropped.baseline_action_key).update(status="done")
    kpi_services.agent_kpi_delete(kpi=dropped)
    invite, token = target_services.invite_create(
        workshop=workshop, name="Fran Okafor", title="CFO", created_by=facilitator, now=AT
    )
    target_services.invite_redeem(token=token, now=minutes(5))
    target_services.changes_request(
        agent=upsell,
        role=FinanceRole(workshop=workshop, name="Fran Okafor", title="CFO", invite=invite),
        comment="Where does the 30 % conversion come from?",
    )

    # Agent 3: unassigned, not started, with HTML in its text.
    factories.make_agent(
        workshop=workshop, table=None, name=f"Agent {SCRIPT}", description=SCRIPT, priority_rank=3
    )

    # The knowledge check: one question closed with two answers, the next one open.
    first, second = Question.objects.filter(active=True).order_by("position", "pk")[:2]
    run = quiz_services.quiz_question_open(workshop=workshop, question=first)
    quiz_services.quiz_answer(participant=sam, run_id=run.pk, choice=first.correct_choice)
    quiz_services.quiz_answer(participant=priya, run_id=run.pk, choice=0)
    quiz_services.quiz_question_close(workshop=workshop)
    run = quiz_services.quiz_question_open(workshop=workshop, question=second)
    quiz_services.quiz_answer(participant=sam, run_id=run.pk, choice=1)
    workshop.refresh_from_db()
    return workshop
