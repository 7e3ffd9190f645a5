"""Test data builders, one place for all tests. Plain functions with sensible defaults."""

import datetime
import itertools

from django.contrib.auth import get_user_model

from agents.models import Agent
from workshops import services
from workshops.models import BreakoutTable, Participant, Workshop

_seq = itertools.count(1)

PASSWORD = "correct-horse-battery-staple"
# Accounts are made in most tests; the production hasher is deliberately slow.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(*, username: str | None = None, superuser: bool = False, **extra):
    username = username or f"user{next(_seq)}"
    model = get_user_model()
    if superuser:
        return model.objects.create_superuser(username=username, password=PASSWORD, **extra)
    return model.objects.create_user(username=username, password=PASSWORD, **extra)


def make_facilitator(**kwargs):
    """An account with the facilitator role."""
    return services.facilitator_role_grant(user=make_user(**kwargs))


def make_catalogue_admin(**kwargs):
    """A catalogue administrator (staff) that runs no workshop."""
    return services.catalogue_admin_grant(user=make_user(**kwargs))


def make_workshop(*, facilitator=None, **fields) -> Workshop:
    """A workshop run by `facilitator` (given the facilitator role) or a new facilitator."""
    facilitator = services.facilitator_role_grant(user=facilitator or make_user())
    defaults = {
        "client_organisation": f"Client {next(_seq)}",
        "date": datetime.date(2026, 12, 10),
        "venue": "Room 1",
        "currency": "EUR",
    }
    defaults.update(fields)
    status = defaults.pop("status", None)
    workshop = services.workshop_create(facilitator=facilitator, **defaults)
    if status:
        Workshop.objects.filter(pk=workshop.pk).update(status=status)
        workshop.refresh_from_db()
    return workshop


def make_table(*, workshop: Workshop | None = None, name: str | None = None) -> BreakoutTable:
    workshop = workshop or make_workshop()
    return services.table_create(workshop=workshop, name=name or f"Table {next(_seq)}")


def make_agent(*, workshop: Workshop | None = None, table=None, **fields) -> Agent:
    if workshop is None:
        workshop = table.workshop if table else make_workshop()
    defaults = {
        "name": f"Agent {next(_seq)}",
        "description": "Reads invoices and routes exceptions.",
        "business_process": "Accounts payable",
        "priority_rank": 1,
        "owner_name": "Dana Whitfield",
        "owner_email": "dana@example.com",
    }
    defaults.update(fields)
    return Agent.objects.create(workshop=workshop, table=table, **defaults)


def make_participant(*, table: BreakoutTable, display_name: str = "Sam") -> Participant:
    return Participant.objects.create(
        table=table, display_name=display_name, token=f"token-{next(_seq)}-{table.pk}"
    )


# --- Blocks 2-3: classification, KPIs ---------------------------------------------------------
def classify_agent(agent: Agent, **fields) -> Agent:
    """Give the agent a bottom-line classification and thesis (fields override)."""
    values = {
        "economic_class": "bottom_line",
        "value_driver": "labour_savings",
        "value_driver_other": "",
        "thesis_subject": "manual invoice matching hours in accounts payable",
        "thesis_mechanism": "matching invoices to purchase orders and routing exceptions",
    }
    values.update(fields)
    Agent.objects.filter(pk=agent.pk).update(**values)
    agent.refresh_from_db()
    return agent


def make_agent_kpi(*, agent: Agent, **fields):
    """A KPI of the agent, measurable today with a baseline (fields override)."""
    from decimal import Decimal

    from kpis.models import AgentKpi

    defaults = {
        "name": f"Hours spent matching invoices per week {next(_seq)}",
        "category": "efficiency",
        "unit": "hours per week",
        "direction": "lower",
        "data_source_system": "SAP invoice log",
        "data_source_owner": "AP team lead",
        "measurement_frequency": "weekly",
        "feasibility": "measurable",
        "baseline_value": Decimal("120"),
        "baseline_as_of": datetime.date(2026, 11, 1),
        "baseline_source": "October AP report",
        "no_baseline": False,
    }
    defaults.update(fields)
    return AgentKpi.objects.create(agent=agent, **defaults)


def join_table(client, participant: Participant):
    """Make the test client's browser session that of `participant` (as joining does)."""
    session = client.session
    session["participant_token"] = participant.token
    session.save()
    return client


# --- Foundation (Block 1): model catalogue --------------------------------------------------
def make_llm_model(
    *,
    provider: str = "Acme AI",
    name: str | None = None,
    tier: str = "mid-tier",
    prices: tuple = (("2025-01-01", "3.00", "15.00"),),
    cached: str | None = None,
    source: str = "Acme price list",
):
    """A catalogue model with dated prices: ((date, input, output), ...) in USD per Mtok."""
    from decimal import Decimal

    from foundation.models import LLMModel, PricePoint

    model = LLMModel.objects.create(
        provider=provider, name=name or f"model-{next(_seq)}", tier=tier
    )
    for day, input_price, output_price in prices:
        PricePoint.objects.create(
            model=model,
            effective_date=datetime.date.fromisoformat(day),
            input_usd_per_mtok=Decimal(input_price),
            output_usd_per_mtok=Decimal(output_price),
            cached_input_usd_per_mtok=Decimal(cached) if cached is not None else None,
            source=source,
        )
    return model


# --- Block 4: value targets, economics, finance ---------------------------------------------
def make_value_target(*, kpi, assumptions: str = "Volumes stay at 2026 levels.", **values):
    """Confirmed targets for the KPI (values override: floor_6m=..., etc.). Defaults suit a
    lower-is-better KPI with a baseline of 120."""
    from decimal import Decimal

    from targets.models import ValueTarget

    defaults = {
        "floor_6m": Decimal("110"),
        "target_6m": Decimal("100"),
        "stretch_6m": Decimal("90"),
        "floor_12m": Decimal("100"),
        "target_12m": Decimal("80"),
        "stretch_12m": Decimal("60"),
    }
    defaults.update(values)
    return ValueTarget.objects.create(kpi=kpi, assumptions=assumptions, **defaults)


def make_benchmark(*, kpi, kind: str = "vendor", improvement: str = "60", discount: str = "40"):
    from decimal import Decimal

    from targets.models import BenchmarkEvidence

    return BenchmarkEvidence.objects.create(
        kpi=kpi,
        kind=kind,
        description="Mid-size freight forwarder" if kind == "peer" else "Vendor case study",
        improvement_percent=Decimal(improvement),
        source="Industry report 2026",
        discount_percent=Decimal(discount),
    )


def make_constraints(*, kpi, adoption_6m: str = "50", adoption_12m: str = "80", **flags):
    from decimal import Decimal

    from targets.models import ConstraintAnalysis

    return ConstraintAnalysis.objects.create(
        kpi=kpi,
        adoption_6m_percent=Decimal(adoption_6m),
        adoption_12m_percent=Decimal(adoption_12m),
        notes=flags.pop("notes", ""),
        **flags,
    )


def make_economics(*, agent, value_kpi, **fields):
    """Economics inputs: 45 per hour saved, counted weekly, 1,500 + 200 a month, 40,000 build."""
    from decimal import Decimal

    from targets.models import AgentEconomics

    defaults = {
        "value_per_unit": Decimal("45"),
        "value_basis": "Loaded hourly cost of an AP clerk",
        "period": "week",
        "model_cost_monthly": Decimal("1500"),
        "other_monthly_cost": Decimal("200"),
        "build_cost": Decimal("40000"),
    }
    defaults.update(fields)
    return AgentEconomics.objects.create(agent=agent, value_kpi=value_kpi, **defaults)


def make_finance_invite(*, workshop, name: str = "Fran Okafor", title: str = "CFO", **kwargs):
    """An invite and its token, made by the workshop's facilitator as the console does."""
    from targets import services as target_services

    kwargs.setdefault("created_by", workshop.facilitators.first())
    return target_services.invite_create(workshop=workshop, name=name, title=title, **kwargs)


def make_no_evidence(*, kpi, reason: str = "No similar organisation has automated this yet."):
    from targets.models import NoComparableEvidence

    return NoComparableEvidence.objects.create(kpi=kpi, reason=reason)


def make_ready_agent(*, workshop=None, table=None, kpis: int = 2, **fields):
    """A classified agent with `kpis` KPIs, each with benchmark evidence, constraints and
    confirmed targets, and economics: everything finance needs to sign it off."""
    agent = classify_agent(make_agent(workshop=workshop, table=table, **fields))
    first = None
    for _ in range(kpis):
        kpi = make_agent_kpi(agent=agent)
        make_benchmark(kpi=kpi)
        make_constraints(kpi=kpi)
        make_value_target(kpi=kpi)
        first = first or kpi
    if first is not None:
        make_economics(agent=agent, value_kpi=first)
    return agent
