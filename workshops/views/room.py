"""The live room, facilitator side: presenter, projector, progress board, table controls.

The tables' side (joining, workspace, agent page) is in `views/table.py`; polling in
`views/polling.py`.
"""

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.addresses import public_url, reachability_problem

from .. import changes, joining, live, notices, progress, projector
from ..models import BreakoutTable, Participant, Workshop
from ..permissions import workshop_for_facilitator
from ..room_forms import AdjustForm
from ..services import table_rotate_code
from .polling import facilitator_poll, live_rev, render_live


def _room_nav(workshop: Workshop, current: str) -> list[dict]:
    links = [
        ("presenter", "Presenter", reverse("workshops:presenter", args=[workshop.pk])),
        ("projector", "Projector", reverse("workshops:projector", args=[workshop.pk])),
        ("board", "Progress board", reverse("workshops:board", args=[workshop.pk])),
        (
            "quiz",
            "Knowledge check",
            reverse("foundation:quiz_facilitator", args=[workshop.pk]),
        ),
        (
            "finance",
            "Finance status",
            reverse("targets:finance_status", args=[workshop.pk]),
        ),
        ("detail", "Workshop page", reverse("workshops:detail", args=[workshop.pk])),
    ]
    return [
        {"key": key, "label": label, "url": url, "current": key == current}
        for key, label, url in links
    ]


# --- Presenter --------------------------------------------------------------------------------


def _presenter_context(request, workshop: Workshop, **extra) -> dict:
    now = timezone.now()
    run = live.run_state(workshop, now=now)
    board = progress.board(workshop=workshop, now=now)
    return {
        "workshop": workshop,
        "run": run,
        "notices": notices.for_presenter(workshop=workshop, run=run, now=now),
        "views": projector.available(),
        "room_nav": _room_nav(workshop, "presenter"),
        "tables": board["tables"],
        "anyone_joined": board["anyone_joined"],
        "reachability_problem": reachability_problem(request),
        **extra,
    }


@facilitator_poll(changes.ROOM_OVERVIEW)
@login_required
def presenter(request, workshop_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    return render_live(
        request,
        "workshops/room/presenter.html",
        _presenter_context(request, workshop),
        workshop=workshop,
        watches=changes.ROOM_OVERVIEW,
    )


def _control_done(request, workshop: Workshop, error: str | None = None):
    """After a presenter control: the refreshed live region (htmx; 409 with the reason when
    refused) or back to the page."""
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("workshops:presenter", workshop_id=workshop.pk)
    workshop.refresh_from_db()
    rev = live_rev(workshop, changes.ROOM_OVERVIEW)
    context = _presenter_context(request, workshop, control_error=error)
    context.update(rev=rev, rendered_at=int(time.time()))
    return render(
        request, "workshops/room/presenter.html#live", context, status=409 if error else 200
    )


def _from_item(request) -> int | None:
    try:
        return int(request.POST["item"])
    except (KeyError, ValueError):
        return None


@login_required
@require_POST
def run_control(request, workshop_id: int, action: str):
    """Start, pause, resume, next, previous, add/remove minutes, close."""
    workshop = workshop_for_facilitator(request, workshop_id)
    item = _from_item(request)
    try:
        if action == "start":
            live.run_start(workshop=workshop)
        elif action == "pause":
            live.run_pause(workshop=workshop)
        elif action == "resume":
            live.run_resume(workshop=workshop)
        elif action == "next":
            live.run_next(workshop=workshop, from_item_id=item)
        elif action == "previous":
            live.run_previous(workshop=workshop, from_item_id=item)
        elif action == "adjust":
            form = AdjustForm(request.POST)
            if not form.is_valid():
                raise live.RunError(form.errors["minutes"][0])
            live.run_adjust(
                workshop=workshop, seconds=form.cleaned_data["minutes"] * 60, from_item_id=item
            )
        elif action in ("page-next", "page-previous"):
            live.projector_turn(workshop=workshop, step=1 if action == "page-next" else -1)
        elif action == "close":
            live.run_close(workshop=workshop)
            if not request.htmx:
                messages.success(request, "The workshop is closed. Tables can no longer edit.")
        else:
            raise Http404("Unknown control.")
    except live.RunError as refused:
        return _control_done(request, workshop, str(refused))
    return _control_done(request, workshop)


@login_required
@require_POST
def projector_show(request, workshop_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    try:
        live.projector_show(workshop=workshop, view=request.POST.get("view", ""))
    except live.RunError as refused:
        return _control_done(request, workshop, str(refused))
    return _control_done(request, workshop)


# --- Projector --------------------------------------------------------------------------------


def _shown(key: str) -> projector.ProjectorView:
    return projector.REGISTRY.get(key) or projector.REGISTRY["agenda"]


def _projector_watches(request, state: dict):
    """What the projector's current view shows; None (render) when the screen asking still
    shows another view or has not seen the presenter's latest page turn."""
    view = _shown(state["projector_view"])
    turns = request.GET.get("turns")
    if turns is not None and turns != str(state["projector_turns"]):
        return None
    return view.watches if request.GET.get("view") == view.key else None


@facilitator_poll(_projector_watches)
@login_required
def projector_screen(request, workshop_id: int):
    """The second screen: whatever the presenter chose, large, no controls."""
    workshop = workshop_for_facilitator(request, workshop_id)
    view = _shown(workshop.projector_view)
    context = {
        "view": view,
        "join_url": public_url(request, reverse("workshops:join")),
        "now": timezone.now(),
        **view.context(workshop),
    }
    return render_live(
        request, "workshops/room/projector.html", context, workshop=workshop, watches=view.watches
    )


# --- Progress board and table controls --------------------------------------------------------


@facilitator_poll(changes.ROOM_OVERVIEW)
@login_required
def board(request, workshop_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    now = timezone.now()
    context = {
        "board": progress.board(workshop=workshop, now=now),
        "run": live.run_state(workshop, now=now),
        "room_nav": _room_nav(workshop, "board"),
        "join_url": public_url(request, reverse("workshops:join")),
        "reachability_problem": reachability_problem(request),
    }
    return render_live(
        request,
        "workshops/room/board.html",
        context,
        workshop=workshop,
        watches=changes.ROOM_OVERVIEW,
    )


def _board_done(request, workshop: Workshop, message: str):
    if request.htmx:
        return board(request, workshop.pk)
    messages.success(request, message)
    return redirect("workshops:board", workshop_id=workshop.pk)


@login_required
@require_POST
def table_lock(request, workshop_id: int, table_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    table = get_object_or_404(BreakoutTable, pk=table_id, workshop=workshop)
    locked = request.POST.get("locked") == "1"
    joining.table_lock(table=table, locked=locked)
    verb = "locked: nobody new can join it" if locked else "unlocked"
    return _board_done(request, workshop, f"{table.name} is {verb}.")


@login_required
@require_POST
def table_rotate(request, workshop_id: int, table_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    table = get_object_or_404(BreakoutTable, pk=table_id, workshop=workshop)
    table_rotate_code(table=table)
    return _board_done(
        request,
        workshop,
        f"{table.name} has a new code: {table.join_code_display}. The old one no longer works.",
    )


@login_required
@require_POST
def participant_remove(request, workshop_id: int, participant_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    participant = get_object_or_404(
        Participant.objects.select_related("table"),
        pk=participant_id,
        table__workshop=workshop,
        removed=False,
    )
    joining.participant_remove(participant=participant)
    return _board_done(
        request,
        workshop,
        f"{participant.display_name} was removed from {participant.table.name}. Rotate the "
        "table's code to keep them from joining again.",
    )
