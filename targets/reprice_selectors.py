"""What re-pricing a workshop as of another day would change: every agent whose model's list
price differs, with its figures before and after, and the sign-offs it would void. The query
count does not grow with the number of agents."""

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from agents.block2_selectors import (
    WorkloadCost,
    WorkloadPrice,
    agent_workload_cost,
    workload_price,
)
from agents.models import Agent
from workshops.models import Workshop

from . import economics
from .models import FinanceSignOff
from .selectors import AgentFinance, workshop_finance


@dataclass(frozen=True)
class PriceChange:
    agent: Agent
    old_price: WorkloadPrice | None
    new_price: WorkloadPrice | None
    old_cost: WorkloadCost | None
    new_cost: WorkloadCost | None
    old_run_cost: Decimal | None  # the economics' monthly run cost, workshop currency
    new_run_cost: Decimal | None
    signoff: FinanceSignOff | None  # the valid sign-off re-pricing would void

    @property
    def model(self) -> str:
        return str(self.agent.workload_model)


@dataclass(frozen=True)
class RepricePreview:
    workshop: Workshop
    as_of: datetime.date
    changes: list[PriceChange]

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)

    @property
    def signoffs(self) -> list[FinanceSignOff]:
        return [change.signoff for change in self.changes if change.signoff is not None]

    @property
    def void_reason(self) -> str:
        return f"Re-priced as of {self.as_of:%Y-%m-%d}"

    @property
    def fingerprint(self) -> str:
        """Names exactly what the preview shows, so a confirmation applies what was seen."""
        lines = [self.as_of.isoformat()]
        for change in self.changes:
            signoff = change.signoff.pk if change.signoff else None
            lines.append(repr((change.agent.pk, change.old_price, change.new_price, signoff)))
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _run_cost(entry: AgentFinance, cost: WorkloadCost | None) -> Decimal | None:
    inputs = entry.economics.inputs
    if inputs is None:
        return None
    return economics.monthly_run_cost(
        cost_per_task=cost.per_task if cost else None,
        tasks_per_month=inputs.tasks_per_month,
        model_cost_monthly=inputs.model_cost_monthly,
        other_monthly_cost=inputs.other_monthly_cost,
    )


def reprice_preview(*, workshop: Workshop, as_of: datetime.date) -> RepricePreview:
    """Every agent of the workshop whose list price as of `as_of` differs from the one it is
    priced at, with cost per task, monthly workload cost and monthly run cost before and after
    and its valid sign-off (which re-pricing voids). At most eight queries, whatever the
    number of agents."""
    finance = workshop_finance(workshop=workshop)
    changes = []
    for entry in finance.agents:
        agent = entry.agent
        if agent.workload_model_id is None:
            continue
        old_price, new_price = workload_price(agent), workload_price(agent, day=as_of)
        if old_price == new_price:
            continue
        old_cost, new_cost = agent_workload_cost(agent), agent_workload_cost(agent, day=as_of)
        changes.append(
            PriceChange(
                agent=agent,
                old_price=old_price,
                new_price=new_price,
                old_cost=old_cost,
                new_cost=new_cost,
                old_run_cost=entry.economics.run_cost,
                new_run_cost=_run_cost(entry, new_cost),
                signoff=entry.signoff,
            )
        )
    return RepricePreview(workshop=workshop, as_of=as_of, changes=changes)
