"""What finance signs: an agent's canonical values and their SHA-256.

The canonical form is JSON with sorted keys, no insignificant whitespace, Decimals as
normalised strings ("120", not "120.0000" or "1.2E+2") and dates in ISO form, so the same
values give the same hash on every machine and database. Comparing the hash recorded at sign-off
with the hash of the values as they are now shows any change, whatever path made it.

Pure: works on already-loaded objects (see targets.selectors for the prefetching), no queries.
"""

import datetime
import hashlib
import json
from decimal import Decimal

from .economics import HORIZONS, LEVELS

CANONICAL_VERSION = 1


def number(value: Decimal | None) -> str | None:
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0", "-0.0") else text


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _targets(target) -> dict | None:
    if target is None:
        return None
    return {
        str(horizon): {level: number(target.value(horizon, level)) for level in LEVELS}
        for horizon in HORIZONS
    }


def _constraints(analysis) -> dict | None:
    if analysis is None:
        return None
    return {
        "change_management": analysis.change_management,
        "data_readiness": analysis.data_readiness,
        "organisational_capacity": analysis.organisational_capacity,
        "other": analysis.other,
        "notes": analysis.notes,
        "adoption_6m_percent": number(analysis.adoption_6m_percent),
        "adoption_12m_percent": number(analysis.adoption_12m_percent),
    }


def _benchmark(benchmark) -> dict:
    return {
        "id": benchmark.pk,
        "kind": benchmark.kind,
        "description": benchmark.description,
        "improvement_percent": number(benchmark.improvement_percent),
        "source": benchmark.source,
        "discount_percent": number(benchmark.discount_percent),
    }


def kpi_values(kpi, *, target, analysis, benchmarks) -> dict:
    return {
        "id": kpi.pk,
        "name": kpi.name,
        "category": kpi.category,
        "unit": kpi.unit,
        "direction": kpi.direction,
        "baseline_value": number(kpi.baseline_value),
        "baseline_as_of": _date(kpi.baseline_as_of),
        "baseline_source": kpi.baseline_source,
        "no_baseline": kpi.no_baseline,
        "targets": _targets(target),
        "assumptions": target.assumptions if target is not None else "",
        "constraints": _constraints(analysis),
        "benchmarks": [_benchmark(b) for b in sorted(benchmarks, key=lambda b: b.pk)],
    }


def economics_values(
    economics, *, cost_per_task_usd: Decimal | None, usd_exchange_rate: Decimal
) -> dict | None:
    if economics is None:
        return None
    values = {
        "value_kpi_id": economics.value_kpi_id,
        "value_per_unit": number(economics.value_per_unit),
        "value_basis": economics.value_basis,
        "period": economics.period,
        "tasks_per_month": number(economics.tasks_per_month),
        "model_cost_monthly": number(economics.model_cost_monthly),
        "other_monthly_cost": number(economics.other_monthly_cost),
        "build_cost": number(economics.build_cost),
        "workload_cost_per_task_usd": number(cost_per_task_usd),
    }
    if cost_per_task_usd is not None:
        # The workload is priced in USD: the rate turns it into the workshop's currency.
        values["usd_exchange_rate"] = number(usd_exchange_rate)
    return values


def agent_values(
    agent,
    *,
    kpis: list[dict],
    economics,
    currency: str,
    usd_exchange_rate: Decimal,
    cost_per_task_usd: Decimal | None = None,
) -> dict:
    """The values finance signs for `agent`. `kpis` are kpi_values() dicts."""
    return {
        "canonical_version": CANONICAL_VERSION,
        "agent": {
            "id": agent.pk,
            "name": agent.name,
            "economic_class": agent.economic_class,
            "value_driver": agent.value_driver,
            "value_driver_other": agent.value_driver_other,
            "thesis": agent.thesis,
        },
        "currency": currency,
        "kpis": sorted(kpis, key=lambda item: item["id"]),
        "economics": economics_values(
            economics, cost_per_task_usd=cost_per_task_usd, usd_exchange_rate=usd_exchange_rate
        ),
    }


def canonical_json(values: dict) -> str:
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def values_sha256(values: dict) -> str:
    return hashlib.sha256(canonical_json(values).encode("utf-8")).hexdigest()
