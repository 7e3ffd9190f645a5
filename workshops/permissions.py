"""Who may see and change what, in one place.

Facilitators (accounts with the facilitator role, see roles.py) see only workshops they
facilitate; only they create and import workshops. Breakout tables have no accounts:
joining stores a participant token in the browser session, binding it to one table of one
workshop. Finance reviewers are accounts (or invite links) attached to a workshop.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from . import zones
from .models import Participant, Workshop
from .roles import is_catalogue_admin, is_facilitator

PARTICIPANT_SESSION_KEY = "participant_token"


def facilitator_workshops(user):
    """Workshops this user facilitates (superusers: all)."""
    if not user.is_authenticated:
        return Workshop.objects.none()
    if user.is_superuser:
        return Workshop.objects.all()
    return Workshop.objects.filter(facilitators=user)


def workshop_for_facilitator(request: HttpRequest, workshop_id: int) -> Workshop:
    """The workshop if the signed-in user facilitates it; 404 otherwise (so a guess reveals
    nothing about other clients' workshops)."""
    workshop = get_object_or_404(facilitator_workshops(request.user), pk=workshop_id)
    zones.activate(workshop)
    return workshop


def current_participant(request: HttpRequest) -> Participant | None:
    """The participant this browser joined as, if still at the table (not removed)."""
    token = request.session.get(PARTICIPANT_SESSION_KEY)
    if not token:
        return None
    participant = (
        Participant.objects.select_related("table__workshop")
        .filter(token=token, removed=False)
        .first()
    )
    if participant is not None:
        zones.activate(participant.table.workshop)
    return participant


def participant_or_404(request: HttpRequest) -> Participant:
    participant = current_participant(request)
    if participant is None:
        raise Http404("Join your table first.")
    return participant


NOT_A_FACILITATOR = (
    "Only facilitator accounts can create or import workshops. If you run workshops, ask a "
    "catalogue administrator to make your account a facilitator."
)
NOT_A_CATALOGUE_ADMIN = (
    "Only catalogue administrators can change the model price catalogue, which every workshop "
    "on this server uses. Ask one to import the prices."
)


def facilitator_required(view):
    """Sign in first; then only accounts with the facilitator role (403 for anyone else)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_facilitator(request.user):
            raise PermissionDenied(NOT_A_FACILITATOR)
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def catalogue_admin_required(view):
    """Sign in first; then only catalogue administrators (staff; 403 for anyone else)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_catalogue_admin(request.user):
            raise PermissionDenied(NOT_A_CATALOGUE_ADMIN)
        return view(request, *args, **kwargs)

    return login_required(wrapper)
