"""What finance signs: an agent's canonical values and their SHA-256.

The canonical form is JSON with sorted keys, no insignificant whitespace, Decimals as
normalised strings ("120", not "120.0000" or "1.2E+2") and dates in ISO form, so the same
values give the same hash on every machine and database. Comparing the hash recorded at sign-off
with the hash of the values as they are now shows any change, whatever path made it.

Version 2 signs everything the finance page shows: besides version 1's values, each KPI's
data source, owner, measurement frequency and feasibility, the "no comparable evidence"
statement, and the AI workload with the prices used. A version 1 sign-off is compared with the
current values projected to version 1 (`at_version`): what it signed, and only that.

Version 3 adds each KPI's "to be instrumented by" date, what "good enough" and
"transformational" look like (Block 4, step 1) and each benchmark's absolute change; a version
2 sign-off is compared without them.

Pure: works on already-loaded objects (see targets.selectors for the prefetching), no queries.
"""

import datetime
import hashlib
import json
from decimal import Decimal

from .economics import HORIZONS, LEVELS

CANONICAL_VERSION = 3

# Keys version 2 added, by part; dropping them gives version 1's values exactly.
V2_AGENT_KEYS = ()
V2_KPI_KEYS = (
    "data_source_system",
    "data_source_owner",
    "measurement_frequency",
    "feasibility",
    "no_comparable_evidence",
)
V2_TOP_KEYS = ("workload",)
# Keys version 3 added to each KPI.
V3_KPI_KEYS = ("instrument_by", "good_enough", "transformational")
V3_BENCHMARK_KEYS = ("absolute_change",)


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
        "absolute_change": number(benchmark.absolute_change),
        "source": benchmark.source,
        "discount_percent": number(benchmark.discount_percent),
    }


def kpi_values(kpi, *, target, analysis, benchmarks, no_evidence=None) -> dict:
    """A KPI's signed values; `no_evidence` is its "no comparable evidence" statement."""
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
        "data_source_system": kpi.data_source_system,
        "data_source_owner": kpi.data_source_owner,
        "measurement_frequency": kpi.measurement_frequency,
        "feasibility": kpi.feasibility,
        "instrument_by": _date(kpi.instrument_by),
        "good_enough": kpi.good_enough,
        "transformational": kpi.transformational,
        "no_comparable_evidence": no_evidence.reason if no_evidence is not None else None,
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


def workload_values(agent, price) -> dict | None:
    """The agent's AI workload and the list prices it was costed with (`price`: the price
    point used, or None when the workload is not priced)."""
    if agent.workload_model_id is None:
        return None
    model = agent.workload_model
    calls = agent.model_calls_per_task or 1
    tokens = None
    if agent.input_tokens_per_call is not None and agent.output_tokens_per_call is not None:
        tokens = (agent.input_tokens_per_call + agent.output_tokens_per_call) * calls
    return {
        "model": f"{model.provider}/{model.name}",
        "input_tokens_per_call": agent.input_tokens_per_call,
        "output_tokens_per_call": agent.output_tokens_per_call,
        "model_calls_per_task": agent.model_calls_per_task,
        "tokens_per_task": tokens,
        "tasks_per_month": agent.tasks_per_month,
        "price_effective_date": _date(price.effective_date) if price else None,
        "input_usd_per_mtok": number(price.input_usd_per_mtok) if price else None,
        "output_usd_per_mtok": number(price.output_usd_per_mtok) if price else None,
        "cached_input_usd_per_mtok": number(price.cached_input_usd_per_mtok) if price else None,
    }


def agent_values(
    agent,
    *,
    kpis: list[dict],
    economics,
    currency: str,
    usd_exchange_rate: Decimal,
    cost_per_task_usd: Decimal | None = None,
    price=None,
) -> dict:
    """The values finance signs for `agent`. `kpis` are kpi_values() dicts; `price` is the
    price point the workload was costed with."""
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
        "workload": workload_values(agent, price),
    }


def at_version(values: dict, version: int) -> dict:
    """`values` (current canonical values) as `version` wrote them, to compare with a sign-off
    made at that version. Unknown versions give the values unchanged."""
    if version not in (1, 2):
        return values
    dropped_kpi_keys = V3_KPI_KEYS if version == 2 else (*V2_KPI_KEYS, *V3_KPI_KEYS)
    old = (
        dict(values)
        if version == 2
        else {key: value for key, value in values.items() if key not in V2_TOP_KEYS}
    )
    old["canonical_version"] = version
    if version == 1:
        old["agent"] = {k: v for k, v in values["agent"].items() if k not in V2_AGENT_KEYS}
    old["kpis"] = [
        {k: v for k, v in kpi.items() if k not in dropped_kpi_keys} for kpi in values["kpis"]
    ]
    for kpi in old["kpis"]:
        if isinstance(kpi.get("benchmarks"), list):
            kpi["benchmarks"] = [
                {k: v for k, v in b.items() if k not in V3_BENCHMARK_KEYS}
                for b in kpi["benchmarks"]
            ]
    return old


def signed_version(signed_values: str) -> int:
    """The canonical version of a sign-off's stored values (1 for anything unreadable)."""
    try:
        version = json.loads(signed_values).get("canonical_version", 1)
    except (ValueError, AttributeError):
        return 1
    return version if isinstance(version, int) else 1


def canonical_json(values: dict) -> str:
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def values_sha256(values: dict) -> str:
    return hashlib.sha256(canonical_json(values).encode("utf-8")).hexdigest()
