"""targets/services.py: the writes of Block 4, their refusals, the lock and the sign-off."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agents.models import Agent
from kpis.models import AgentKpi
from targets import rules, selectors, services
from targets.locks import AgentLocked, agent_is_locked
from targets.models import (
    AgentEconomics,
    BenchmarkEvidence,
    ConstraintAnalysis,
    FinanceChangeRequest,
    FinanceInvite,
    FinanceSignOff,
    ValueTarget,
)
from targets.permissions import FinanceRole
from tests import factories
from workshops.concurrency import EditConflict
from workshops.models import Workshop

D = Decimal
GOOD_TARGETS = {
    "floor_6m": D("110"),
    "target_6m": D("100"),
    "stretch_6m": D("90"),
    "floor_12m": D("100"),
    "target_12m": D("80"),
    "stretch_12m": D("60"),
    "assumptions": "Invoice volumes stay at 2026 levels; AP team of six.",
}


def revision(workshop) -> int:
    return Workshop.objects.get(pk=workshop.pk).revision


def role_for(workshop, *, name="Fran Okafor", title="CFO", user=None) -> FinanceRole:
    return FinanceRole(workshop=workshop, name=name, title=title, user=user)


def sign(agent, *, role=None, title="CFO"):
    role = role or role_for(agent.workshop)
    finance = selectors.agent_finance(agent_id=agent.pk)
    return services.signoff_record(agent=agent, role=role, title=title, seen_sha256=finance.sha256)


# --- Benchmarks -------------------------------------------------------------------------------


def test_benchmark_add_saves_and_touches(kpi, live_workshop):
    before = revision(live_workshop)
    benchmark = services.benchmark_add(
        kpi=kpi,
        values={
            "kind": "vendor",
            "description": "  Vendor   case study ",
            "improvement_percent": D("60"),
            "source": "Vendor site",
            "discount_percent": D("35"),
        },
    )
    assert (benchmark.description, benchmark.usable_percent) == ("Vendor case study", D("39.00"))
    assert revision(live_workshop) == before + 1


def test_benchmark_add_peer_keeps_default_discount(kpi):
    benchmark = services.benchmark_add(
        kpi=kpi,
        values={
            "kind": "peer",
            "description": "Freight forwarder",
            "improvement_percent": D("30"),
            "source": "Reference call",
            "discount_percent": None,
        },
    )
    assert (benchmark.discount_percent, benchmark.usable_percent) == (D("40"), D("30.00"))


def test_benchmark_add_refuses_bad_values(kpi):
    with pytest.raises(ValidationError) as raised:
        services.benchmark_add(
            kpi=kpi,
            values={
                "kind": "vendor",
                "description": "",
                "improvement_percent": D("60"),
                "source": "x",
                "discount_percent": D("20"),
            },
        )
    assert raised.value.message_dict == {
        "description": ["Say who achieved it, e.g. 'Mid-size European freight forwarder'."],
        "discount_percent": ["Discount vendor claims by 30 to 50 % (you chose 20 %)."],
    }
    assert BenchmarkEvidence.objects.count() == 0


def test_benchmark_add_other_table_refused(kpi, live_workshop):
    other = factories.make_table(workshop=live_workshop, name="Table 2")
    with pytest.raises(Agent.DoesNotExist):
        services.benchmark_add(
            kpi=kpi,
            values={
                "kind": "peer",
                "description": "Peer",
                "improvement_percent": D("10"),
                "source": "s",
                "discount_percent": None,
            },
            table_id=other.pk,
        )
    assert BenchmarkEvidence.objects.count() == 0


def test_benchmark_update_stale_version_conflicts(kpi):
    benchmark = factories.make_benchmark(kpi=kpi)
    values = {
        "kind": "vendor",
        "description": "Vendor case study",
        "improvement_percent": D("60"),
        "source": "Industry report 2026",
        "discount_percent": D("50"),
    }
    services.benchmark_update(benchmark=benchmark, version=1, values=values)
    with pytest.raises(EditConflict) as raised:
        services.benchmark_update(benchmark=benchmark, version=1, values=values)
    assert raised.value.current.version == 2


# --- Constraints ------------------------------------------------------------------------------


CONSTRAINTS = {
    "change_management": True,
    "data_readiness": False,
    "organisational_capacity": True,
    "other": False,
    "notes": "Works council must approve.",
    "adoption_6m_percent": D("40"),
    "adoption_12m_percent": D("75"),
}


def test_constraints_set_creates_then_updates(kpi):
    first = services.constraints_set(kpi=kpi, version=None, values=CONSTRAINTS)
    assert first.constraint_labels == ["Change management", "Organisational capacity"]
    second = services.constraints_set(
        kpi=kpi, version=first.version, values={**CONSTRAINTS, "adoption_12m_percent": D("80")}
    )
    assert (second.version, second.adoption_12m_percent) == (2, D("80"))


def test_constraints_set_second_creation_conflicts(kpi):
    services.constraints_set(kpi=kpi, version=None, values=CONSTRAINTS)
    with pytest.raises(EditConflict):
        services.constraints_set(kpi=kpi, version=None, values=CONSTRAINTS)
    assert ConstraintAnalysis.objects.count() == 1


def test_constraints_set_refuses_adoption_falling(kpi):
    with pytest.raises(ValidationError) as raised:
        services.constraints_set(
            kpi=kpi,
            version=None,
            values={**CONSTRAINTS, "adoption_6m_percent": D("80"), "adoption_12m_percent": D("50")},
        )
    assert raised.value.message_dict == {
        "adoption_12m_percent": [
            "Adoption at 12 months (50 %) cannot be below adoption at 6 months (80 %)."
        ]
    }
    assert ConstraintAnalysis.objects.count() == 0


# --- Targets ----------------------------------------------------------------------------------


def test_targets_set_confirms_and_touches(kpi, live_workshop):
    before = revision(live_workshop)
    target = services.targets_set(kpi=kpi, version=None, values=GOOD_TARGETS)
    assert target.values[(12, "stretch")] == D("60")
    assert revision(live_workshop) == before + 1


def test_targets_set_refuses_broken_rules_with_numbers(kpi):
    with pytest.raises(ValidationError) as raised:
        services.targets_set(kpi=kpi, version=None, values={**GOOD_TARGETS, "target_6m": D("115")})
    assert raised.value.message_dict == {
        "target_6m": [
            "The 6-month target (115) must be below the floor (110): for 'Hours spent "
            "matching invoices per week' lower is better."
        ]
    }
    assert ValueTarget.objects.count() == 0


def test_targets_set_without_baseline_cannot_be_confirmed(agent):
    kpi = factories.make_agent_kpi(
        agent=agent, baseline_value=None, baseline_as_of=None, baseline_source="", no_baseline=True
    )
    with pytest.raises(ValidationError) as raised:
        services.targets_set(kpi=kpi, version=None, values=GOOD_TARGETS)
    assert raised.value.messages == [rules.NO_BASELINE]
    assert ValueTarget.objects.count() == 0


def test_targets_set_stale_version_conflicts(kpi):
    services.targets_set(kpi=kpi, version=None, values=GOOD_TARGETS)
    services.targets_set(kpi=kpi, version=1, values={**GOOD_TARGETS, "stretch_12m": D("55")})
    with pytest.raises(EditConflict) as raised:
        services.targets_set(kpi=kpi, version=1, values=GOOD_TARGETS)
    assert raised.value.current.stretch_12m == D("55")


# --- Economics --------------------------------------------------------------------------------

ECONOMICS = {
    "value_per_unit": D("45"),
    "value_basis": "Loaded hourly cost",
    "period": "week",
    "tasks_per_month": None,
    "model_cost_monthly": D("1500"),
    "other_monthly_cost": D("200"),
    "build_cost": D("40000"),
}


def test_economics_set_and_summary_worked_example(agent, kpi):
    services.targets_set(kpi=kpi, version=None, values=GOOD_TARGETS)
    services.economics_set(agent=agent, version=None, values={**ECONOMICS, "value_kpi": kpi})
    summary = selectors.agent_finance(agent_id=agent.pk).economics
    assert [(s.level, s.roi, s.payback) for s in summary.scenarios] == [
        ("floor", D("0.58"), D("23.5")),
        ("target", D("1.16"), D("10.4")),
        ("stretch", D("1.74"), D("7.5")),
    ]
    assert summary.run_cost == D("1700.00")


def test_economics_set_refuses_a_kpi_of_another_agent(agent, table):
    other = factories.make_agent(table=table, name="Other agent")
    foreign = factories.make_agent_kpi(agent=other)
    with pytest.raises(ValidationError) as raised:
        services.economics_set(
            agent=agent, version=None, values={**ECONOMICS, "value_kpi": foreign}
        )
    assert raised.value.message_dict == {"value_kpi": ["Choose one of this agent's KPIs."]}
    assert AgentEconomics.objects.count() == 0


def test_economics_summary_says_what_is_missing(agent, kpi):
    services.economics_set(agent=agent, version=None, values={**ECONOMICS, "value_kpi": kpi})
    summary = selectors.agent_finance(agent_id=agent.pk).economics
    assert summary.missing == [
        "Set the floor, target and stretch of 'Hours spent matching invoices per week'."
    ]


# --- Invites ----------------------------------------------------------------------------------


def test_invite_create_stores_only_the_hash(live_workshop):
    invite, token = factories.make_finance_invite(workshop=live_workshop)
    assert invite.token_hash == services.token_hash(token)
    assert token not in invite.token_hash
    assert invite.expires_at - invite.created_at > datetime.timedelta(days=6, hours=23)


def test_invite_redeem_once(live_workshop):
    invite, token = factories.make_finance_invite(workshop=live_workshop)
    assert services.invite_redeem(token=token).pk == invite.pk
    with pytest.raises(services.InviteRefused) as raised:
        services.invite_redeem(token=token)
    assert raised.value.message == services.INVITE_USED
    assert FinanceInvite.objects.get(pk=invite.pk).used_at is not None


def test_invite_redeem_expired_refused(live_workshop):
    invite, token = factories.make_finance_invite(workshop=live_workshop, valid_days=1)
    later = timezone.now() + datetime.timedelta(days=2)
    with pytest.raises(services.InviteRefused) as raised:
        services.invite_redeem(token=token, now=later)
    assert raised.value.message.startswith("This finance invite expired on ")
    assert FinanceInvite.objects.get(pk=invite.pk).used_at is None


def test_invite_redeem_revoked_refused(live_workshop):
    invite, token = factories.make_finance_invite(workshop=live_workshop)
    services.invite_revoke(invite=invite)
    with pytest.raises(services.InviteRefused) as raised:
        services.invite_redeem(token=token)
    assert raised.value.message == services.INVITE_REVOKED


def test_invite_redeem_unknown_token_refused(live_workshop):
    with pytest.raises(services.InviteRefused) as raised:
        services.invite_redeem(token="not-a-token")
    assert (raised.value.message, raised.value.status) == (services.INVITE_UNKNOWN, 404)


# --- Sign-off, lock, change requests, reopen --------------------------------------------------


def test_signoff_record_stores_who_when_and_hash(live_workshop, finance_user):
    agent = factories.make_ready_agent(workshop=live_workshop)
    finance = selectors.agent_finance(agent_id=agent.pk)
    signoff = services.signoff_record(
        agent=agent,
        role=role_for(live_workshop, name="Fran Okafor", user=finance_user),
        title="Group CFO",
        seen_sha256=finance.sha256,
    )
    assert (signoff.signer_name, signoff.signer_title, signoff.signer_user) == (
        "Fran Okafor",
        "Group CFO",
        finance_user,
    )
    assert signoff.values_sha256 == finance.sha256
    assert len(signoff.values_sha256) == 64
    assert agent_is_locked(agent)
    assert selectors.agent_finance(agent_id=agent.pk).status == selectors.SIGNED


def test_signoff_record_refuses_stale_values(live_workshop):
    agent = factories.make_ready_agent(workshop=live_workshop)
    seen = selectors.agent_finance(agent_id=agent.pk).sha256
    ValueTarget.objects.filter(kpi__agent=agent).update(stretch_12m=D("50"))
    with pytest.raises(ValidationError) as raised:
        services.signoff_record(
            agent=agent, role=role_for(live_workshop), title="CFO", seen_sha256=seen
        )
    assert raised.value.messages == [services.STALE_VALUES]
    assert FinanceSignOff.objects.count() == 0


def test_signoff_record_refuses_incomplete_targets(agent, kpi):
    with pytest.raises(ValidationError) as raised:
        sign(agent)
    assert raised.value.messages == [
        "The agent has 1 KPI: choose 2 or 3.",
        "“Hours spent matching invoices per week” has no benchmark evidence: add some, or "
        "state that there is no comparable evidence and why.",
        "“Hours spent matching invoices per week” has no constraint analysis with the "
        "adoption at 6 and 12 months.",
        "“Hours spent matching invoices per week” has no confirmed floor, target and stretch "
        "at 6 and 12 months with their assumptions.",
    ]
    assert FinanceSignOff.objects.count() == 0


def test_signoff_record_refuses_second_signoff(live_workshop):
    agent = factories.make_ready_agent(workshop=live_workshop)
    sign(agent)
    with pytest.raises(AgentLocked):
        sign(agent)
    assert FinanceSignOff.objects.count() == 1


def test_signoff_record_refuses_finance_of_another_workshop(live_workshop):
    agent = factories.make_ready_agent(workshop=live_workshop)
    other = factories.make_workshop(client_organisation="Beta Logistics")
    with pytest.raises(PermissionError):
        sign(agent, role=role_for(other))
    assert FinanceSignOff.objects.count() == 0


def test_signoff_record_refuses_a_missing_title(live_workshop):
    agent = factories.make_ready_agent(workshop=live_workshop)
    with pytest.raises(ValidationError) as raised:
        sign(agent, role=role_for(live_workshop, title=""), title=" ")
    assert raised.value.message_dict == {
        "title": ["Give your role or title, e.g. 'CFO' or 'Finance lead'."]
    }


def test_signoff_resolves_open_change_requests(live_workshop):
    agent = factories.make_ready_agent(workshop=live_workshop)
    services.changes_request(agent=agent, role=role_for(live_workshop), comment="Lower stretch")
    sign(agent)
    assert FinanceChangeRequest.objects.get().resolved_at is not None


def test_locked_agent_refuses_target_writes(live_workshop):
    agent = factories.make_ready_agent(workshop=live_workshop)
    kpi = agent.kpis.first()
    sign(agent)
    before = ValueTarget.objects.get(kpi=kpi)
    with pytest.raises(AgentLocked) as raised:
        services.targets_set(
            kpi=kpi, version=before.version, values={**GOOD_TARGETS, "stretch_12m": D("40")}
        )
    assert "Finance signed off this agent on " in raised.value.messages[0]
    assert "Ask the facilitator to reopen it before changing anything." in raised.value.messages[0]
    assert ValueTarget.objects.get(kpi=kpi).stretch_12m == D("60")
    for write in (
        lambda: services.constraints_set(kpi=kpi, version=None, values=CONSTRAINTS),
        lambda: services.benchmark_add(
            kpi=kpi,
            values={
                "kind": "peer",
                "description": "Peer",
                "improvement_percent": D("10"),
                "source": "s",
                "discount_percent": None,
            },
        ),
        lambda: services.economics_set(
            agent=agent, version=1, values={**ECONOMICS, "value_kpi": kpi}
        ),
    ):
        with pytest.raises(AgentLocked):
            write()


def test_changes_request_refused_once_signed(live_workshop):
    agent = factories.make_ready_agent(workshop=live_workshop)
    sign(agent)
    with pytest.raises(AgentLocked):
        services.changes_request(agent=agent, role=role_for(live_workshop), comment="Too high")
    assert FinanceChangeRequest.objects.count() == 0


def test_signoff_reopen_voids_and_keeps_history(live_workshop, facilitator):
    agent = factories.make_ready_agent(workshop=live_workshop)
    sign(agent)
    voided = services.signoff_reopen(
        agent=agent, reason="Volumes were wrong", voided_by=facilitator
    )
    assert (voided.status, voided.void_reason, voided.voided_by) == (
        "void",
        "Volumes were wrong",
        facilitator,
    )
    assert not agent_is_locked(agent)
    finance = selectors.agent_finance(agent_id=agent.pk)
    assert [event["kind"] for event in finance.history] == ["void", "signoff"]
    sign(agent)
    assert FinanceSignOff.objects.filter(agent=agent).count() == 2


def test_signoff_reopen_needs_reason_and_a_signoff(live_workshop, facilitator):
    agent = factories.make_ready_agent(workshop=live_workshop)
    with pytest.raises(ValidationError) as raised:
        services.signoff_reopen(agent=agent, reason="Fix", voided_by=facilitator)
    assert raised.value.messages == ["This agent is not signed off, so there is nothing to reopen."]
    sign(agent)
    with pytest.raises(ValidationError) as raised:
        services.signoff_reopen(agent=agent, reason=" ", voided_by=facilitator)
    assert raised.value.message_dict == {
        "reason": ["Give the reason for reopening: it stays in the sign-off history."]
    }
    assert agent_is_locked(agent)


# --- Tamper detection: any change by any path -------------------------------------------------


@pytest.mark.parametrize(
    "tamper",
    [
        lambda agent: ValueTarget.objects.filter(kpi__agent=agent).update(target_12m=D("79")),
        lambda agent: ValueTarget.objects.filter(kpi__agent=agent).update(assumptions="Other"),
        lambda agent: AgentKpi.objects.filter(agent=agent).update(baseline_value=D("130")),
        lambda agent: Agent.objects.filter(pk=agent.pk).update(thesis_mechanism="guessing"),
        lambda agent: Agent.objects.filter(pk=agent.pk).update(value_driver="cycle_time"),
        lambda agent: AgentEconomics.objects.filter(agent=agent).update(build_cost=D("1")),
    ],
)
def test_signoff_shows_changed_after_direct_db_update(live_workshop, tamper):
    agent = factories.make_ready_agent(workshop=live_workshop)
    sign(agent)
    tamper(agent)
    finance = selectors.agent_finance(agent_id=agent.pk)
    assert (finance.status, finance.changed_since_signoff, finance.is_signed_off) == (
        selectors.CHANGED,
        True,
        False,
    )
    assert selectors.workshop_finance(workshop=live_workshop).signed_count == 0


def test_signoff_unchanged_values_stay_signed(live_workshop):
    agent = factories.make_ready_agent(workshop=live_workshop)
    sign(agent)
    # Re-saving the same number in another form ("60.0") changes nothing signed.
    ValueTarget.objects.filter(kpi__agent=agent).update(stretch_12m=D("60.0"))
    assert selectors.agent_finance(agent_id=agent.pk).status == selectors.SIGNED
