"""The reads of the tracking pages: each KPI's months against its targets, each agent's run cost
against its workload forecast, the portfolio at a glance. Query counts do not grow with the
number of agents, KPIs or months."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from agents.models import Agent
from kpis.models import AgentKpi
from targets.models import FinanceSignOff
from targets.selectors import agent_finance
from workshops import zones

from . import charts, economics
from . import status as tracking_status
from .models import AgentActual, KpiActual


def _today(workshop, now: datetime.datetime) -> datetime.date:
    return timezone.localtime(now, zones.zone(workshop)).date()


def kpi_targets(kpi: AgentKpi) -> tracking_status.Targets | None:
    """The KPI's baseline and signed levels as a path, or None without a baseline or targets."""
    target = getattr(kpi, "value_target", None)
    if kpi.baseline_value is None or target is None:
        return None
    return tracking_status.Targets(
        baseline=kpi.baseline_value, values=target.values, direction=kpi.direction
    )


def months_of(kpi: AgentKpi, actuals: list[KpiActual], now) -> list[tracking_status.Month] | None:
    targets = kpi_targets(kpi)
    if targets is None:
        return None
    current = {a.period: a.value for a in actuals if a.replaced_at is None}
    return tracking_status.months(
        targets,
        current,
        workshop_day=kpi.agent.workshop.date,
        through=_today(kpi.agent.workshop, now),
    )


def kpi_months(*, kpi: AgentKpi, now: datetime.datetime) -> list[tracking_status.Month] | None:
    """The KPI's months from the workshop to now with actual, levels and status (None when it
    has no baseline or targets). Two queries."""
    kpi = AgentKpi.objects.select_related("value_target", "agent__workshop").get(pk=kpi.pk)
    return months_of(kpi, list(kpi.actuals.filter(replaced_at__isnull=True)), now)


@dataclass
class KpiTracking:
    kpi: AgentKpi
    months: list | None  # None: no baseline or targets to track against
    history: list  # every actual entered, replaced ones too, newest first

    @property
    def latest(self) -> tracking_status.Month | None:
        """The latest month with an actual, or the latest month when none has one."""
        if not self.months:
            return None
        with_data = [m for m in self.months if m.status != tracking_status.NO_DATA]
        return with_data[-1] if with_data else self.months[-1]

    @property
    def status(self) -> str:
        return self.latest.status if self.latest else tracking_status.NO_DATA

    @property
    def chart(self) -> charts.KpiChart | None:
        targets = kpi_targets(self.kpi)
        if targets is None or not self.months:
            return None
        return charts.kpi_chart(targets, self.months, unit=self.kpi.unit)


@dataclass
class AgentTracking:
    agent: Agent
    kpis: list[KpiTracking]
    costs: list[AgentActual]  # current, by month
    signoff: FinanceSignOff | None
    cost_history: list = field(default_factory=list)
    so_far: economics.SoFar | None = None
    so_far_missing: str = ""

    @property
    def worst(self) -> str:
        statuses = [k.status for k in self.kpis if k.months is not None]
        return min(statuses, key=tracking_status.ORDER.index) if statuses else ""


def _agents(workshop_agents, now) -> list[AgentTracking]:
    agents = workshop_agents.select_related("workshop", "table").prefetch_related(
        Prefetch(
            "kpis",
            queryset=AgentKpi.objects.select_related("value_target").order_by("pk"),
        ),
        Prefetch("kpis__actuals", queryset=KpiActual.objects.order_by("-period", "-entered_at")),
        Prefetch("actuals", queryset=AgentActual.objects.order_by("-period", "-entered_at")),
        Prefetch(
            "finance_signoffs",
            queryset=FinanceSignOff.objects.in_force().order_by("-signed_at"),
            to_attr="signoffs_in_force",
        ),
    )
    rows = []
    for agent in agents:
        kpis = []
        for kpi in agent.kpis.all():
            kpi.agent = agent
            history = list(kpi.actuals.all())
            kpis.append(KpiTracking(kpi=kpi, months=months_of(kpi, history, now), history=history))
        all_costs = list(agent.actuals.all())
        rows.append(
            AgentTracking(
                agent=agent,
                kpis=kpis,
                costs=sorted(
                    (c for c in all_costs if c.replaced_at is None), key=lambda c: c.period
                ),
                signoff=agent.signoffs_in_force[0] if agent.signoffs_in_force else None,
                cost_history=all_costs,
            )
        )
    return rows


def agent_tracking(*, agent: Agent, now: datetime.datetime) -> AgentTracking:
    """One agent's KPIs month by month, its run cost actuals, the sign-off in force and its
    economics so far (value, cost, ROI and payback from the actuals)."""
    tracking = _agents(Agent.objects.filter(pk=agent.pk), now)[0]
    summary = agent_finance(agent_id=agent.pk).economics
    inputs = summary.inputs
    value_kpi = next(
        (k for k in tracking.kpis if inputs is not None and k.kpi.pk == inputs.value_kpi_id), None
    )
    if inputs is None or value_kpi is None:
        tracking.so_far_missing = (
            "Block 4 names no KPI that carries the agent's value, so its money cannot be counted."
        )
    elif value_kpi.kpi.baseline_value is None:
        tracking.so_far_missing = f"“{value_kpi.kpi.name}” has no baseline to count from."
    else:
        tracking.so_far = economics.so_far(
            value_actuals={a.period: a.value for a in value_kpi.history if a.replaced_at is None},
            cost_actuals={c.period: c.run_cost for c in tracking.costs},
            baseline=value_kpi.kpi.baseline_value,
            direction=value_kpi.kpi.direction,
            value_per_unit=inputs.value_per_unit,
            period=inputs.period,
            other_monthly_cost=inputs.other_monthly_cost,
            build_cost=inputs.build_cost,
            planned_run_cost=summary.run_cost,
        )
    return tracking


def projector_context(workshop) -> dict:
    """The projector's "Value tracking": every tracked KPI under the status of its latest
    month, worst first (the status named in words, not by colour alone)."""
    rows = portfolio(workshop=workshop, now=timezone.now())
    sections = {key: [] for key in tracking_status.ORDER}
    untracked = 0
    for row in rows:
        for entry in row.kpis:
            if entry.months is None:
                untracked += 1
                continue
            sections[entry.status].append((row.agent, entry))
    return {
        "sections": [
            {"key": key, "title": tracking_status.LABELS[key].capitalize(), "entries": entries}
            for key, entries in sections.items()
        ],
        "tracked": sum(len(entries) for entries in sections.values()),
        "untracked": untracked,
    }


def portfolio(*, workshop, now: datetime.datetime) -> list[AgentTracking]:
    """Every agent of the workshop with its KPIs' latest status, worst first."""
    rows = _agents(workshop.agents.order_by("name"), now)
    order = tracking_status.ORDER
    return sorted(
        rows,
        key=lambda row: (
            order.index(row.worst) if row.worst else len(order),
            row.agent.name.lower(),
        ),
    )
