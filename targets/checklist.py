"""Is an agent complete enough for finance to sign it off? The guide's workshop outputs, item
by item: classification and value driver, thesis, 2-3 KPIs, and per KPI a data source, a
baseline (or an open task to establish it), benchmark evidence (or a reasoned "no comparable
evidence"), constraints with adoption at 6 and 12 months, and floor / target / stretch at 6
and 12 months with assumptions.

Pure: reads already-loaded objects (targets.selectors.KpiTargets), no queries.
"""

from dataclasses import dataclass, field

from kpis import rules as kpi_rules

DONE_TASK = "done"
NEEDS_KPIS = "Needs the agent's KPIs first."


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    done: bool
    reasons: list[str] = field(default_factory=list)


def _has_data_source(kpi) -> bool:
    return kpi.has_data_source


def _has_baseline(entry) -> bool:
    if entry.kpi.baseline_value is not None:
        return True
    task = entry.baseline_task
    return entry.kpi.no_baseline and task is not None and task.status != DONE_TASK


def _has_evidence(entry) -> bool:
    return bool(entry.benchmarks) or entry.no_evidence is not None


def _has_targets(entry) -> bool:
    return entry.target is not None and bool(entry.target.assumptions.strip())


# (key, label, holds for one KPI entry, why not: a sentence about the KPI named {name})
PER_KPI = [
    (
        "data_sources",
        "Each KPI has a data source",
        lambda entry: _has_data_source(entry.kpi),
        "“{name}” has no data source: name the system and its owner (or, when it cannot be "
        "measured today, who will instrument it and by when).",
    ),
    (
        "baselines",
        "Each KPI has a baseline or an open task to establish it",
        _has_baseline,
        "“{name}” has no baseline and no open task to establish one.",
    ),
    (
        "benchmarks",
        "Each KPI has benchmark evidence, or “no comparable evidence” with a reason",
        _has_evidence,
        "“{name}” has no benchmark evidence: add some, or state that there is no comparable "
        "evidence and why.",
    ),
    (
        "constraints",
        "Each KPI has its constraints and the adoption at 6 and 12 months",
        lambda entry: entry.analysis is not None,
        "“{name}” has no constraint analysis with the adoption at 6 and 12 months.",
    ),
    (
        "targets",
        "Each KPI has floor, target and stretch at 6 and 12 months with assumptions",
        _has_targets,
        "“{name}” has no confirmed floor, target and stretch at 6 and 12 months with their "
        "assumptions.",
    ),
]


def _kpi_count_reasons(count: int) -> list[str]:
    if count == 0:
        return ["The agent has no KPIs yet: choose 2 or 3."]
    if count < kpi_rules.MIN_KPIS:
        return [f"The agent has {count} KPI: choose 2 or 3."]
    if count > kpi_rules.MAX_KPIS:
        return [f"The agent has {count} KPIs: keep 2 or 3."]
    return []


def signoff_checklist(agent, kpis: list) -> list[ChecklistItem]:
    """The checklist for `agent` with its KPI entries (objects with kpi, target, analysis,
    benchmarks, no_evidence and baseline_task loaded). Finance may sign off only when every
    item is done."""
    items = [
        ChecklistItem(
            "classification",
            "Classified, with a primary value driver",
            agent.is_classified,
            [] if agent.is_classified else ["Classify the agent and choose its value driver."],
        ),
        ChecklistItem(
            "thesis",
            "Economic thesis",
            bool(agent.thesis),
            [] if agent.thesis else ["Write the economic thesis: “This agent exists to … by …”."],
        ),
    ]
    count_reasons = _kpi_count_reasons(len(kpis))
    items.append(ChecklistItem("kpis", "2–3 KPIs", not count_reasons, count_reasons))
    for key, label, holds, why in PER_KPI:
        if not kpis:
            items.append(ChecklistItem(key, label, False, [NEEDS_KPIS]))
            continue
        reasons = [why.format(name=entry.kpi.name) for entry in kpis if not holds(entry)]
        items.append(ChecklistItem(key, label, not reasons, reasons))
    return items


def missing(checklist: list[ChecklistItem]) -> list[str]:
    """Every reason the checklist gives, in order, without repeats."""
    return list(dict.fromkeys(reason for item in checklist for reason in item.reasons))
