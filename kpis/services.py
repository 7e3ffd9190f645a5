"""Block 3 writes: an agent's KPIs and the baseline tasks they raise."""

import datetime
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from agents.models import Agent
from workshops import locks
from workshops.changes import AGENT_WORK
from workshops.concurrency import versioned_update
from workshops.models import ActionItem, Workshop
from workshops.services import workshop_touch

from . import rules
from .models import AgentKpi, KpiDefinition

# What a table sets on a KPI (category only for a custom one).
KPI_FIELDS = [
    "name",
    "category",
    "unit",
    "direction",
    "data_source_system",
    "data_source_owner",
    "measurement_frequency",
    "feasibility",
    "baseline_value",
    "baseline_as_of",
    "baseline_source",
    "no_baseline",
    "instrument_by",
]
TEXT_FIELDS = ["name", "unit", "data_source_system", "data_source_owner", "baseline_source"]

BASELINE_TASK_DAYS = 14
MAX_KPIS_MESSAGE = (
    f"This agent already has {rules.MAX_KPIS} KPIs, the most it can have. "
    "Remove one before adding another."
)


def _clean_values(values: dict, *, definition: KpiDefinition | None, currency: str = "EUR") -> dict:
    """Check `values` against the Block 3 rules; return them tidied, or raise ValidationError
    by field."""
    unknown = set(values) - set(KPI_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    cleaned = {field: values.get(field) for field in KPI_FIELDS}
    if cleaned["instrument_by"] is not None and not isinstance(
        cleaned["instrument_by"], datetime.date
    ):
        raise ValidationError({"instrument_by": "Enter the date as YYYY-MM-DD, e.g. 2026-11-30."})
    for field in TEXT_FIELDS:
        cleaned[field] = " ".join(str(cleaned[field] or "").split())
    if definition is not None:
        cleaned["category"] = definition.category
    cleaned["no_baseline"] = bool(cleaned["no_baseline"])
    value = cleaned["baseline_value"]
    if value is not None and not isinstance(value, Decimal):
        raise ValidationError({"baseline_value": "Enter the baseline as a number, e.g. 120."})
    errors = rules.kpi_errors(**cleaned, today=timezone.localdate(), currency=currency)
    if errors:
        raise ValidationError(errors)
    if cleaned["no_baseline"]:
        cleaned["baseline_as_of"] = None
        cleaned["baseline_source"] = ""
    if cleaned["feasibility"] == rules.MEASURABLE:
        cleaned["instrument_by"] = None
    return cleaned


def _duplicate_name_error(name: str) -> ValidationError:
    return ValidationError({"name": f"This agent already has a KPI called \u201c{name}\u201d."})


def _baseline_task_sync(*, kpi: AgentKpi, agent: Agent, workshop: Workshop) -> None:
    """Open (or reopen) the task to establish a missing baseline; close it once the baseline
    is entered."""
    key = kpi.baseline_action_key
    existing = ActionItem.objects.filter(workshop=workshop, origin_key=key).first()
    if kpi.has_baseline:
        if existing and existing.status != ActionItem.Status.DONE:
            ActionItem.objects.filter(pk=existing.pk).update(
                status=ActionItem.Status.DONE, version=F("version") + 1
            )
        return
    owner = (kpi.data_source_owner or agent.owner_name or "Agent owner (to be named)")[:200]
    action = f"Establish baseline for {kpi.name} ({agent.name})"[:500]
    if existing is None:
        ActionItem.objects.create(
            workshop=workshop,
            owner=owner,
            action=action,
            due_date=workshop.date + datetime.timedelta(days=BASELINE_TASK_DAYS),
            origin=ActionItem.Origin.BASELINE,
            origin_key=key,
        )
        return
    changes = {}
    if existing.status == ActionItem.Status.DONE:
        changes["status"] = ActionItem.Status.OPEN
    if existing.owner != owner:
        changes["owner"] = owner
    if existing.action != action:
        changes["action"] = action
    if changes:
        ActionItem.objects.filter(pk=existing.pk).update(**changes, version=F("version") + 1)


def _instrument_task_sync(*, kpi: AgentKpi, agent: Agent, workshop: Workshop) -> None:
    """ "To be instrumented by <owner> by <date>": an open action for the data owner, due on
    that date; closed once the KPI is measurable, removed (if still open) when the promise is
    withdrawn."""
    key = kpi.instrument_action_key
    existing = ActionItem.objects.filter(workshop=workshop, origin_key=key).first()
    promised = (
        kpi.feasibility != rules.MEASURABLE
        and kpi.instrument_by is not None
        and bool(kpi.data_source_owner)
    )
    if not promised:
        if existing is None or existing.status == ActionItem.Status.DONE:
            return
        if kpi.feasibility == rules.MEASURABLE:
            ActionItem.objects.filter(pk=existing.pk).update(
                status=ActionItem.Status.DONE, version=F("version") + 1
            )
        else:
            existing.delete()
        return
    values = {
        "owner": kpi.data_source_owner[:200],
        "action": f"Instrument {kpi.name} ({agent.name})"[:500],
        "due_date": kpi.instrument_by,
    }
    if existing is None:
        ActionItem.objects.create(
            workshop=workshop, origin=ActionItem.Origin.INSTRUMENTATION, origin_key=key, **values
        )
        return
    changes = {name: value for name, value in values.items() if getattr(existing, name) != value}
    if existing.status == ActionItem.Status.DONE:
        changes["status"] = ActionItem.Status.OPEN
    if changes:
        ActionItem.objects.filter(pk=existing.pk).update(**changes, version=F("version") + 1)


@transaction.atomic
def agent_kpi_add(
    *,
    agent: Agent,
    values: dict,
    definition: KpiDefinition | None = None,
    table_id: int | None = None,
) -> AgentKpi:
    """Give the agent a KPI, from the library (`definition`) or custom; at most 3 per agent.

    A KPI without a baseline opens a workshop action "Establish baseline for <KPI> (<agent>)"
    owned by its data owner (else the agent owner), due two weeks after the workshop.
    `table_id` limits the write to an agent of that table. Bumps the workshop revision.
    Raises ValidationError by field (rules, the limit, a duplicate name).
    """
    cleaned = _clean_values(values, definition=definition, currency=agent.workshop.currency)
    scope = {"workshop_id": agent.workshop_id}
    if table_id is not None:
        scope["table_id"] = table_id
    # Lock the agent so two laptops adding at once cannot pass the limit together.
    locked = Agent.objects.select_for_update().select_related("workshop").get(pk=agent.pk, **scope)
    locks.refuse_if_locked(locked)
    if AgentKpi.objects.filter(agent=locked).count() >= rules.MAX_KPIS:
        raise ValidationError({NON_FIELD_ERRORS: MAX_KPIS_MESSAGE})
    if AgentKpi.objects.filter(agent=locked, name__iexact=cleaned["name"]).exists():
        raise _duplicate_name_error(cleaned["name"])
    try:
        with transaction.atomic():
            kpi = AgentKpi.objects.create(agent=locked, definition=definition, **cleaned)
    except IntegrityError as error:
        raise _duplicate_name_error(cleaned["name"]) from error
    _baseline_task_sync(kpi=kpi, agent=locked, workshop=locked.workshop)
    _instrument_task_sync(kpi=kpi, agent=locked, workshop=locked.workshop)
    workshop_touch(workshop_id=locked.workshop_id, scopes=AGENT_WORK, table_ids=[locked.table_id])
    return kpi


@transaction.atomic
def agent_kpi_update(
    *, kpi: AgentKpi, version: int, values: dict, table_id: int | None = None
) -> AgentKpi:
    """Save the KPI if nobody saved since `version` (else EditConflict), then open or close
    its baseline task. Bumps the workshop revision. Returns the KPI as saved."""
    definition = kpi.definition if kpi.definition_id else None
    agent = Agent.objects.select_related("workshop").get(pk=kpi.agent_id)
    cleaned = _clean_values(values, definition=definition, currency=agent.workshop.currency)
    locks.refuse_if_locked(agent)
    if (
        AgentKpi.objects.filter(agent_id=kpi.agent_id, name__iexact=cleaned["name"])
        .exclude(pk=kpi.pk)
        .exists()
    ):
        raise _duplicate_name_error(cleaned["name"])
    scope = {"agent_id": kpi.agent_id}
    if table_id is not None:
        scope["agent__table_id"] = table_id
    try:
        with transaction.atomic():
            versioned_update(AgentKpi, pk=kpi.pk, version=version, values=cleaned, scope=scope)
    except IntegrityError as error:
        raise _duplicate_name_error(cleaned["name"]) from error
    saved = AgentKpi.objects.select_related("definition").get(pk=kpi.pk)
    _baseline_task_sync(kpi=saved, agent=agent, workshop=agent.workshop)
    _instrument_task_sync(kpi=saved, agent=agent, workshop=agent.workshop)
    workshop_touch(workshop_id=agent.workshop_id, scopes=AGENT_WORK, table_ids=[agent.table_id])
    return saved


@transaction.atomic
def agent_kpi_delete(*, kpi: AgentKpi, table_id: int | None = None) -> None:
    """Remove the KPI and its baseline task if still open (a done task stays as history).
    Bumps the workshop revision."""
    scope = {"pk": kpi.pk}
    if table_id is not None:
        scope["agent__table_id"] = table_id
    agent = Agent.objects.get(pk=kpi.agent_id)
    locks.refuse_if_locked(agent)
    deleted, _ = AgentKpi.objects.filter(**scope).delete()
    if not deleted:
        raise AgentKpi.DoesNotExist
    ActionItem.objects.filter(
        workshop_id=agent.workshop_id,
        origin_key__in=[kpi.baseline_action_key, kpi.instrument_action_key],
    ).exclude(status=ActionItem.Status.DONE).delete()
    workshop_touch(workshop_id=agent.workshop_id, scopes=AGENT_WORK, table_ids=[agent.table_id])


@transaction.atomic
def agent_kpi_ambition_set(
    *, kpi: AgentKpi, version: int, good_enough: str, transformational: str, table_id=None
) -> AgentKpi:
    """Block 4, step 1: save what "good enough" and "transformational" look like for the KPI
    if nobody saved it since `version` (else EditConflict). Refused on a signed-off agent.
    Bumps the workshop revision. Returns the KPI as saved."""
    values = {
        "good_enough": " ".join(str(good_enough or "").split()),
        "transformational": " ".join(str(transformational or "").split()),
    }
    errors = rules.ambition_errors(**values)
    if errors:
        raise ValidationError(errors)
    agent = Agent.objects.select_related("workshop").get(pk=kpi.agent_id)
    locks.refuse_if_locked(agent)
    scope = {"agent_id": kpi.agent_id}
    if table_id is not None:
        scope["agent__table_id"] = table_id
    versioned_update(AgentKpi, pk=kpi.pk, version=version, values=values, scope=scope)
    workshop_touch(workshop_id=agent.workshop_id, scopes=AGENT_WORK, table_ids=[agent.table_id])
    return AgentKpi.objects.select_related("definition").get(pk=kpi.pk)
