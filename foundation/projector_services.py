"""Writes of the Block 1 projector views: what the facilitator chose in a tool, kept for the
workshop so the projector shows it."""

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction

from workshops.changes import OVERVIEW
from workshops.models import Workshop
from workshops.services import workshop_touch

from .forms import BreakEvenForm, CalculatorForm, EvolutionForm
from .models import ToolInputs

# Which form's fields each stored part holds.
PARTS = {"calculator": CalculatorForm, "window": EvolutionForm, "break_even": BreakEvenForm}


def _plain(name: str, value: object) -> str:
    """A cleaned value as text the form reads back in the default number format."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise ValueError(f"{name}: expected text or a number, got {type(value).__name__}.")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{name}: expected a finite number.")
        return f"{value:f}"
    return str(value)


def _stored(part: str, values: Mapping[str, object]) -> dict[str, str]:
    fields = PARTS[part].base_fields
    unknown = sorted(set(values) - set(fields))
    missing = sorted(set(fields) - set(values))
    if unknown or missing:
        raise ValueError(f"{part}: unknown {unknown}, missing {missing}.")
    return {name: _plain(name, values[name]) for name in fields}


@transaction.atomic
def tool_inputs_set(
    *,
    workshop: Workshop,
    calculator: Mapping[str, object] | None = None,
    window: Mapping[str, object] | None = None,
    break_even: Mapping[str, object] | None = None,
) -> ToolInputs:
    """Keep what the facilitator chose in the Block 1 tools (each a form's cleaned values:
    every field of CalculatorForm, EvolutionForm or BreakEvenForm) for the workshop's
    projector views. A part given replaces the stored one; a part not given stays.

    Side effects: creates or updates the workshop's ToolInputs; bumps the workshop's revision
    and its overview (changes.OVERVIEW), so a projector showing a Block 1 view redraws.
    Raises ValueError, storing nothing, when a part lacks a field or holds an unknown one.
    """
    given = {"calculator": calculator, "window": window, "break_even": break_even}
    changes = {part: _stored(part, values) for part, values in given.items() if values is not None}
    inputs, _created = ToolInputs.objects.select_for_update().get_or_create(workshop=workshop)
    for part, values in changes.items():
        setattr(inputs, part, values)
    inputs.save()
    workshop_touch(workshop_id=workshop.pk, scopes=OVERVIEW)
    return inputs
