"""Block 4 reads: an agent's targets, economics and finance state; the finance review of a whole
workshop; the counts for the projector and the board. Query counts do not grow with agents,
KPIs or benchmarks (except one call per agent to a Block 3 workload price, when that exists
without a batch form)."""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from agents.block2_selectors import agents_workload_prices, workload_task_cost_usd
from agents.models import Agent
from kpis.models import AgentKpi
from workshops.models import ActionItem, AgendaItem, Workshop
from workshops.notices import Notice

from . import charts, checklist, economics, signing
from .changes import Change, signoff_changes
from .models import (
    AgentEconomics,
    BenchmarkEvidence,
    ConstraintAnalysis,
    FinanceChangeRequest,
    FinancePresence,
    FinanceSignOff,
    NoComparableEvidence,
    ValueTarget,
)

# Agent status on the finance pages, in the order a reviewer works through them.
SIGNED = "signed"
CHANGED = "changed"
CHANGES_REQUESTED = "changes_requested"
READY = "ready"
INCOMPLETE = "incomplete"
UNVERIFIED = "unverified"
STATUS_LABELS = {
    SIGNED: "Signed off",
    CHANGED: "Changed since sign-off",
    UNVERIFIED: "Imported sign-off, not verified",
    CHANGES_REQUESTED: "Changes requested",
    READY: "Ready for review",
    INCOMPLETE: "Targets not complete",
}


def related(obj, name: str):
    """A reverse one-to-one (or None when there is none), without a query when loaded."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


# --- Block 3 workload price ------------------------------------------------------------------


def workload_prices(agents: list[Agent]) -> dict:
    """{agent pk: the price point the Block 3 workload is costed with, or None}."""
    return agents_workload_prices(agents)


# --- Per KPI ----------------------------------------------------------------------------------


@dataclass
class KpiTargets:
    kpi: AgentKpi
    target: ValueTarget | None
    analysis: ConstraintAnalysis | None
    benchmarks: list[BenchmarkEvidence]
    baseline_task: ActionItem | None = None
    no_evidence: NoComparableEvidence | None = None

    @property
    def has_baseline(self) -> bool:
        return self.kpi.baseline_value is not None

    @property
    def expected_improvement(self) -> Decimal | None:
        return economics.expected_improvement(b.as_benchmark for b in self.benchmarks)

    @property
    def expected_change(self) -> Decimal | None:
        """The mean change in the KPI's unit the evidence supports from the baseline."""
        return economics.expected_change(
            (b.as_benchmark for b in self.benchmarks), self.kpi.baseline_value
        )

    @property
    def uses_change(self) -> bool:
        """Suggestions work from the change in the KPI's unit: some evidence is absolute, or
        the baseline is zero (where a percentage moves nothing)."""
        return self.kpi.baseline_value == 0 or any(b.is_absolute for b in self.benchmarks)

    @property
    def suggestions(self) -> dict[tuple[int, str], Decimal]:
        adoption = self.analysis.adoption if self.analysis else {}
        if self.uses_change:
            return economics.suggested_thresholds(
                baseline=self.kpi.baseline_value,
                direction=self.kpi.direction,
                change=self.expected_change,
                adoption=adoption,
            )
        return economics.suggested_thresholds(
            baseline=self.kpi.baseline_value,
            direction=self.kpi.direction,
            improvement_percent=self.expected_improvement,
            adoption=adoption,
        )

    @property
    def values(self) -> dict[tuple[int, str], Decimal]:
        return self.target.values if self.target else {}

    @property
    def complete(self) -> bool:
        return self.target is not None

    @property
    def rows(self) -> list[dict]:
        """Floor, target and stretch with their 6- and 12-month values and suggestions."""
        suggestions = self.suggestions
        return [
            {
                "level": level,
                "values": [self.values.get((h, level)) for h in economics.HORIZONS],
                "suggested": [suggestions.get((h, level)) for h in economics.HORIZONS],
            }
            for level in economics.LEVELS
        ]

    @property
    def steps_done(self) -> dict[str, bool]:
        return {
            "baseline": self.has_baseline,
            "benchmarks": bool(self.benchmarks) or self.no_evidence is not None,
            "constraints": self.analysis is not None,
            "thresholds": self.target is not None,
        }


def kpi_targets(kpi: AgentKpi) -> KpiTargets:
    """From a KPI loaded with value_target, constraint_analysis, no_evidence and
    benchmarks."""
    return KpiTargets(
        kpi=kpi,
        target=related(kpi, "value_target"),
        analysis=related(kpi, "constraint_analysis"),
        benchmarks=list(kpi.benchmarks.all()),
        no_evidence=related(kpi, "no_evidence"),
    )


# --- Per agent --------------------------------------------------------------------------------


@dataclass
class EconomicsSummary:
    inputs: AgentEconomics | None
    value_kpi: AgentKpi | None
    cost_per_task_usd: Decimal | None
    cost_per_task: Decimal | None  # in the workshop's currency
    run_cost: Decimal | None
    scenarios: list[economics.Scenario]
    missing: list[str]
    chart: charts.PaybackChart | None = None

    @property
    def complete(self) -> bool:
        return bool(self.scenarios)

    def scenario(self, level: str) -> economics.Scenario | None:
        return next((s for s in self.scenarios if s.level == level), None)

    @property
    def roi_at_target(self) -> Decimal | None:
        found = self.scenario(economics.TARGET)
        return found.roi if found else None


def economics_summary(
    *,
    inputs: AgentEconomics | None,
    kpis: list[KpiTargets],
    cost_per_task_usd: Decimal | None,
    usd_exchange_rate: Decimal,
    currency: str,
) -> EconomicsSummary:
    """The agent's floor / target / stretch economics, or what is missing for them."""
    cost_per_task = cost_per_task_usd * usd_exchange_rate if cost_per_task_usd is not None else None
    summary = EconomicsSummary(
        inputs=inputs,
        value_kpi=None,
        cost_per_task_usd=cost_per_task_usd,
        cost_per_task=cost_per_task,
        run_cost=None,
        scenarios=[],
        missing=[],
    )
    if inputs is None:
        summary.missing.append("Enter the economics: the KPI that carries the value and the costs.")
        return summary
    summary.run_cost = economics.monthly_run_cost(
        cost_per_task=cost_per_task,
        tasks_per_month=inputs.tasks_per_month,
        model_cost_monthly=inputs.model_cost_monthly,
        other_monthly_cost=inputs.other_monthly_cost,
    )
    entry = next((item for item in kpis if item.kpi.pk == inputs.value_kpi_id), None)
    if entry is None:
        summary.missing.append("Choose the KPI that carries the agent's value.")
        return summary
    summary.value_kpi = entry.kpi
    if not entry.has_baseline:
        summary.missing.append(f"'{entry.kpi.name}' has no baseline yet.")
    if not entry.complete:
        summary.missing.append(f"Set the floor, target and stretch of '{entry.kpi.name}'.")
    if summary.run_cost is None:
        summary.missing.append(
            "Enter the monthly AI run cost (or the tasks per month, to price the workload)."
        )
    if summary.missing:
        return summary
    summary.scenarios = economics.scenarios(
        baseline=entry.kpi.baseline_value,
        direction=entry.kpi.direction,
        thresholds=entry.values,
        value_per_unit=inputs.value_per_unit,
        period=inputs.period,
        run_cost=summary.run_cost,
        build_cost=inputs.build_cost,
    )
    summary.chart = charts.payback_chart(summary.scenarios, currency=currency)
    return summary


@dataclass
class AgentFinance:
    """Everything Block 4 knows about an agent, as finance and the table see it."""

    agent: Agent
    kpis: list[KpiTargets]
    economics: EconomicsSummary
    signoffs: list[FinanceSignOff]  # newest first, valid and void
    change_requests: list[FinanceChangeRequest]  # newest first
    values: dict = field(default_factory=dict)
    sha256: str = ""

    @property
    def signoff(self) -> FinanceSignOff | None:
        """The sign-off in force (valid and verified), if any."""
        return next((s for s in self.signoffs if s.in_force), None)

    @property
    def unverified_signoff(self) -> FinanceSignOff | None:
        """A valid sign-off imported from a bundle whose signature this server cannot trust:
        shown, but it neither locks the agent nor counts."""
        return next((s for s in self.signoffs if s.is_valid and not s.is_verified), None)

    def values_for(self, signoff: FinanceSignOff) -> dict:
        """The current values as the sign-off's canonical version writes them."""
        return signing.at_version(self.values, signing.signed_version(signoff.signed_values))

    @property
    def changed_since_signoff(self) -> bool:
        if self.signoff is None:
            return False
        return self.signoff.values_sha256 != signing.values_sha256(self.values_for(self.signoff))

    @property
    def changes(self) -> list[Change]:
        """What changed since the valid sign-off, field by field (empty when nothing did)."""
        if not self.changed_since_signoff:
            return []
        try:
            signed = json.loads(self.signoff.signed_values)
        except ValueError:
            signed = {}
        return signoff_changes(signed, self.values_for(self.signoff))

    @property
    def checklist(self) -> list[checklist.ChecklistItem]:
        """The guide's outputs for this agent, each done or not with the reasons."""
        return checklist.signoff_checklist(self.agent, self.kpis)

    @property
    def open_requests(self) -> list[FinanceChangeRequest]:
        return [r for r in self.change_requests if r.is_open]

    @property
    def missing_for_signoff(self) -> list[str]:
        """Why finance cannot sign yet (empty when it can): the checklist's open items."""
        return checklist.missing(self.checklist)

    @property
    def voided_signoffs(self) -> list[FinanceSignOff]:
        return [s for s in self.signoffs if not s.is_valid]

    @property
    def status(self) -> str:
        if self.signoff is not None:
            return CHANGED if self.changed_since_signoff else SIGNED
        if self.unverified_signoff is not None:
            return UNVERIFIED
        if self.open_requests:
            return CHANGES_REQUESTED
        return READY if not self.missing_for_signoff else INCOMPLETE

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_signed_off(self) -> bool:
        """Signed off and unchanged since: what counts towards "N of M signed off"."""
        return self.status == SIGNED

    @property
    def history(self) -> list[dict]:
        """Sign-offs, voids and change requests, newest first."""
        events = []
        for signoff in self.signoffs:
            events.append({"at": signoff.signed_at, "kind": "signoff", "item": signoff})
            if signoff.voided_at:
                events.append({"at": signoff.voided_at, "kind": "void", "item": signoff})
        for request in self.change_requests:
            events.append({"at": request.created_at, "kind": "request", "item": request})
        return sorted(events, key=lambda event: event["at"], reverse=True)


def _kpi_queryset():
    return (
        AgentKpi.objects.select_related("value_target", "constraint_analysis", "no_evidence")
        .prefetch_related(
            Prefetch("benchmarks", queryset=BenchmarkEvidence.objects.order_by("created_at", "pk"))
        )
        .order_by("created_at", "pk")
    )


def agents_queryset():
    """Agents with everything Block 4 reads: six queries for any number of agents."""
    return Agent.objects.select_related(
        "workshop", "table", "economics", "workload_model"
    ).prefetch_related(
        Prefetch("kpis", queryset=_kpi_queryset()),
        Prefetch(
            "finance_signoffs",
            queryset=FinanceSignOff.objects.select_related("voided_by").order_by(
                "-signed_at", "-pk"
            ),
        ),
        Prefetch(
            "finance_change_requests",
            queryset=FinanceChangeRequest.objects.order_by("-created_at", "-pk"),
        ),
    )


def _attach_baseline_tasks(entries: list[KpiTargets], workshop_id: int) -> None:
    keys = [entry.kpi.baseline_action_key for entry in entries if not entry.has_baseline]
    if not keys:
        return
    tasks = {
        task.origin_key: task
        for task in ActionItem.objects.filter(workshop_id=workshop_id, origin_key__in=keys)
    }
    for entry in entries:
        entry.baseline_task = tasks.get(entry.kpi.baseline_action_key)


def _agent_finance(agent: Agent, *, price) -> AgentFinance:
    workshop = agent.workshop
    entries = [kpi_targets(kpi) for kpi in agent.kpis.all()]
    inputs = related(agent, "economics")
    cost_per_task_usd = workload_task_cost_usd(agent, price)
    values = agent_signed_values(
        agent, entries=entries, inputs=inputs, cost_per_task_usd=cost_per_task_usd, price=price
    )
    return AgentFinance(
        agent=agent,
        kpis=entries,
        economics=economics_summary(
            inputs=inputs,
            kpis=entries,
            cost_per_task_usd=cost_per_task_usd,
            usd_exchange_rate=workshop.usd_exchange_rate,
            currency=workshop.currency,
        ),
        signoffs=list(agent.finance_signoffs.all()),
        change_requests=list(agent.finance_change_requests.all()),
        values=values,
        sha256=signing.values_sha256(values),
    )


def agent_signed_values(
    agent: Agent, *, entries: list[KpiTargets], inputs, cost_per_task_usd, price=None
) -> dict:
    """The canonical values finance signs for the agent (see targets.signing); `price` is the
    price point its workload is costed with."""
    return signing.agent_values(
        agent,
        kpis=[
            signing.kpi_values(
                entry.kpi,
                target=entry.target,
                analysis=entry.analysis,
                benchmarks=entry.benchmarks,
                no_evidence=entry.no_evidence,
            )
            for entry in entries
        ],
        price=price,
        economics=inputs,
        currency=agent.workshop.currency,
        usd_exchange_rate=agent.workshop.usd_exchange_rate,
        cost_per_task_usd=cost_per_task_usd,
    )


def agent_finance(*, agent_id: int) -> AgentFinance:
    """One agent's Block 4 state (targets, economics, sign-offs, change requests)."""
    agent = agents_queryset().get(pk=agent_id)
    finance = _agent_finance(agent, price=workload_prices([agent])[agent.pk])
    _attach_baseline_tasks(finance.kpis, agent.workshop_id)
    return finance


def agent_kpi_targets(*, agent_id: int, kpi_id: int) -> tuple[AgentFinance, KpiTargets]:
    """The agent's Block 4 state and the entry of one of its KPIs (AgentKpi.DoesNotExist when
    the KPI is not the agent's)."""
    finance = agent_finance(agent_id=agent_id)
    entry = next((e for e in finance.kpis if e.kpi.pk == kpi_id), None)
    if entry is None:
        raise AgentKpi.DoesNotExist
    return finance, entry


@dataclass
class WorkshopFinance:
    workshop: Workshop
    agents: list[AgentFinance]

    @property
    def signed_count(self) -> int:
        return sum(1 for entry in self.agents if entry.is_signed_off)

    @property
    def total(self) -> int:
        return len(self.agents)

    @property
    def summary(self) -> str:
        return f"Finance validation: {self.signed_count} of {self.total} agents signed off"

    def count(self, status: str) -> int:
        return sum(1 for entry in self.agents if entry.status == status)

    @property
    def changed_count(self) -> int:
        return self.count(CHANGED)

    @property
    def requested_count(self) -> int:
        return self.count(CHANGES_REQUESTED)

    @property
    def unverified_count(self) -> int:
        return self.count(UNVERIFIED)


def workshop_finance(*, workshop: Workshop) -> WorkshopFinance:
    """Every agent of the workshop with thesis, KPIs, baselines, targets, assumptions,
    economics and finance state. Seven queries, whatever the number of agents."""
    agents = list(
        agents_queryset()
        .filter(workshop=workshop)
        .order_by("table__position", "table__name", "priority_rank", "name", "pk")
    )
    prices = workload_prices(agents)
    entries = [_agent_finance(agent, price=prices[agent.pk]) for agent in agents]
    _attach_baseline_tasks([kpi for entry in entries for kpi in entry.kpis], workshop.pk)
    return WorkshopFinance(workshop=workshop, agents=entries)


def finance_projector_context(workshop: Workshop) -> dict:
    """Context of the projector's "finance" view: the sign-offs and who of finance is here."""
    return {
        "finance": workshop_finance(workshop=workshop),
        "status_labels": STATUS_LABELS,
        "finance_present": finance_present(workshop=workshop, now=timezone.now()),
    }


def finance_present(*, workshop: Workshop, now: datetime.datetime) -> list[FinancePresence]:
    """The finance reviewers seen on the workshop's finance pages in the last
    `FinancePresence.PRESENT_MINUTES`, the most recent first."""
    since = now - datetime.timedelta(minutes=FinancePresence.PRESENT_MINUTES)
    return list(
        FinancePresence.objects.filter(workshop=workshop, last_seen_at__gte=since).order_by(
            "-last_seen_at", "name"
        )
    )


def finance_presence_notice(*, workshop: Workshop, run: dict, now: datetime.datetime):
    """The presenter's warning while Block 4 runs with nobody from finance seen lately: the
    guide makes finance's presence in Block 4 non-negotiable."""
    current = run.get("current")
    if current is None or current.block != AgendaItem.Block.TARGETS:
        return None
    if finance_present(workshop=workshop, now=now):
        return None
    return Notice(
        key="finance-absent",
        level="blocking",
        title="Block 4 needs finance in the room",
        text=(
            f"Nobody from finance has opened this workshop's finance review in the last "
            f"{FinancePresence.PRESENT_MINUTES} minutes. Targets set without finance are not "
            "agreed targets: invite the finance representative now (a link they open on their "
            "laptop), or add their account as a reviewer."
        ),
        link=reverse("targets:finance_status", args=[workshop.pk]) + "#invites-heading",
        link_text="Invite finance now",
    )


# --- For the register -------------------------------------------------------------------------


def register_block4(*, workshop: Workshop) -> dict[int, AgentFinance]:
    """Block 4 of every agent of the workshop, by agent pk (for the register's exporters)."""
    return {entry.agent.pk: entry for entry in workshop_finance(workshop=workshop).agents}
