"""Everything the Agent Economics Register shows, read in a fixed number of queries.

`register_for` gathers the workshop and its people, every agent with its Block 2 economics,
Block 3 KPIs and Block 4 targets, benchmarks, constraints, assumptions, economics and finance
sign-off (targets.selectors.register_block4), the action list, the knowledge-check summary
and the glossary. The number of queries does not depend on the number of agents, KPIs or
actions.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from foundation.currency import Currency
from foundation.freshness import PriceFreshness
from foundation.models import GlossaryTerm
from foundation.quiz_selectors import QuizSummary, quiz_summary
from foundation.selectors import workshop_price_freshness
from targets.models import FinanceInvite, FinanceSignOff
from targets.selectors import AgentFinance, KpiTargets, register_block4
from workshops.models import ActionItem, Workshop

from . import charts


@dataclass
class KpiEntry:
    """A KPI with its Block 4 targets and the chart of them against the baseline."""

    item: KpiTargets
    chart: charts.TargetChart | None

    @property
    def kpi(self):
        return self.item.kpi

    @property
    def targets(self) -> dict[tuple[int, str], Decimal]:
        return self.item.values

    def target(self, horizon: int, level: str) -> Decimal | None:
        return self.targets.get((horizon, level))

    @property
    def target_rows(self) -> list[tuple[str, Decimal | None, Decimal | None]]:
        """(level, 6-month value, 12-month value) for floor, target and stretch."""
        return [(level, self.target(6, level), self.target(12, level)) for level in charts.LEVELS]

    @property
    def assumptions(self) -> str:
        return self.item.target.assumptions if self.item.target else ""


def _places(value: Decimal | None, quantum: str) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal(quantum), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Workload:
    """The AI workload behind an agent's run cost, as the register shows it."""

    model: str
    price_date: datetime.date | None
    tokens_per_task: int | None
    tasks_per_month: int | None
    cost_per_task: Decimal | None  # in the workshop's currency
    monthly_run_cost: Decimal | None  # in the workshop's currency


@dataclass
class AgentEntry:
    finance: AgentFinance
    kpis: list[KpiEntry]
    open_actions: list[ActionItem]

    @property
    def agent(self):
        return self.finance.agent

    @property
    def anchor(self) -> str:
        return f"agent-{self.agent.pk}"

    @property
    def kpi_count(self) -> int:
        return len(self.kpis)

    @property
    def target_status(self) -> str:
        """ "Set" when every KPI has confirmed targets, "Partly set", or "Not set"."""
        done = sum(1 for entry in self.kpis if entry.item.complete)
        if not self.kpis or not done:
            return "Not set"
        return "Set" if done == len(self.kpis) else "Partly set"

    @property
    def benchmarks(self) -> list[tuple[KpiEntry, object]]:
        return [(entry, b) for entry in self.kpis for b in entry.item.benchmarks]

    @property
    def no_evidence(self) -> list[KpiEntry]:
        """KPIs with a "no comparable evidence" statement instead of benchmarks."""
        return [entry for entry in self.kpis if entry.item.no_evidence is not None]

    @property
    def constraints(self) -> list[KpiEntry]:
        return [entry for entry in self.kpis if entry.item.analysis is not None]

    @property
    def assumptions(self) -> list[KpiEntry]:
        return [entry for entry in self.kpis if entry.assumptions]

    @property
    def economics(self):
        return self.finance.economics

    @property
    def workload(self) -> Workload | None:
        """The agent's AI workload with its price date, cost per task and monthly run cost;
        None when the agent has no workload."""
        agent = self.agent
        if agent.workload_model_id is None:
            return None
        calls = agent.model_calls_per_task or 1
        tokens = None
        if agent.input_tokens_per_call is not None and agent.output_tokens_per_call is not None:
            tokens = (agent.input_tokens_per_call + agent.output_tokens_per_call) * calls
        summary = self.economics
        cost_per_task = summary.cost_per_task
        run_cost = summary.run_cost
        if run_cost is None and cost_per_task is not None and agent.tasks_per_month is not None:
            run_cost = cost_per_task * agent.tasks_per_month
        model = agent.workload_model
        return Workload(
            model=f"{model.provider} {model.name}",
            price_date=agent.workload_price_date,
            tokens_per_task=tokens,
            tasks_per_month=agent.tasks_per_month,
            cost_per_task=_places(cost_per_task, "0.0001"),
            monthly_run_cost=_places(run_cost, "0.01"),
        )

    @property
    def roi_at_target(self) -> Decimal | None:
        return self.finance.economics.roi_at_target

    @property
    def signoff(self):
        return self.finance.signoff

    @property
    def shown_signoff(self):
        """The sign-off in force, else an imported one that is not verified (shown as such,
        never counted)."""
        return self.finance.signoff or self.finance.unverified_signoff

    @property
    def is_signed_off(self) -> bool:
        """Signed off by finance, and nothing changed since."""
        return self.finance.is_signed_off

    @property
    def signoff_label(self) -> str:
        return self.finance.status_label if self.shown_signoff else "Not signed off"

    @property
    def changes(self) -> list:
        """What changed since the valid sign-off, field by field."""
        return self.finance.changes

    @property
    def voided_signoffs(self) -> list:
        """Earlier sign-offs, voided, newest first."""
        return self.finance.voided_signoffs


@dataclass
class Register:
    workshop: Workshop
    facilitators: list
    finance_representatives: list[str]
    agents: list[AgentEntry]
    actions: list[ActionItem]
    quiz: QuizSummary
    glossary: list[GlossaryTerm]
    generated_at: datetime.datetime
    prices: PriceFreshness | None = None
    forecast: object = None  # reports.forecasts.Forecast, when asked for

    @property
    def signed_off_count(self) -> int:
        return sum(1 for entry in self.agents if entry.is_signed_off)

    @property
    def is_draft(self) -> bool:
        """A draft until every agent is signed off by finance (and always with no agents)."""
        return not self.agents or self.signed_off_count < len(self.agents)

    @property
    def status_label(self) -> str:
        if not self.agents:
            return "Draft: no agents yet"
        if self.is_draft:
            total = len(self.agents)
            agents = "agent" if total == 1 else "agents"
            return f"Draft: {self.signed_off_count} of {total} {agents} signed off"
        return "Final: every agent signed off by finance"

    @property
    def assumptions(self) -> list[tuple[AgentEntry, KpiEntry]]:
        """Every target's assumptions, agent by agent."""
        return [(entry, kpi) for entry in self.agents for kpi in entry.assumptions]

    @property
    def author(self) -> str:
        names = [person_name(user) for user in self.facilitators]
        return ", ".join(names) or "AI FinOps Workshop"

    @property
    def title(self) -> str:
        return f"Agent Economics Register: {self.workshop.client_organisation}"

    @property
    def currency(self):
        """The workshop's currency, for amounts quoted in USD (the glossary's examples)."""
        return Currency(
            code=self.workshop.currency,
            rate=Decimal(self.workshop.usd_exchange_rate),
            workshop=self.workshop,
        )


def person_name(user) -> str:
    if user is None:
        return "Not recorded"
    return user.get_full_name() or user.get_username()


def _register_order(finance: AgentFinance):
    agent = finance.agent
    return (agent.priority_rank is None, agent.priority_rank or 0, agent.name.lower(), agent.pk)


def _finance_representatives(workshop: Workshop) -> list[str]:
    """Finance reviewer accounts, people who opened a finance invite made on this server, and
    people whose verified sign-off names them (3 queries). An invite that came in a bundle is
    not listed on its own: a bundle can carry any name, while a verified sign-off's signer is
    bound by its signature."""
    names = [person_name(u) for u in workshop.finance_reviewers.order_by("last_name", "username")]
    invites = FinanceInvite.objects.filter(
        workshop=workshop, used_at__isnull=False, revoked_at__isnull=True, created_by__isnull=False
    ).order_by("created_at", "pk")
    names += [f"{invite.name} ({invite.title})" for invite in invites]
    signers = (
        FinanceSignOff.objects.filter(
            agent__workshop=workshop,
            signer_user__isnull=True,
            verification=FinanceSignOff.Verification.VERIFIED,
        )
        .order_by("signed_at", "pk")
        .values_list("signer_name", "signer_title")
    )
    for name, title in signers:
        if f"{name} ({title})" not in names:
            names.append(f"{name} ({title})")
    return names


def _entry(finance: AgentFinance, actions_by_key: dict[str, list[ActionItem]]) -> AgentEntry:
    kpis = [
        KpiEntry(
            item=item,
            chart=charts.target_chart(
                baseline=item.kpi.baseline_value, values=item.values, title=item.kpi.name
            ),
        )
        for item in finance.kpis
    ]
    open_actions = [
        action
        for item in finance.kpis
        for action in actions_by_key.get(item.kpi.baseline_action_key, [])
    ]
    return AgentEntry(finance=finance, kpis=kpis, open_actions=open_actions)


def register_for(workshop: Workshop, *, now: datetime.datetime | None = None) -> Register:
    """The whole register of `workshop`."""
    actions = list(workshop.actions.order_by("due_date", "pk"))
    actions_by_key: dict[str, list[ActionItem]] = {}
    for action in actions:
        if action.status != ActionItem.Status.DONE and action.origin_key:
            actions_by_key.setdefault(action.origin_key, []).append(action)
    block4 = sorted(register_block4(workshop=workshop).values(), key=_register_order)
    return Register(
        workshop=workshop,
        facilitators=list(workshop.facilitators.order_by("last_name", "username")),
        finance_representatives=_finance_representatives(workshop),
        agents=[_entry(finance, actions_by_key) for finance in block4],
        actions=actions,
        quiz=quiz_summary(workshop),
        glossary=list(GlossaryTerm.objects.all()),
        generated_at=now or timezone.now(),
        prices=workshop_price_freshness(workshop),
    )
