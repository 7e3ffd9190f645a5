"""No lost updates: every editable record carries a `version`; a save names the version it
started from and succeeds only if nobody saved in between.

How a block uses it (the table's agent page, `workshops/views/table.py::table_agent`, is the
worked example):

1. Model: a `version = models.PositiveIntegerField(default=1)` on the editable row.
2. Form: a hidden `version` field, initialised from the record when the page is drawn.
3. Service: `versioned_update(Model, pk=..., version=form.cleaned_data["version"],
   values=..., scope={"table_id": ...})` inside `transaction.atomic()`, then `workshop_touch`.
4. View: on `EditConflict as conflict`, answer 409 with the form rebuilt from
   `rebase_form_data(form, version=conflict.current.version)` (what the person typed, over the
   version they have now seen) and `{% include "includes/conflict_panel.html" %}` inside the
   form, with `conflict=conflict_rows(form=form, current=conflict.current, fields=[...])` and
   `reload_url` (the page, to take theirs). "Keep mine" submits the form again.
5. Template: the form posts with `hx-post`, `hx-target="this"`, `hx-swap="outerHTML"`; htmx
   swaps 409 and 422 answers (base.html), so the panel and field errors appear in place and the
   typed text stays. A 422 answers invalid input the same way.
"""

from django.db import models
from django.db.models import F


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
        if str(theirs if theirs is not None else "") != str(yours if yours is not None else ""):
            rows.append(
                {"label": form.fields[name].label or name, "theirs": theirs, "yours": yours}
            )
    return rows


def rebase_form_data(form, *, version: int):
    """A copy of the person's submitted data with the version moved to `version`, so pressing
    "keep mine" saves what they typed over the version they have now seen."""
    data = form.data.copy()
    data["version"] = str(version)
    return data
