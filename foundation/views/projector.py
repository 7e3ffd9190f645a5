"""Putting a Block 1 tool on the projector: the facilitator's inputs are kept for the workshop
and the projector switches to the tool's view."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from workshops import live
from workshops.permissions import workshop_for_facilitator

from .. import selectors
from ..forms import BreakEvenForm, CalculatorForm, EvolutionForm, query_items
from ..projector_services import tool_inputs_set

# tool: (its page, the projector view it shows, what the message calls it)
TOOLS = {
    "calculator": ("foundation:calculator", "tiers", "the model tiers"),
    "evolution": ("foundation:evolution", "evolution", "the cost evolution story"),
    "break_even": ("foundation:break_even", "break_even", "the break-even"),
}


def _back(page: str, items: list[tuple[str, str]], workshop_id: int):
    return redirect(f"{reverse(page)}?{urlencode([*items, ('workshop', workshop_id)])}")


@login_required
@require_POST
def tool_project(request, workshop_id: int):
    """Keep the tool's inputs (the page's own fields, as typed) for the workshop's projector
    and put the tool's view on it; back to the tool's page with a message either way."""
    workshop = workshop_for_facilitator(request, workshop_id)
    tool = request.POST.get("tool", "")
    if tool not in TOOLS:
        raise Http404("No such tool.")
    page, view, what = TOOLS[tool]
    rows = selectors.priced_models(today=workshop.pricing_date)
    fmt = workshop.number_format
    if tool == "break_even":
        forms = {"break_even": BreakEvenForm(request.POST, priced_rows=rows, number_format=fmt)}
    else:
        forms = {"calculator": CalculatorForm(request.POST, priced_rows=rows, number_format=fmt)}
        if tool == "evolution":
            forms["window"] = EvolutionForm(request.POST, number_format=fmt)
    if not all(form.is_valid() for form in forms.values()):
        typed = [
            (name, request.POST.get(name, "")[:100])
            for form in forms.values()
            for name in form.base_fields
        ]
        problems = [
            f"{form[name].label}: {error}"
            for form in forms.values()
            for name, errors in form.errors.items()
            if name in form.fields and name != "model"
            for error in errors
        ]
        if any("model" in form.errors for form in forms.values()):
            problems.insert(
                0,
                f"Model: choose a model with a list price on the workshop's pricing date "
                f"({workshop.pricing_date:%-d %b %Y}), or a tier.",
            )
        messages.error(
            request,
            "Nothing was put on the projector. "
            + (" ".join(problems) or "Check the figures and try again."),
        )
        return _back(page, typed, workshop.pk)
    tool_inputs_set(
        workshop=workshop,
        **{
            part: {name: form.cleaned_data[name] for name in form.base_fields}
            for part, form in forms.items()
        },
    )
    live.projector_show(workshop=workshop, view=view)
    messages.success(request, f"The projector shows {what} with these figures.")
    return _back(page, [item for form in forms.values() for item in query_items(form)], workshop.pk)
