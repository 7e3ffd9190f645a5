"""Block 2 reads: the portfolio of agents by archetype and table, for the projector and the
facilitator (the query count does not grow with the number of agents or tables); and what one
task of an agent's AI workload costs, for the Economic KPIs and Block 4."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

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
# A workshop prices every workload at the list price copied onto the agent when the workload
# was saved or re-priced (as of the workshop's pricing date): catalogue changes never move it.
# Passing `day` prices at the catalogue's price in force on that day instead (what re-pricing
# would give). A workload saved before any price existed falls back to the catalogue as of the
# workshop's pricing date.


@dataclass(frozen=True)
class WorkloadPrice:
    """A list price in USD per million tokens and the date it took effect."""

    effective_date: datetime.date
    input_usd_per_mtok: Decimal
    output_usd_per_mtok: Decimal
    cached_input_usd_per_mtok: Decimal | None


def pinned_price(agent: Agent) -> WorkloadPrice | None:
    """The list price copied onto the agent's workload, or None."""
    if agent.workload_price_date is None:
        return None
    return WorkloadPrice(
        effective_date=agent.workload_price_date,
        input_usd_per_mtok=agent.workload_input_usd_per_mtok,
        output_usd_per_mtok=agent.workload_output_usd_per_mtok,
        cached_input_usd_per_mtok=agent.workload_cached_input_usd_per_mtok,
    )


def model_price(model, day: datetime.date) -> WorkloadPrice | None:
    """The catalogue's list price of `model` (an LLMModel) in force on `day`, or None."""
    point = model.price_on(day)
    if point is None:
        return None
    return WorkloadPrice(
        effective_date=point.effective_date,
        input_usd_per_mtok=point.input_usd_per_mtok,
        output_usd_per_mtok=point.output_usd_per_mtok,
        cached_input_usd_per_mtok=point.cached_input_usd_per_mtok,
    )


def catalogue_price(agent: Agent, day: datetime.date) -> WorkloadPrice | None:
    """The catalogue's list price of the agent's model in force on `day`, or None."""
    if agent.workload_model_id is None:
        return None
    return model_price(agent.workload_model, day)


def workload_price(agent: Agent, *, day: datetime.date | None = None) -> WorkloadPrice | None:
    """The list price the agent's model is priced at in its workshop (with `day`: the
    catalogue's price on that day), or None without a model or a price."""
    if agent.workload_model_id is None:
        return None
    if day is None:
        return pinned_price(agent) or catalogue_price(agent, agent.workshop.pricing_date)
    return catalogue_price(agent, day)


def _workload_price(agent: Agent, day: datetime.date | None) -> WorkloadPrice | None:
    return workload_price(agent, day=day) if agent.has_workload else None


def _prices_as_of(agent: Agent, day: datetime.date | None) -> datetime.date:
    return agent.workshop.pricing_date if day is None else day


def _task_cost_usd(agent: Agent, price: WorkloadPrice) -> Decimal:
    return economics.task_cost_usd(
        input_tokens=agent.input_tokens_per_call,
        output_tokens=agent.output_tokens_per_call,
        input_price_per_mtok=price.input_usd_per_mtok,
        output_price_per_mtok=price.output_usd_per_mtok,
        calls_per_task=agent.model_calls_per_task or 1,
        cached_price_per_mtok=price.cached_input_usd_per_mtok,
    )


def agent_cost_per_task_usd(agent: Agent, *, day: datetime.date | None = None) -> Decimal | None:
    """USD cost of one task of the agent's AI workload at the price pinned for its workshop
    (or, with `day`, at its model's catalogue price on that day); None without a workload or a
    price. Select the agent with `workshop` and `workload_model` (and prefetch its
    `price_points`) to keep lists at a flat query count."""
    price = _workload_price(agent, day)
    return None if price is None else _task_cost_usd(agent, price)


def workload_task_cost_usd(agent: Agent, price: WorkloadPrice | None) -> Decimal | None:
    """USD cost of one task of the agent's workload at `price`, or None."""
    return None if price is None else _task_cost_usd(agent, price)


def agents_workload_prices(
    agents: list[Agent], *, day: datetime.date | None = None
) -> dict[int, WorkloadPrice | None]:
    """{agent pk: the list price its workload is costed with (pinned for its workshop, or with
    `day` the catalogue's on that day), or None} for many agents in at most three queries."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(agents, "workshop", "workload_model__price_points")
    return {agent.pk: _workload_price(agent, day) for agent in agents}


def agents_cost_per_task_usd(
    agents: list[Agent], *, day: datetime.date | None = None
) -> dict[int, Decimal | None]:
    """{agent pk: cost per task in USD, or None} for many agents in at most three queries."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(agents, "workshop", "workload_model__price_points")
    return {agent.pk: agent_cost_per_task_usd(agent, day=day) for agent in agents}


@dataclass(frozen=True)
class WorkloadCost:
    per_task_usd: Decimal
    per_task: Decimal  # in the workshop's currency
    per_month: Decimal | None  # in the workshop's currency; None without tasks per month
    currency: str
    price_date: datetime.date  # the day the list price took effect
    model: str = ""
    input_usd_per_mtok: Decimal | None = None
    output_usd_per_mtok: Decimal | None = None
    cached_input_usd_per_mtok: Decimal | None = None
    prices_as_of: datetime.date | None = None  # the workshop's pricing date (or the day asked)

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
    """Small amounts to 4 decimals, or to two significant digits where that needs more
    (a task often costs fractions of a cent: 0.000051, never 0.0000); others to 2."""
    if abs(value) >= 1:
        places = Decimal("0.01")
    else:
        places = Decimal("0.0001")
        if value and value.adjusted() - 1 < -4:
            places = Decimal(1).scaleb(value.adjusted() - 1)
    return f"{value.quantize(places, rounding=ROUND_HALF_UP):,}"


def agent_workload_cost(agent: Agent, *, day: datetime.date | None = None) -> WorkloadCost | None:
    """The agent's AI cost per task and per month, in USD and in the workshop's currency, at
    the price pinned for its workshop (or, with `day`, the catalogue's price on that day)."""
    price = _workload_price(agent, day)
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
        model=str(agent.workload_model),
        input_usd_per_mtok=price.input_usd_per_mtok,
        output_usd_per_mtok=price.output_usd_per_mtok,
        cached_input_usd_per_mtok=price.cached_input_usd_per_mtok,
        prices_as_of=_prices_as_of(agent, day),
    )
