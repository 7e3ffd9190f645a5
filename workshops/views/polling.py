"""Live regions poll `?rev=N&at=T` every 2 s (see templates/workshops/room/*.html).

While the workshop's revision is still N (and the region is younger than
FULL_REFRESH_SECONDS, so presence and clocks stay fresh), the answer is 204 after two queries:
the session, then one query for the revision (joined through the participant, or checked
against the facilitator without loading the user). Otherwise the view renders the region's
partial carrying the new rev; a closed workshop answers 286, which makes htmx stop polling.
"""

import time
from functools import wraps

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_htmx.http import HttpResponseStopPolling

from .. import joining
from ..models import Participant, Workshop
from ..permissions import PARTICIPANT_SESSION_KEY

# A polled region is re-rendered at least this often even when nothing changed, so presence
# ("here" / "away") and the countdown's clock offset stay fresh.
FULL_REFRESH_SECONDS = 30

NO_CONTENT = 204


def unchanged(request, revision: int) -> bool:
    """The region asking already shows `revision` and is fresh enough."""
    if request.GET.get("rev") != str(revision):
        return False
    try:
        rendered_at = int(request.GET.get("at", "0"))
    except ValueError:
        return False
    return 0 <= time.time() - rendered_at < FULL_REFRESH_SECONDS


def facilitator_poll_state(request, workshop_id: int) -> tuple[int, str] | None:
    """(revision, status) if the signed-in user facilitates the workshop: one query after the
    session, without loading the user. The full page still checks permission properly; this
    path only ever answers "nothing changed"."""
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
        .values_list("revision", "status")
        .first()
    )


def facilitator_poll(view):
    """A facilitator page whose live region polls: unchanged -> 204, else the view (login
    required)."""
    guarded = login_required(view)

    @wraps(view)
    def wrapper(request, workshop_id: int, *args, **kwargs):
        if request.htmx and request.method == "GET" and "rev" in request.GET:
            state = facilitator_poll_state(request, workshop_id)
            if state and state[1] != Workshop.Status.CLOSED and unchanged(request, state[0]):
                return HttpResponse(status=NO_CONTENT)
        return guarded(request, workshop_id, *args, **kwargs)

    return wrapper


def participant_poll(view):
    """A participant page whose live region polls: unchanged -> 204 (writing presence only
    when due), else the view."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        polling = request.htmx and request.method == "GET" and "rev" in request.GET
        token = request.session.get(PARTICIPANT_SESSION_KEY) if polling else None
        if token:
            row = (
                Participant.objects.filter(token=token, removed=False)
                .values_list(
                    "pk", "last_seen_at", "table__workshop__revision", "table__workshop__status"
                )
                .first()
            )
            if row and row[3] != Workshop.Status.CLOSED and unchanged(request, row[2]):
                joining.presence_touch(
                    participant_id=row[0], last_seen_at=row[1], now=timezone.now()
                )
                return HttpResponse(status=NO_CONTENT)
        return view(request, *args, **kwargs)

    return wrapper


def render_live(
    request, template: str, context: dict, *, workshop: Workshop, partial: str = "live"
):
    """The page, or for an htmx request its live region; 286 once the workshop is closed."""
    context.setdefault("workshop", workshop)
    context["rev"] = workshop.revision
    context["rendered_at"] = int(time.time())
    if not request.htmx:
        return render(request, template, context)
    response = render(request, f"{template}#{partial}", context)
    if workshop.status == Workshop.Status.CLOSED:
        return HttpResponseStopPolling(response.content)
    return response
