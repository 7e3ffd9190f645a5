"""No lost updates: every editable record carries a `version`; a save names the version it
started from and succeeds only if nobody saved in between.

How a block uses it (the table's agent page, `workshops/views/table.py::table_agent`, is the
worked example):

1. Model: a `version = models.PositiveIntegerField(default=1)` on the editable row.
2. Form: a hidden `version` field, initialised from the record when the page is drawn.
3. Service: `versioned_update(Model, pk=..., version=form.cleaned_data["version"],
   values=..., scope={"table_id": ...})` inside `transaction.atomic()`, then `workshop_touch`.
4. View: `outcome = save_versioned(form, lambda: <service>(...), fields=[...], rebase=...,
   gone=Model.DoesNotExist)`. A 409 outcome carries `outcome.form`, rebuilt from what the
   person typed over the version they have now seen, and `outcome.conflict`, the rows for
   `{% include "includes/conflict_panel.html" %}` inside the form; answer with those and
   `reload_url` (the page, to take theirs). "Keep mine" submits the form again.
5. Template: the form posts with `hx-post`, `hx-target="this"`, `hx-swap="outerHTML"`; htmx
   swaps 409 and 422 answers (base.html), so the panel and field errors appear in place and the
   typed text stays. A 422 answers invalid input the same way.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F

from common.forms import add_errors


class EditConflict(Exception):
    """Someone saved the record after this edit began. `current` is the record as saved."""

    def __init__(self, current: models.Model):
        super().__init__(f"{type(current).__name__} {current.pk} was changed by someone else")
        self.current = current


def versioned_update(
    model: type[models.Model], *, pk: int, version: int, values: dict, scope: dict | None = None
) -> int:
    """Write `values` to row `pk` only if it is still at `version`; return the new version.

    `scope` adds filters (e.g. `{"table_id": 3}`) so a caller cannot reach another's rows.
    Raises EditConflict with the saved record when the version moved on, and
    model.DoesNotExist when the row is gone or outside the scope. Call inside a transaction.
    """
    scope = scope or {}
    updated = model.objects.filter(pk=pk, version=version, **scope).update(
        **values, version=F("version") + 1
    )
    if updated:
        return version + 1
    current = model.objects.get(pk=pk, **scope)
    raise EditConflict(current)


def conflict_rows(*, form, current: models.Model, fields: list[str]) -> list[dict]:
    """The fields where the saved record and what this person typed differ, for the conflict
    panel: [{"label", "theirs", "yours"}]. `form` is the bound form with the person's input."""
    rows = []
    for name in fields:
        theirs = getattr(current, name)
        yours = form.cleaned_data.get(name) if form.is_valid() else form.data.get(name)
        if not _same(theirs, yours):
            rows.append(
                {"label": form.fields[name].label or name, "theirs": theirs, "yours": yours}
            )
    return rows


def _same(theirs, yours) -> bool:
    """Equal values, or equal as text (typed input). Decimal("60.00") and Decimal("60") are
    the same number although they print differently."""
    theirs = "" if theirs is None else theirs
    yours = "" if yours is None else yours
    return theirs == yours or str(theirs) == str(yours)


def rebase_form_data(form, *, version: int):
    """A copy of the person's submitted data with the version moved to `version`, so pressing
    "keep mine" saves what they typed over the version they have now seen."""
    data = form.data.copy()
    data[form.add_prefix("version")] = str(version)
    return data


@dataclass(frozen=True)
class SaveOutcome[T]:
    """How a versioned save went. `status`: 200 saved (`saved` is what the service returned;
    for a save over a moved version whose values equal the saved ones, the record as saved),
    422 invalid (`form` carries the errors), 409 conflict (`form` is rebuilt over `current`,
    the record as saved, and `conflict` holds the panel's rows), 404 the record is gone."""

    status: int
    form: forms.BaseForm
    saved: T | None = None
    conflict: list[dict] | None = None
    current: models.Model | None = None

    @property
    def gone(self) -> bool:
        return self.status == 404


def save_versioned[T](
    form: forms.BaseForm,
    save: Callable[[], T],
    *,
    fields: list[str],
    rebase: Callable[[dict], forms.BaseForm],
    gone: type[Exception] | tuple[type[Exception], ...],
) -> SaveOutcome[T]:
    """Validate `form`, then `save()` (the service call, with the form's version).

    A ValidationError from the service goes onto the form (422). An EditConflict gives the
    conflict rows for `fields` and the form rebuilt by `rebase(data)` from what the person
    typed over the saved version (409). `gone` (the DoesNotExist the service raises for a
    record removed or out of scope) gives 404. Writes nothing itself: `save` does.
    """
    if not form.is_valid():
        return SaveOutcome(422, form)
    try:
        saved = save()
    except ValidationError as error:
        add_errors(form, error)
        return SaveOutcome(422, form)
    except EditConflict as conflict:
        current = conflict.current
        rows = conflict_rows(form=form, current=current, fields=fields)
        rebased = rebase(rebase_form_data(form, version=current.version))
        rebased.is_valid()
        if not rows:
            # What is saved is what this person typed (their own save whose answer was lost
            # on the way, sent again; or the same text from a neighbour): nothing to resolve.
            return SaveOutcome(200, rebased, saved=current, current=current)
        return SaveOutcome(409, rebased, conflict=rows, current=current)
    except gone:
        return SaveOutcome(404, form)
    return SaveOutcome(200, form, saved=saved)
