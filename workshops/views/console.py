"""Facilitator console: workshops, tables, agenda, pre-work, post-workshop actions."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from common import pdffile
from common.uploads import accepts_upload

from .. import selectors, services
from ..concurrency import save_versioned
from ..forms import (
    ActionForm,
    AgendaItemForm,
    NarrativeForm,
    PreworkForm,
    TableForm,
    WorkshopForm,
)
from ..models import ActionItem, Workshop
from ..permissions import facilitator_required, workshop_for_facilitator

# Links to the live room shown on the workshop page:
# (label, URL name taking workshop_id, what it is for).
ROOM_LINKS = [
    ("Presenter", "workshops:presenter", "Run the agenda and timer from your laptop."),
    ("Projector", "workshops:projector", "Open on the screen the room sees."),
    ("Progress board", "workshops:board", "Every table's progress at a glance."),
    ("Knowledge check", "foundation:quiz_facilitator", "Run the Block 1 quiz."),
    ("Portfolio", "block2:portfolio", "Every agent's classification and thesis (Block 2)."),
    ("Feasibility check", "kpis:feasibility", "Every KPI by measurement feasibility (Block 3)."),
    ("Export / move", "bundles:export_page", "Download the workshop to move it to another server."),
    ("Re-price", "targets:reprice", "Price the AI workloads as of another day, today by default."),
]


def room_links(workshop: Workshop) -> list[dict]:
    return [
        {"label": label, "url": reverse(name, kwargs={"workshop_id": workshop.pk}), "help": help}
        for label, name, help in ROOM_LINKS
    ]


def _invalid(form) -> int:
    return 422 if form.is_bound and form.errors else 200


# --- Workshops --------------------------------------------------------------------------------


@facilitator_required
def workshop_create(request):
    form = WorkshopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        status = values.pop("status")
        workshop = services.workshop_create(facilitator=request.user, **values)
        if status != Workshop.Status.DRAFT:
            workshop = services.workshop_update(workshop=workshop, values={"status": status})
        messages.success(
            request,
            "Workshop created with the guide's agenda, pre-work checklist and "
            "post-workshop actions.",
        )
        return redirect("workshops:detail", workshop_id=workshop.pk)
    return render(
        request,
        "workshops/workshop_form.html",
        {"form": form, "workshop": None},
        status=_invalid(form),
    )


@login_required
def workshop_edit(request, workshop_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    form = WorkshopForm(request.POST or None, initial=WorkshopForm.initial_for(workshop))
    if request.method == "POST" and form.is_valid():
        old_date = workshop.date
        values = dict(form.cleaned_data)
        pricing_date = values.pop("pricing_date") or workshop.pricing_date
        workshop = services.workshop_update(workshop=workshop, values=values)
        text = "Workshop details saved."
        if workshop.date != old_date:
            text += " The guide's post-workshop actions that are not done now follow the new date."
        messages.success(request, text)
        # A new pricing date re-prices the workshop: shown first, applied on confirmation.
        if pricing_date != workshop.pricing_date:
            reprice_url = reverse("targets:reprice", kwargs={"workshop_id": workshop.pk})
            return redirect(f"{reprice_url}?as_of={pricing_date:%Y-%m-%d}")
        return redirect("workshops:detail", workshop_id=workshop.pk)
    return render(
        request,
        "workshops/workshop_form.html",
        {"form": form, "workshop": workshop},
        status=_invalid(form),
    )


@login_required
def workshop_detail(request, workshop_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    overview = selectors.workshop_overview(workshop=workshop, today=timezone.localdate())
    return render(
        request,
        "workshops/workshop_detail.html",
        {
            "workshop": workshop,
            **overview,
            "import_url": reverse("agents:import", kwargs={"workshop_id": workshop.pk}),
            "room_links": room_links(workshop),
        },
    )


# --- Breakout tables --------------------------------------------------------------------------


def _tables_page(request, workshop, form, status=200):
    tables = selectors.tables_for_console(workshop=workshop)
    return render(
        request,
        "workshops/table_list.html",
        {"workshop": workshop, "tables": tables, "form": form},
        status=status,
    )


@login_required
def table_list(request, workshop_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    form = TableForm(request.POST or None, workshop=workshop, auto_id="id_new_%s")
    if request.method == "POST" and form.is_valid():
        table = services.table_create(workshop=workshop, name=form.cleaned_data["name"])
        messages.success(
            request, f"{table.name} added. Its join code is {table.join_code_display}."
        )
        return redirect("workshops:tables", workshop_id=workshop.pk)
    return _tables_page(request, workshop, form, _invalid(form))


@login_required
def table_rename(request, workshop_id: int, table_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    table = get_object_or_404(workshop.tables, pk=table_id)
    form = TableForm(
        request.POST or None, workshop=workshop, table=table, initial={"name": table.name}
    )
    if request.method == "POST" and form.is_valid():
        old_name = table.name
        services.table_rename(table=table, name=form.cleaned_data["name"])
        messages.success(request, f"{old_name} is now called {table.name}.")
        return redirect("workshops:tables", workshop_id=workshop.pk)
    return render(
        request,
        "workshops/table_rename.html",
        {"workshop": workshop, "table": table, "form": form},
        status=_invalid(form),
    )


@login_required
def table_delete(request, workshop_id: int, table_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    table = get_object_or_404(selectors.tables_for_console(workshop=workshop), pk=table_id)
    if request.method == "POST":
        unassigned = services.table_delete(table=table)
        text = f"{table.name} deleted."
        if unassigned:
            text += f" {unassigned} agent{'s' if unassigned != 1 else ''} now unassigned."
        messages.success(request, text)
        return redirect("workshops:tables", workshop_id=workshop.pk)
    return render(request, "workshops/table_delete.html", {"workshop": workshop, "table": table})


# --- Agenda -----------------------------------------------------------------------------------


def _agenda_context(workshop, *, bound=None, saved_pk=None) -> dict:
    agenda = selectors.agenda_for_console(workshop=workshop)
    for block in agenda["blocks"]:
        for row in block["rows"]:
            item = row["item"]
            if bound is not None and bound[0] == item.pk:
                row["form"] = bound[1]
            else:
                row["form"] = AgendaItemForm(
                    initial={
                        "planned_minutes": item.planned_minutes,
                        "facilitator_notes": item.facilitator_notes,
                    },
                    auto_id=f"id_item{item.pk}_%s",
                )
            row["saved"] = item.pk == saved_pk
    return {"workshop": workshop, **agenda}


@login_required
def agenda(request, workshop_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    return render(request, "workshops/agenda.html", _agenda_context(workshop))


@login_required
@require_POST
def agenda_item_edit(request, workshop_id: int, item_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    item = get_object_or_404(workshop.agenda_items, pk=item_id)
    form = AgendaItemForm(request.POST, auto_id=f"id_item{item.pk}_%s")
    template = "workshops/agenda.html#agenda" if request.htmx else "workshops/agenda.html"
    if not form.is_valid():
        context = _agenda_context(workshop, bound=(item.pk, form))
        return render(request, template, context, status=422)
    services.agenda_item_update(item=item, **form.cleaned_data)
    if request.htmx:
        return render(request, template, _agenda_context(workshop, saved_pk=item.pk))
    messages.success(request, f"“{item.title}” saved.")
    return redirect(reverse("workshops:agenda", args=[workshop.pk]) + f"#item-{item.pk}")


# --- Pre-work checklist -----------------------------------------------------------------------


def _prework_context(workshop, *, bound=None, saved_pk=None, narrative_form=None) -> dict:
    rows = []
    for item in workshop.prework_items.all():
        if bound is not None and bound[0] == item.pk:
            form = bound[1]
        else:
            form = PreworkForm(
                initial={"status": item.status, "note": item.note},
                auto_id=f"id_prework{item.pk}_%s",
            )
        rows.append({"item": item, "form": form, "saved": item.pk == saved_pk})
    open_count = sum(1 for row in rows if row["item"].status == "open")
    return {
        "workshop": workshop,
        "rows": rows,
        "open_count": open_count,
        "narrative_form": narrative_form or NarrativeForm(),
        "narrative": selectors.narrative_meta(workshop=workshop),
    }


@login_required
def prework(request, workshop_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    return render(request, "workshops/prework.html", _prework_context(workshop))


@login_required
@require_POST
def prework_item_edit(request, workshop_id: int, item_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    item = get_object_or_404(workshop.prework_items, pk=item_id)
    form = PreworkForm(request.POST, auto_id=f"id_prework{item.pk}_%s")
    template = "workshops/prework.html#checklist" if request.htmx else "workshops/prework.html"
    if not form.is_valid():
        context = _prework_context(workshop, bound=(item.pk, form))
        return render(request, template, context, status=422)
    services.prework_update(item=item, **form.cleaned_data)
    if request.htmx:
        return render(request, template, _prework_context(workshop, saved_pk=item.pk))
    messages.success(request, f"“{item.title}” saved.")
    return redirect("workshops:prework", workshop_id=workshop.pk)


NARRATIVE_TOO_LARGE = (
    f"The file is larger than {pdffile.megabytes(pdffile.MAX_BYTES)}; a narrative PDF may be at "
    "most that. Save it smaller (e.g. “Reduce file size” when exporting). Nothing was uploaded."
)


@login_required
@accepts_upload(field_name="file", max_bytes=pdffile.MAX_BYTES)
def narrative_upload(request, workshop_id: int):
    """Upload (or replace) the Pillar 5 narrative PDF; the form lives on the pre-work page."""
    workshop = workshop_for_facilitator(request, workshop_id)
    if request.method != "POST":
        return redirect(f"{reverse('workshops:prework', args=[workshop.pk])}#narrative")
    form = NarrativeForm(request.POST, request.FILES)
    valid = form.is_valid()
    if request.upload_too_large:  # the form only knows the file is missing
        form.errors["file"] = form.error_class([NARRATIVE_TOO_LARGE])
        valid = False
    if valid:
        upload = form.cleaned_data["file"]
        try:
            services.narrative_upload(
                workshop=workshop, filename=upload.name, content=upload.read(), now=timezone.now()
            )
        except ValueError as problem:
            form.add_error("file", f"{problem} Nothing was uploaded.")
            valid = False
    if not valid:
        context = _prework_context(workshop, narrative_form=form)
        return render(request, "workshops/prework.html", context, status=422)
    messages.success(request, "The Pillar 5 narrative is uploaded.")
    return redirect(f"{reverse('workshops:prework', args=[workshop.pk])}#narrative")


@login_required
@require_POST
def narrative_remove(request, workshop_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    if services.narrative_remove(workshop=workshop):
        messages.success(request, "The Pillar 5 narrative PDF is removed.")
    return redirect(f"{reverse('workshops:prework', args=[workshop.pk])}#narrative")


# --- Post-workshop actions --------------------------------------------------------------------


@login_required
def action_list(request, workshop_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    today = timezone.localdate()
    actions = selectors.actions_for_console(workshop=workshop, today=today)
    return render(
        request,
        "workshops/action_list.html",
        {"workshop": workshop, "actions": actions, "today": today},
    )


@login_required
def action_create(request, workshop_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    form = ActionForm(request.POST or None, initial={"status": ActionItem.Status.OPEN})
    if request.method == "POST" and form.is_valid():
        services.action_create(workshop=workshop, **form.values())
        messages.success(request, "Action added.")
        return redirect("workshops:actions", workshop_id=workshop.pk)
    return render(
        request,
        "workshops/action_form.html",
        {"workshop": workshop, "form": form, "item": None},
        status=_invalid(form),
    )


@login_required
def action_edit(request, workshop_id: int, action_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    item = get_object_or_404(workshop.actions, pk=action_id)
    form = ActionForm(request.POST or None, initial=ActionForm.initial_for(item), editing=True)
    context = {"workshop": workshop, "form": form, "item": item}
    if not form.is_bound:
        return render(request, "workshops/action_form.html", context)
    outcome = save_versioned(
        form,
        lambda: services.action_update(
            item=item, version=form.cleaned_data["version"], values=form.values()
        ),
        fields=ActionForm.FIELDS,
        rebase=partial(ActionForm, editing=True),
        gone=ActionItem.DoesNotExist,
    )
    if outcome.gone:
        messages.error(request, "That action was deleted in the meantime.")
        return redirect("workshops:actions", workshop_id=workshop.pk)
    if outcome.status == 200:
        messages.success(request, "Action saved.")
        return redirect("workshops:actions", workshop_id=workshop.pk)
    if outcome.status == 409:
        context.update(form=outcome.form, conflict=outcome.conflict, reload_url=request.path)
    return render(request, "workshops/action_form.html", context, status=outcome.status)
