"""Block 2 reads: the portfolio of agents by archetype and table, for the projector and the
facilitator (the query count does not grow with the number of agents or tables); and what one
task of an agent's AI workload costs, for the Economic KPIs and Block 4."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from foundation import economics
from workshops.models import Workshop

from . import classification
from .models import Agent

UNASSIGNED = "Not at a table"


@dataclass
class TableGroup:
    name: str
    agents: list[Agent] = field(default_factory=list)


@dataclass
class PortfolioColumn:
    key: str
    title: str
    subtitle: str
    groups: list[TableGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(group.agents) for group in self.groups)


def _group_by_table(agents: list[Agent]) -> list[TableGroup]:
    groups: dict[object, TableGroup] = {}
    for agent in agents:
        key = agent.table_id
        if key not in groups:
            groups[key] = TableGroup(name=agent.table.name if agent.table else UNASSIGNED)
        groups[key].agents.append(agent)
    return list(groups.values())


def portfolio(*, workshop: Workshop) -> dict:
    """Every agent of the workshop in a bottom-line or top-line column (or not yet classified),
    grouped by table in table order. One query."""
    agents = list(
        Agent.objects.filter(workshop=workshop)
        .select_related("table")
        .order_by(
            "table__position",
            "table__name",
            "table_id",
            Agent._meta.ordering[0],
            "name",
        )
    )
    by_class = {
        classification.BOTTOM_LINE: [],
        classification.TOP_LINE: [],
        "": [],
    }
    for agent in agents:
        by_class.get(agent.economic_class, by_class[""]).append(agent)
    columns = [
        PortfolioColumn(
            key=classification.BOTTOM_LINE,
            title="Bottom line",
            subtitle="Cost reduction: labour savings, error reduction, cycle time",
            groups=_group_by_table(by_class[classification.BOTTOM_LINE]),
        ),
        PortfolioColumn(
            key=classification.TOP_LINE,
            title="Top line",
            subtitle="Revenue generation: new capacity, conversion, speed-to-market",
            groups=_group_by_table(by_class[classification.TOP_LINE]),
        ),
    ]
    return {
        "workshop": workshop,
        "columns": columns,
        "unclassified": by_class[""],
        "agent_count": len(agents),
        "classified_count": len(agents) - len(by_class[""]),
    }


def portfolio_projector_context(workshop: Workshop) -> dict:
    """Context of the projector's "portfolio" view."""
    return portfolio(workshop=workshop)


# --- AI workload: what one task of the agent costs ---------------------------------------------
def _workload_price(agent: Agent, day: datetime.date):
    if not agent.has_workload:
        return None
    return agent.workload_model.price_on(day)


def _task_cost_usd(agent: Agent, price) -> Decimal:
    return economics.task_cost_usd(
        input_tokens=agent.input_tokens_per_call,
        output_tokens=agent.output_tokens_per_call,
        input_price_per_mtok=price.input_usd_per_mtok,
        output_price_per_mtok=price.output_usd_per_mtok,
        calls_per_task=agent.model_calls_per_task or 1,
        cached_price_per_mtok=price.cached_input_usd_per_mtok,
    )


def agent_cost_per_task_usd(agent: Agent, *, day: datetime.date | None = None) -> Decimal | None:
    """USD cost of one task of the agent's AI workload at its model's list price on `day`
    (default today), or None without a workload or a price. Select the agent with
    `workload_model` (and prefetch its `price_points`) to keep lists at a flat query count."""
    price = _workload_price(agent, day or timezone.localdate())
    return None if price is None else _task_cost_usd(agent, price)


def workload_task_cost_usd(agent: Agent, price) -> Decimal | None:
    """USD cost of one task of the agent's workload at `price` (a price point), or None."""
    return None if price is None else _task_cost_usd(agent, price)


def agents_workload_prices(agents: list[Agent], *, day: datetime.date | None = None) -> dict:
    """{agent pk: the price point its workload is costed with, or None} for many agents in at
    most two queries."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(agents, "workload_model__price_points")
    day = day or timezone.localdate()
    return {agent.pk: _workload_price(agent, day) for agent in agents}


def agents_cost_per_task_usd(
    agents: list[Agent], *, day: datetime.date | None = None
) -> dict[int, Decimal | None]:
    """{agent pk: cost per task in USD, or None} for many agents in at most two queries."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(agents, "workload_model__price_points")
    day = day or timezone.localdate()
    return {agent.pk: agent_cost_per_task_usd(agent, day=day) for agent in agents}


@dataclass(frozen=True)
class WorkloadCost:
    per_task_usd: Decimal
    per_task: Decimal  # in the workshop's currency
    per_month: Decimal | None  # in the workshop's currency; None without tasks per month
    currency: str
    price_date: datetime.date

    @property
    def per_task_text(self) -> str:
        return money_text(self.per_task)

    @property
    def per_task_usd_text(self) -> str:
        return money_text(self.per_task_usd)

    @property
    def per_month_text(self) -> str:
        return "" if self.per_month is None else money_text(self.per_month)


def money_text(value: Decimal) -> str:
    """Small amounts to 4 decimals (a task often costs fractions of a cent), others to 2."""
    places = Decimal("0.0001") if abs(value) < 1 else Decimal("0.01")
    return f"{value.quantize(places, rounding=ROUND_HALF_UP):,}"


def agent_workload_cost(agent: Agent, *, day: datetime.date | None = None) -> WorkloadCost | None:
    """The agent's AI cost per task and per month, in USD and in the workshop's currency."""
    price = _workload_price(agent, day or timezone.localdate())
    if price is None:
        return None
    per_task_usd = _task_cost_usd(agent, price)
    per_task = per_task_usd * Decimal(agent.workshop.usd_exchange_rate)
    per_month = per_task * agent.tasks_per_month if agent.tasks_per_month is not None else None
    return WorkloadCost(
        per_task_usd=per_task_usd,
        per_task=per_task,
        per_month=per_month,
        currency=agent.workshop.currency,
        price_date=price.effective_date,
    )
