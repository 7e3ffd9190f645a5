"""Block 3 reads: the library, an agent's KPIs with their nudges, and the measurement
feasibility check of a whole workshop. Query counts do not grow with agents or KPIs."""

from dataclasses import dataclass, field

from django.db.models import Count

from agents.models import Agent
from workshops.models import ActionItem, Workshop

from . import rules
from .models import AgentKpi, KpiDefinition


@dataclass
class CategoryGroup:
    key: str
    label: str
    definitions: list[KpiDefinition] = field(default_factory=list)


def library_by_category(*, active_only: bool = True) -> list[CategoryGroup]:
    """The library in the guide's four categories, in the guide's order. One query."""
    groups = {key: CategoryGroup(key=key, label=label) for key, label in rules.CATEGORY_CHOICES}
    definitions = KpiDefinition.objects.all()
    if active_only:
        definitions = definitions.filter(active=True)
    for definition in definitions:
        groups[definition.category].definitions.append(definition)
    return list(groups.values())


def _attach_baseline_tasks(kpis: list[AgentKpi], workshop_id: int) -> None:
    """Give each KPI its baseline task (or None) as `baseline_task`. One query."""
    keys = [kpi.baseline_action_key for kpi in kpis]
    tasks = (
        {
            task.origin_key: task
            for task in ActionItem.objects.filter(workshop_id=workshop_id, origin_key__in=keys)
        }
        if keys
        else {}
    )
    for kpi in kpis:
        kpi.baseline_task = tasks.get(kpi.baseline_action_key)


def agent_kpis(*, agent: Agent) -> dict:
    """An agent's KPIs with their baseline tasks, whether the step is complete, and the nudges
    on the category mix."""
    kpis = list(AgentKpi.objects.filter(agent=agent).select_related("definition"))
    _attach_baseline_tasks(kpis, agent.workshop_id)
    count = len(kpis)
    without_source = [kpi for kpi in kpis if not kpi.has_data_source]
    return {
        "kpis": kpis,
        "kpi_count": count,
        "complete": rules.kpis_complete(kpis),
        "count_message": rules.kpi_count_message(count),
        "source_messages": [
            rules.data_source_missing(kpi.name, kpi.feasibility) for kpi in without_source
        ],
        "nudges": rules.kpi_mix_nudges(agent.economic_class, [kpi.category for kpi in kpis]),
        "can_add_more": count < rules.MAX_KPIS,
        "chosen_definition_ids": {kpi.definition_id for kpi in kpis if kpi.definition_id},
    }


@dataclass
class FeasibilityColumn:
    key: str
    label: str
    colour: str
    kpis: list[AgentKpi] = field(default_factory=list)


def feasibility_check(*, workshop: Workshop) -> dict:
    """Every KPI of every table, in green / amber / red by measurement feasibility, with its
    data source and baseline status; and the agents still short of 2 KPIs. Three queries."""
    kpis = list(
        AgentKpi.objects.filter(agent__workshop=workshop)
        .select_related("agent__table")
        .order_by(
            "agent__table__position",
            "agent__table__name",
            "agent__table_id",
            "agent__priority_rank",
            "agent__name",
            "created_at",
            "pk",
        )
    )
    _attach_baseline_tasks(kpis, workshop.pk)
    columns = {
        key: FeasibilityColumn(key=key, label=label, colour=rules.FEASIBILITY_COLOURS[key])
        for key, label in rules.FEASIBILITY_CHOICES
    }
    for kpi in kpis:
        columns[kpi.feasibility].kpis.append(kpi)
    short = list(
        Agent.objects.filter(workshop=workshop)
        .annotate(kpi_count=Count("kpis"))
        .filter(kpi_count__lt=rules.MIN_KPIS)
        .select_related("table")
        .order_by("table__position", "table__name", "priority_rank", "name")
    )
    return {
        "workshop": workshop,
        "columns": list(columns.values()),
        "kpi_count": len(kpis),
        "missing_baselines": sum(1 for kpi in kpis if not kpi.has_baseline),
        "agents_short": short,
        "min_kpis": rules.MIN_KPIS,
    }


def feasibility_projector_context(workshop: Workshop) -> dict:
    """Context of the projector's "feasibility" view."""
    return feasibility_check(workshop=workshop)
