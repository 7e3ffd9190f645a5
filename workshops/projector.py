"""What the projector can show. The live room provides agenda, join screen and progress board;
later blocks register their views (quiz, portfolio, feasibility check, finance status) from
their app's `ready()`.

A view is a template (rendered inside the projector frame, and polled by revision) and a
function giving its context for a workshop. The presenter offers only registered views.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .changes import ROOM_OVERVIEW, Scope


@dataclass(frozen=True)
class ProjectorView:
    key: str  # one of Workshop.ProjectorView values
    label: str
    template: str
    context: Callable[..., dict]  # context(workshop) -> dict
    # The scopes of change it shows (workshops/changes.py); by default all but one table's.
    watches: tuple[Scope, ...] = (Scope.ROOM, Scope.BOARD, Scope.WORK)


REGISTRY: dict[str, ProjectorView] = {}


def register(view: ProjectorView) -> None:
    REGISTRY[view.key] = view


def available() -> list[ProjectorView]:
    """Registered views, in the order of Workshop.ProjectorView."""
    from .models import Workshop

    return [REGISTRY[key] for key in Workshop.ProjectorView.values if key in REGISTRY]


# --- The live room's own views ----------------------------------------------------------------
# Every view's template also gets `workshop`, `join_url` (http://<host>/join) and `now`.


def _agenda_context(workshop) -> dict:
    from .live import run_state

    return {"run": run_state(workshop)}


def _join_context(workshop) -> dict:
    return {"tables": list(workshop.tables.order_by("position", "name"))}


def _board_context(workshop) -> dict:
    from django.utils import timezone

    from .progress import board

    return {"board": board(workshop=workshop, now=timezone.now())}


def register_builtin() -> None:
    """Register the agenda, join screen and progress board (called from the app's ready())."""
    register(
        ProjectorView(
            "agenda",
            "Agenda and timer",
            "workshops/room/pj_agenda.html",
            _agenda_context,
            watches=(Scope.ROOM,),
        )
    )
    register(
        ProjectorView(
            "schedule",
            "Timed agenda",
            "workshops/room/pj_schedule.html",
            _agenda_context,
            watches=(Scope.ROOM,),
        )
    )
    register(
        ProjectorView(
            "join", "Join screen", "workshops/room/pj_join.html", _join_context, ROOM_OVERVIEW
        )
    )
    register(
        ProjectorView(
            "board", "Progress board", "workshops/room/pj_board.html", _board_context, ROOM_OVERVIEW
        )
    )
