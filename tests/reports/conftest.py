import datetime
from decimal import Decimal

import pytest

from foundation import quiz_services
from foundation.models import Question
from kpis import services as kpi_services
from targets import services as target_services
from targets.permissions import FinanceRole
from targets.selectors import agent_finance
from tests import factories

D = Decimal

THESIS_SUBJECT = "manual invoice matching hours in accounts payable"
THESIS_MECHANISM = "matching invoices to purchase orders and routing exceptions"


@pytest.fixture
def register_workshop(db):
    """Acme Freight with two agents at Table A: one classified with two KPIs (one measured,
    one waiting for its baseline), one not started."""
    facilitator = factories.make_user(username="ana", first_name="Ana", last_name="Facilitator")
    workshop = factories.make_workshop(
        facilitator=facilitator,
        client_organisation="Acme Freight",
        title="AI FinOps Workshop",
        venue="Head office, Room 4.01",
        date=datetime.date(2026, 12, 10),
        status="live",
    )
    finance = factories.make_user(username="fiona", first_name="Fiona", last_name="Finance")
    workshop.finance_reviewers.add(finance)
    table = factories.make_table(workshop=workshop, name="Table A")
    triage = factories.make_agent(
        workshop=workshop,
        table=table,
        name="Invoice Triage Agent",
        priority_rank=1,
        business_process="Accounts payable",
        owner_name="Dana Whitfield",
    )
    factories.classify_agent(
        triage, thesis_subject=THESIS_SUBJECT, thesis_mechanism=THESIS_MECHANISM
    )
    hours = factories.make_agent_kpi(
        agent=triage,
        name="Hours spent matching invoices per week",
        baseline_value=Decimal("120.5000"),
        baseline_as_of=datetime.date(2026, 11, 1),
        baseline_source="October AP report",
    )
    set_block4(hours)
    kpi_services.agent_kpi_add(
        agent=triage,
        values={
            "name": "Invoices needing rework per month",
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
        },
    )
    factories.make_agent(
        workshop=workshop,
        table=table,
        name="Upsell Lead Finder",
        priority_rank=2,
        business_process="Account management",
        description="Finds customers whose volumes suggest a premium service tier.",
    )
    run_knowledge_check(workshop, table)
    return workshop


def run_knowledge_check(workshop, table):
    """One question asked: Sam answers right, Kim wrong."""
    question = Question.objects.get(key="output-price")
    run = quiz_services.quiz_question_open(workshop=workshop, question=question)
    sam = factories.make_participant(table=table, display_name="Sam")
    kim = factories.make_participant(table=table, display_name="Kim")
    quiz_services.quiz_answer(participant=sam, run_id=run.pk, choice=question.correct_choice)
    quiz_services.quiz_answer(participant=kim, run_id=run.pk, choice=0)
    quiz_services.quiz_question_close(workshop=workshop)


ASSUMPTIONS = "Invoice volume stays near 4,000 a month.\nClerks adopt the exception queue by March."


def set_block4(kpi, **targets):
    """Benchmarks, constraints, targets and economics for a lower-is-better KPI with a
    baseline of 120.5 (targets override the thresholds)."""
    target_services.benchmark_add(
        kpi=kpi,
        values={
            "kind": "vendor",
            "description": "Vendor case study: global shipper",
            "improvement_percent": D(60),
            "source": "Vendor white paper 2025",
            "discount_percent": D(40),
        },
    )
    target_services.benchmark_add(
        kpi=kpi,
        values={
            "kind": "peer",
            "description": "Peer logistics firm",
            "improvement_percent": D(25),
            "source": "Industry round table",
            "discount_percent": None,
        },
    )
    target_services.constraints_set(
        kpi=kpi,
        version=None,
        values={
            "change_management": True,
            "data_readiness": True,
            "organisational_capacity": False,
            "other": False,
            "notes": "AP clerks need retraining",
            "adoption_6m_percent": D(50),
            "adoption_12m_percent": D(80),
        },
    )
    thresholds = {
        "floor_6m": D(110),
        "target_6m": D(100),
        "stretch_6m": D(90),
        "floor_12m": D(95),
        "target_12m": D(80),
        "stretch_12m": D(65),
        **targets,
    }
    target_services.targets_set(
        kpi=kpi, version=None, values={**thresholds, "assumptions": ASSUMPTIONS}
    )
    target_services.economics_set(
        agent=kpi.agent,
        version=None,
        values={
            "value_kpi": kpi,
            "value_per_unit": D(45),
            "value_basis": "Loaded clerk cost per hour",
            "period": "week",
            "tasks_per_month": None,
            "model_cost_monthly": D(800),
            "other_monthly_cost": D(200),
            "build_cost": D(25000),
        },
    )


def sign_off(agent, user, *, title="CFO", now=None):
    """Finance signs the agent off as `user` (a finance reviewer of its workshop)."""
    role = FinanceRole(workshop=agent.workshop, name=user.get_full_name(), title="", user=user)
    return target_services.signoff_record(
        agent=agent,
        role=role,
        title=title,
        seen_sha256=agent_finance(agent_id=agent.pk).sha256,
        now=now,
    )


@pytest.fixture
def signed_workshop(db):
    return make_signed_workshop()


def make_signed_workshop():
    """Beta Foods with one agent whose two KPIs are complete (the second without comparable
    evidence), signed off by Carla Cash (a finance account)."""
    facilitator = factories.make_user(username="ben", first_name="Ben", last_name="Host")
    workshop = factories.make_workshop(
        facilitator=facilitator, client_organisation="Beta Foods", date=datetime.date(2026, 12, 10)
    )
    finance = factories.make_user(username="carla", first_name="Carla", last_name="Cash")
    workshop.finance_reviewers.add(finance)
    agent = factories.make_agent(workshop=workshop, name="Order Entry Agent", priority_rank=1)
    factories.classify_agent(agent)
    kpi = factories.make_agent_kpi(
        agent=agent,
        name="Hours spent keying orders per week",
        baseline_value=Decimal("120.5"),
        baseline_as_of=datetime.date(2026, 11, 1),
    )
    set_block4(kpi)
    second = factories.make_agent_kpi(agent=agent, name="Orders keyed twice per week")
    factories.make_no_evidence(kpi=second)
    factories.make_constraints(kpi=second)
    factories.make_value_target(kpi=second)
    sign_off(
        agent,
        finance,
        now=datetime.datetime(2026, 12, 10, 15, 30, tzinfo=datetime.UTC),
    )
    return workshop
