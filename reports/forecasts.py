"""The register's cost forecast: each agent's monthly AI run cost for the next 12 or 24 months
from its workload, the adoption ramp of Block 4 and the price decline the facilitator picks
(targets.forecast does the arithmetic)."""

from dataclasses import dataclass, field
from decimal import Decimal

from foundation import economics
from foundation.selectors import dated_prices
from targets import forecast

from . import charts

# Months back over which the catalogue's decline per tier is observed.
OBSERVED_MONTHS = 24


@dataclass(frozen=True)
class Options:
    decline: str = forecast.NO_DECLINE
    months: int = 24

    @classmethod
    def from_query(cls, query) -> "Options":
        """The options a page or download asked for; anything unknown falls back to the
        default (no decline, 24 months)."""
        decline = query.get("decline", forecast.NO_DECLINE)
        if decline not in dict(forecast.DECLINE_CHOICES):
            decline = forecast.NO_DECLINE
        months = query.get("months", "24")
        months = int(months) if months in ("12", "24") else 24
        return cls(decline=decline, months=months)

    @property
    def label(self) -> str:
        return dict(forecast.DECLINE_CHOICES)[self.decline]

    def query(self) -> str:
        return f"decline={self.decline}&months={self.months}"


@dataclass(frozen=True)
class AgentForecast:
    name: str
    model: str
    tier: str
    full_volume_cost: Decimal
    other_cost: Decimal
    adoption_6: Decimal
    adoption_12: Decimal
    decline_percent: Decimal
    rows: list

    @property
    def total(self) -> Decimal:
        return sum((row.total for row in self.rows), Decimal("0.00"))

    def row(self, month: int):
        return self.rows[month - 1] if 0 < month <= len(self.rows) else None


@dataclass
class Forecast:
    options: Options
    agents: list[AgentForecast] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    totals: list[Decimal] = field(default_factory=list)
    chart: object = None

    @property
    def shown_months(self) -> list[int]:
        return [m for m in (1, 3, 6, 9, 12, 18, 24) if m <= self.options.months]

    @property
    def total(self) -> Decimal:
        return sum(self.totals, Decimal("0.00"))


def catalogue_declines(day) -> dict[str, Decimal | None]:
    """Per tier, the yearly decline of its cheapest blended price over the OBSERVED_MONTHS
    before `day` (one query)."""
    points = dated_prices()
    then_day = economics.months_before(day, OBSERVED_MONTHS)
    declines = {}
    for tier in sorted({p.tier for p in points}):

        def cheapest(on, tier=tier):
            prices = [
                economics.blended_price_per_mtok(p.prices)
                for p in economics.prices_on(points, on).values()
                if p.tier == tier
            ]
            return min(prices) if prices else None

        declines[tier] = forecast.observed_decline(
            then_price=cheapest(then_day), now_price=cheapest(day), months=OBSERVED_MONTHS
        )
    return declines


def _adoption(entry):
    """The adoption ramp: the value KPI's constraint analysis, else the first KPI's that has
    one."""
    items = [kpi.item for kpi in entry.kpis]
    value_kpi = entry.economics.value_kpi
    ordered = sorted(items, key=lambda item: value_kpi is None or item.kpi.pk != value_kpi.pk)
    return next((item.analysis for item in ordered if item.analysis is not None), None)


def register_forecast(register, options: Options, *, declines=None) -> Forecast:
    """The forecast of every agent of the register that has a run cost and an adoption ramp;
    the others are listed with what is missing."""
    result = Forecast(options=options)
    if options.decline == forecast.CATALOGUE and declines is None:
        declines = catalogue_declines(register.workshop.pricing_date)
    for entry in register.agents:
        agent = entry.agent
        summary = entry.economics
        inputs = summary.inputs
        workload = entry.workload
        if summary.cost_per_task is not None and agent.tasks_per_month is not None:
            full_volume = summary.cost_per_task * agent.tasks_per_month
        elif inputs is not None and inputs.model_cost_monthly is not None:
            full_volume = inputs.model_cost_monthly
        else:
            result.skipped.append((agent.name, "no AI workload or run cost yet"))
            continue
        analysis = _adoption(entry)
        if analysis is None:
            result.skipped.append((agent.name, "no adoption at 6 and 12 months yet (Block 4)"))
            continue
        tier = agent.workload_model.tier if agent.workload_model_id else ""
        if options.decline == forecast.CATALOGUE:
            decline = (declines or {}).get(tier) or Decimal("0.00")
        elif options.decline in forecast.PUBLISHED:
            _label, times, months = forecast.PUBLISHED[options.decline]
            decline = forecast.annual_decline(times, months)
        else:
            decline = Decimal("0.00")
        other = inputs.other_monthly_cost if inputs is not None else Decimal(0)
        # The spreadsheet starts from the same cents, so both give the same months.
        full_volume = forecast.cents(full_volume)
        rows = forecast.monthly_forecast(
            full_volume_cost=full_volume,
            other_monthly_cost=other,
            adoption_6=analysis.adoption_6m_percent,
            adoption_12=analysis.adoption_12m_percent,
            decline_percent=decline,
            months=options.months,
        )
        result.agents.append(
            AgentForecast(
                name=agent.name,
                model=workload.model if workload else "Run cost entered directly",
                tier=tier,
                full_volume_cost=forecast.cents(full_volume),
                other_cost=forecast.cents(other),
                adoption_6=analysis.adoption_6m_percent,
                adoption_12=analysis.adoption_12m_percent,
                decline_percent=decline,
                rows=rows,
            )
        )
    result.totals = forecast.portfolio_forecast(a.rows for a in result.agents)
    result.chart = charts.forecast_chart(
        result.totals, title=f"Portfolio AI run cost per month ({register.workshop.currency})"
    )
    return result
