"""What changed since a sign-off, field by field: the values finance signed (kept on the
sign-off as canonical JSON) against the values as they are now (targets.signing).

Pure: no Django import, no queries.
"""

from dataclasses import dataclass

AGENT_LABELS = {
    "name": "Agent name",
    "economic_class": "Classification",
    "value_driver": "Value driver",
    "value_driver_other": "Value driver (other)",
    "thesis": "Economic thesis",
}
KPI_LABELS = {
    "name": "name",
    "category": "category",
    "unit": "unit",
    "direction": "direction",
    "baseline_value": "baseline",
    "baseline_as_of": "baseline date",
    "baseline_source": "baseline source",
    "no_baseline": "no baseline yet",
    "data_source_system": "data source (system)",
    "data_source_owner": "data owner",
    "measurement_frequency": "measurement frequency",
    "feasibility": "feasibility",
    "instrument_by": "to be instrumented by",
    "good_enough": "good enough",
    "transformational": "transformational",
    "no_comparable_evidence": "no comparable evidence (reason)",
    "assumptions": "assumptions",
}
CONSTRAINT_LABELS = {
    "change_management": "constraint: change management",
    "data_readiness": "constraint: data readiness",
    "organisational_capacity": "constraint: organisational capacity",
    "other": "constraint: other",
    "notes": "constraint notes",
    "adoption_6m_percent": "adoption at 6 months (%)",
    "adoption_12m_percent": "adoption at 12 months (%)",
}
BENCHMARK_LABELS = {
    "kind": "kind",
    "description": "who achieved it",
    "improvement_percent": "improvement (%)",
    "absolute_change": "improvement (in the KPI's unit)",
    "source": "source",
    "discount_percent": "discount (%)",
}
ECONOMICS_LABELS = {
    "value_kpi_id": "KPI that carries the value",
    "value_per_unit": "value per unit",
    "value_basis": "value basis",
    "period": "KPI counted per",
    "tasks_per_month": "tasks per month",
    "model_cost_monthly": "AI run cost per month",
    "other_monthly_cost": "other monthly costs",
    "build_cost": "one-off build cost",
    "workload_cost_per_task_usd": "cost per task (USD)",
    "usd_exchange_rate": "USD exchange rate",
}
WORKLOAD_LABELS = {
    "model": "model",
    "input_tokens_per_call": "input tokens per call",
    "output_tokens_per_call": "output tokens per call",
    "model_calls_per_task": "model calls per task",
    "tokens_per_task": "tokens per task",
    "tasks_per_month": "tasks per month",
    "price_effective_date": "price effective date",
    "input_usd_per_mtok": "input price per million tokens (USD)",
    "output_usd_per_mtok": "output price per million tokens (USD)",
    "cached_input_usd_per_mtok": "cached input price per million tokens (USD)",
}
ABSENT = "—"


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


def text(value) -> str:
    """A signed value as the finance page shows it."""
    if value is None or value == "":
        return ABSENT
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def _kpi_fields(kpi: dict, name: str) -> dict:
    fields = {}
    for key, label in KPI_LABELS.items():
        if key in kpi:
            fields[("kpi", kpi.get("id"), key)] = (f"KPI “{name}”: {label}", kpi[key])
    for horizon, levels in (kpi.get("targets") or {}).items():
        for level, value in levels.items():
            label = f"KPI “{name}”: {horizon}-month {level}"
            fields[("kpi", kpi.get("id"), "targets", horizon, level)] = (label, value)
    for key, label in CONSTRAINT_LABELS.items():
        value = (kpi.get("constraints") or {}).get(key)
        fields[("kpi", kpi.get("id"), "constraints", key)] = (f"KPI “{name}”: {label}", value)
    return fields


def _flatten(values: dict, names: dict) -> tuple[dict, dict]:
    """({path: (label, value)} of every leaf, {record path: (label, parent path)} of every KPI
    and benchmark), KPIs and benchmarks named as `names` ({path: name}) says, else as
    `values` does."""
    fields, records = {}, {}
    agent = values.get("agent") or {}
    for key, label in AGENT_LABELS.items():
        if key in agent:
            fields[("agent", key)] = (label, agent[key])
    if "currency" in values:
        fields[("currency",)] = ("Currency", values["currency"])
    for kpi in values.get("kpis") or []:
        path = ("kpi", kpi.get("id"))
        name = names.get(path, kpi.get("name"))
        records[path] = (f"KPI “{name}”", None)
        fields.update(_kpi_fields(kpi, name))
        for benchmark in kpi.get("benchmarks") or []:
            bpath = ("benchmark", benchmark.get("id"))
            label = f"KPI “{name}”: benchmark “{names.get(bpath, benchmark.get('description'))}”"
            records[bpath] = (label, path)
            for key, key_label in BENCHMARK_LABELS.items():
                fields[(*bpath, key)] = (f"{label}: {key_label}", benchmark.get(key))
    for part, labels, title in (
        ("economics", ECONOMICS_LABELS, "Economics"),
        ("workload", WORKLOAD_LABELS, "AI workload"),
    ):
        if part not in values:
            continue
        section = values[part] or {}
        for key, label in labels.items():
            if key in section or not section:
                fields[(part, key)] = (f"{title}: {label}", section.get(key))
    return fields, records


def _names(values: dict) -> dict:
    names = {}
    for kpi in values.get("kpis") or []:
        names[("kpi", kpi.get("id"))] = kpi.get("name")
        for benchmark in kpi.get("benchmarks") or []:
            names[("benchmark", benchmark.get("id"))] = benchmark.get("description")
    return names


def signoff_changes(signed: dict, current: dict) -> list[Change]:
    """Every field whose value differs between the signed and the current canonical values,
    in the order the finance page shows them, with old and new values as text. A KPI or
    benchmark added or removed is one change ("added" / "removed"), not one per field."""
    names = _names(current)
    old_fields, old_records = _flatten(signed, names)
    new_fields, new_records = _flatten(current, names)
    records = {**old_records, **new_records}
    only = set(old_records) ^ set(new_records)
    changes = []
    for path, (label, parent) in records.items():
        if path in only and parent not in only:
            added = path in new_records
            changes.append(
                Change(label, ABSENT if added else "present", "added" if added else "removed")
            )
    for path in dict.fromkeys([*old_fields, *new_fields]):
        if path[:2] in only:
            continue
        label, old = old_fields.get(path, (None, None))
        new_label, new = new_fields.get(path, (label, None))
        if old != new:
            changes.append(Change(new_label or label, text(old), text(new)))
    return changes
