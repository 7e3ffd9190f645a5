"""Live regions poll `?rev=N&at=T` every 2 s (see templates/workshops/room/*.html).

A region watches the scopes of change it shows (`workshops.changes`); its `rev` is the sum of
their revisions. While that sum is still N (and the region is younger than
FULL_REFRESH_SECONDS, so presence and clocks stay fresh), the answer is 204 after two queries:
the session, then one row with the revisions (the participant joined to its table and
workshop, or the workshop checked against the facilitator without loading the user).
Otherwise the view renders the region's partial carrying the new rev; a closed workshop
answers 286, which makes htmx stop polling.

Every poller goes through here: `facilitator_poll` and `participant_poll` answer before the
view runs; `live_poll` answers inside a view that must check access its own way first.
"""

import time
from collections.abc import Callable, Iterable, Mapping
from functools import wraps

from django.apps import apps
from django.contrib.auth import SESSION_KEY, get_user_model
from django.db.models import Exists, F, OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_htmx.http import HttpResponseStopPolling

from .. import changes, joining
from ..models import BreakoutTable, Participant, Workshop
from ..permissions import PARTICIPANT_SESSION_KEY

# A polled region is re-rendered at least this often even when nothing changed, so presence
# ("here" / "away") and the countdown's clock offset stay fresh.
FULL_REFRESH_SECONDS = 30

NO_CONTENT = 204

# What a region watches: its scopes, or a function of the request and the workshop's poll
# state giving them (None: render, e.g. the projector was switched to another view).
Watches = Iterable[changes.Scope] | Callable[..., Iterable[changes.Scope] | None]

_WORKSHOP_STATE = (
    *changes.WORKSHOP_FIELDS.values(),
    "status",
    "projector_view",
    "projector_turns",
)


def unchanged(request, rev: int) -> bool:
    """The region asking already shows `rev` and is fresh enough (when it says when it was
    rendered: regions with a clock or presence do)."""
    if request.GET.get("rev") != str(rev):
        return False
    if "at" not in request.GET:
        return True
    try:
        rendered_at = int(request.GET["at"])
    except ValueError:
        return False
    return 0 <= time.time() - rendered_at < FULL_REFRESH_SECONDS


def _polling(request) -> bool:
    return bool(request.htmx) and request.method == "GET" and "rev" in request.GET


def _still(request, state: Mapping, watches: Watches) -> bool:
    """Nothing the region watches changed, and the workshop is still open."""
    if state["status"] == Workshop.Status.CLOSED:
        return False
    scopes = watches(request, state) if callable(watches) else watches
    if scopes is None:
        return False
    rev = changes.region_rev(state, scopes)
    return rev is not None and unchanged(request, rev)


def facilitator_poll_state(request, workshop_id: int) -> dict | None:
    """The workshop's revisions, status and projector view if the signed-in user facilitates
    it: one query after the session, without loading the user. The full page still checks
    permission properly; this path only ever answers "nothing changed"."""
    user_id = request.session.get(SESSION_KEY)
    if user_id is None:
        return None
    users = get_user_model().objects.filter(pk=user_id, is_active=True)
    return (
        Workshop.objects.filter(pk=workshop_id)
        .filter(Exists(users))
        .filter(
            Exists(users.filter(is_superuser=True))
            | Exists(
                Workshop.facilitators.through.objects.filter(
                    workshop_id=OuterRef("pk"), user_id=user_id
                )
            )
        )
        .values(*_WORKSHOP_STATE)
        .first()
    )


def facilitator_poll(watches: Watches):
    """A facilitator page (URL argument `workshop_id`) whose live region watches `watches`:
    unchanged -> 204, else the view (which checks access as for any request)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, workshop_id: int, *args, **kwargs):
            if _polling(request):
                state = facilitator_poll_state(request, workshop_id)
                if state and _still(request, state, watches):
                    return HttpResponse(status=NO_CONTENT)
            return view(request, workshop_id, *args, **kwargs)

        return wrapper

    return decorate


def participant_poll_state(token: str, agent_id: int | None) -> dict | None:
    """The participant's presence, its table's and workshop's revisions and, for an agent
    page, the version of that agent while it sits at the participant's table: one query."""
    fields = {
        "table_revision": F("table__revision"),
        "summary_revision": F("table__summary_revision"),
        "room_revision": F("table__workshop__room_revision"),
        "status": F("table__workshop__status"),
    }
    if agent_id is not None:
        # Agents live in the agents app, which depends on this one: looked up, not imported.
        agents = apps.get_model("agents", "Agent").objects
        fields["agent_version"] = Subquery(
            agents.filter(pk=agent_id, table_id=OuterRef("table_id")).values("version")[:1]
        )
    return (
        Participant.objects.filter(token=token, removed=False)
        .values("pk", "last_seen_at", **fields)
        .first()
    )


def participant_poll(watches: Iterable[changes.Scope]):
    """A table's page whose live region watches `watches` (with AGENT: the agent of the URL
    argument `agent_id`): unchanged -> 204 (writing presence only when due), else the view."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            token = request.session.get(PARTICIPANT_SESSION_KEY) if _polling(request) else None
            if token:
                agent_id = kwargs.get("agent_id") if changes.Scope.AGENT in watches else None
                state = participant_poll_state(token, agent_id)
                if state and _still(request, state, watches):
                    joining.presence_touch(
                        participant_id=state["pk"],
                        last_seen_at=state["last_seen_at"],
                        now=timezone.now(),
                    )
                    return HttpResponse(status=NO_CONTENT)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def live_poll(
    request, workshop: Workshop, watches: Iterable[changes.Scope], *, table=None
) -> HttpResponse | None:
    """Inside a view that checked access itself: for a polling request, 204 when nothing the
    region watches changed, 286 (stop polling) once the workshop is closed; None when the
    region should render."""
    if request.method != "GET" or "rev" not in request.GET:
        return None
    if workshop.status == Workshop.Status.CLOSED:
        return HttpResponseStopPolling()
    rev = changes.workshop_rev(workshop, watches, table=table)
    if rev is not None and unchanged(request, rev):
        return HttpResponse(status=NO_CONTENT)
    return None


def live_rev(
    workshop: Workshop, watches: Iterable[changes.Scope], *, table=None, agent=None
) -> int | None:
    """The `rev` a region renders with; read before what it shows, so no change is missed."""
    return changes.workshop_rev(workshop, watches, table=table, agent=agent)


def render_live(
    request,
    template: str,
    context: dict,
    *,
    workshop: Workshop,
    watches: Iterable[changes.Scope],
    table: BreakoutTable | None = None,
    agent=None,
    partial: str = "live",
):
    """The page, or for an htmx request its live region; 286 once the workshop is closed.
    `workshop` (and `table`, `agent`) must have been read before the context."""
    context.setdefault("workshop", workshop)
    context["rev"] = live_rev(workshop, watches, table=table, agent=agent)
    context["rendered_at"] = int(time.time())
    if not request.htmx:
        return render(request, template, context)
    response = render(request, f"{template}#{partial}", context)
    if workshop.status == Workshop.Status.CLOSED:
        return HttpResponseStopPolling(response.content)
    return response
