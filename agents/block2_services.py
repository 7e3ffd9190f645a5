"""Block 2 writes: an agent's economic classification, value driver and thesis."""

from django.core.exceptions import ValidationError
from django.db import transaction

from workshops import locks
from workshops.changes import AGENT_WORK
from workshops.concurrency import versioned_update
from workshops.services import workshop_touch

from . import classification
from .block2_selectors import catalogue_price, model_price, pinned_price
from .models import Agent

CLASSIFICATION_FIELDS = [
    "economic_class",
    "value_driver",
    "value_driver_other",
    "thesis_subject",
    "thesis_mechanism",
]


@transaction.atomic
def agent_classify(
    *,
    agent: Agent,
    version: int,
    economic_class: str,
    value_driver: str,
    thesis_subject: str,
    thesis_mechanism: str,
    value_driver_other: str = "",
    table_id: int | None = None,
) -> Agent:
    """Save the agent's archetype, primary value driver and thesis parts if nobody saved since
    `version` (else EditConflict); bumps the workshop revision.

    Refuses (ValidationError by field) anything the Block 2 rules call vague or missing.
    `table_id` limits the write to an agent of that table (participants). Returns the agent
    as saved.
    """
    errors = classification.classification_errors(
        economic_class=economic_class,
        value_driver=value_driver,
        value_driver_other=value_driver_other,
        subject=thesis_subject,
        mechanism=thesis_mechanism,
    )
    if errors:
        raise ValidationError(errors)
    locks.refuse_if_locked(agent)
    values = {
        "economic_class": economic_class,
        "value_driver": value_driver,
        "value_driver_other": (
            classification.normalise_part(value_driver_other)
            if value_driver == classification.OTHER_DRIVER
            else ""
        ),
        "thesis_subject": classification.normalise_part(thesis_subject),
        "thesis_mechanism": classification.normalise_mechanism(thesis_mechanism),
    }
    scope = {"workshop_id": agent.workshop_id}
    if table_id is not None:
        scope["table_id"] = table_id
    versioned_update(Agent, pk=agent.pk, version=version, values=values, scope=scope)
    workshop_touch(workshop_id=agent.workshop_id, scopes=AGENT_WORK, table_ids=[agent.table_id])
    return Agent.objects.select_related("workshop", "table").get(pk=agent.pk)


WORKLOAD_FIELDS = [
    "workload_model",
    "input_tokens_per_call",
    "output_tokens_per_call",
    "model_calls_per_task",
    "tasks_per_month",
]
MAX_TOKENS_PER_CALL = 2_000_000
MAX_CALLS_PER_TASK = 1_000
MAX_TASKS_PER_MONTH = 100_000_000


def workload_errors(values: dict) -> dict[str, str]:
    """What is wrong with an AI workload, by field; empty when it can be saved. All fields
    empty clears the workload."""
    errors = {}
    limits = {
        "input_tokens_per_call": (0, MAX_TOKENS_PER_CALL),
        "output_tokens_per_call": (0, MAX_TOKENS_PER_CALL),
        "model_calls_per_task": (1, MAX_CALLS_PER_TASK),
        "tasks_per_month": (0, MAX_TASKS_PER_MONTH),
    }
    for field, (low, high) in limits.items():
        value = values.get(field)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            errors[field] = "Enter a whole number."
        elif not low <= value <= high:
            errors[field] = f"Enter a whole number from {low:,} to {high:,}."
    if values.get("workload_model") is None:
        if any(values.get(field) is not None for field in limits):
            errors.setdefault(
                "workload_model", "Choose the model the agent calls, so its tokens can be priced."
            )
    else:
        for field, what in (
            ("input_tokens_per_call", "input"),
            ("output_tokens_per_call", "output"),
        ):
            if values.get(field) is None:
                errors.setdefault(field, f"Enter the {what} tokens of one model call, e.g. 3,000.")
    return errors


@transaction.atomic
def agent_workload_set(
    *, agent: Agent, version: int, values: dict, table_id: int | None = None
) -> Agent:
    """Save (or, with every value empty, clear) the agent's AI workload if nobody saved the
    agent since `version` (else EditConflict); bumps the workshop revision. Refuses
    (ValidationError by field) a workload that cannot be priced.

    A new model (or a workload not priced yet) copies the model's list price in force on the
    workshop's pricing date onto the agent; the same model keeps the price it has."""
    unknown = set(values) - set(WORKLOAD_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    values = {field: values.get(field) for field in WORKLOAD_FIELDS}
    if errors := workload_errors(values):
        raise ValidationError(errors)
    locks.refuse_if_locked(agent)
    if values["workload_model"] is not None and values["model_calls_per_task"] is None:
        values["model_calls_per_task"] = 1
    values.update(_price_values(agent, values["workload_model"]))
    scope = {"workshop_id": agent.workshop_id}
    if table_id is not None:
        scope["table_id"] = table_id
    versioned_update(Agent, pk=agent.pk, version=version, values=values, scope=scope)
    workshop_touch(workshop_id=agent.workshop_id, scopes=AGENT_WORK, table_ids=[agent.table_id])
    return Agent.objects.select_related("workshop", "table", "workload_model").get(pk=agent.pk)


PRICE_FIELDS = [
    "workload_price_date",
    "workload_input_usd_per_mtok",
    "workload_output_usd_per_mtok",
    "workload_cached_input_usd_per_mtok",
]


def _copied_price(price) -> dict:
    if price is None:
        return dict.fromkeys(PRICE_FIELDS)
    return {
        "workload_price_date": price.effective_date,
        "workload_input_usd_per_mtok": price.input_usd_per_mtok,
        "workload_output_usd_per_mtok": price.output_usd_per_mtok,
        "workload_cached_input_usd_per_mtok": price.cached_input_usd_per_mtok,
    }


def _price_values(agent: Agent, model) -> dict:
    """The price fields to save with the workload: kept for the same, already priced model."""
    if model is not None and model.pk == agent.workload_model_id and agent.has_pinned_price:
        return {}
    if model is None:
        return _copied_price(None)
    return _copied_price(model_price(model, agent.workshop.pricing_date))


@transaction.atomic
def workloads_price(*, workshop, day) -> int:
    """Copy onto every agent of `workshop` with an AI workload its model's list price in force
    on `day` (None where the catalogue has none then). Neither checks finance locks nor
    changes agent versions: callers void sign-offs first (targets.reprice_services). Bumps the
    workshop revision. Returns how many agents' prices changed."""
    agents = list(
        Agent.objects.filter(workshop=workshop, workload_model__isnull=False)
        .select_related("workshop")
        .prefetch_related("workload_model__price_points")
    )
    changed = 0
    for agent in agents:
        price = catalogue_price(agent, day)
        if price == pinned_price(agent):
            continue
        Agent.objects.filter(pk=agent.pk).update(**_copied_price(price))
        changed += 1
    workshop_touch(workshop_id=workshop.pk, scopes=AGENT_WORK, table_ids=None)
    return changed


@transaction.atomic
def workloads_pin(*, workshop) -> int:
    """Copy the list price in force on the workshop's pricing date onto each of its agents
    whose workload has no price yet (after an import). Bumps the workshop revision. Returns
    how many were pinned."""
    agents = Agent.objects.filter(
        workshop=workshop, workload_model__isnull=False, workload_price_date__isnull=True
    ).prefetch_related("workload_model__price_points")
    pinned = 0
    for agent in agents:
        price = catalogue_price(agent, workshop.pricing_date)
        if price is not None:
            Agent.objects.filter(pk=agent.pk).update(**_copied_price(price))
            pinned += 1
    workshop_touch(workshop_id=workshop.pk, scopes=AGENT_WORK, table_ids=None)
    return pinned
