"""Who may download a workshop's register and materials.

- Facilitators of the workshop: everything, including the printable materials.
- Finance for the workshop (a finance reviewer account, or a browser that opened a finance
  invite of the workshop: targets.permissions.finance_role): the register.
- Each breakout table (a participant session of the workshop): the register of its workshop.

Anyone else gets a 404, so a guessed id reveals nothing; a visitor with no account, no table
session and no finance invite is sent to sign in.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from targets.permissions import INVITE_SESSION_KEY, finance_role
from workshops import zones
from workshops.models import Workshop
from workshops.permissions import (
    current_participant,
    facilitator_workshops,
    workshop_for_facilitator,
)


def workshop_for_register_reader(request, workshop_id: int) -> Workshop:
    """The workshop if this browser may read its register (its times then in the workshop's
    zone); Http404 otherwise."""
    workshop = _readable_workshop(request, workshop_id)
    zones.activate(workshop)
    return workshop


def _readable_workshop(request, workshop_id: int) -> Workshop:
    if request.user.is_authenticated:
        found = facilitator_workshops(request.user).filter(pk=workshop_id).first()
        if found is not None:
            return found
    workshop = Workshop.objects.filter(pk=workshop_id).first()
    if workshop is None:
        raise Http404("No such workshop.")
    if finance_role(request, workshop) is not None:
        return workshop
    participant = current_participant(request)
    if participant is not None and participant.table.workshop_id == workshop.pk:
        return workshop
    raise Http404("No such workshop.")


def _sign_in_first(request) -> bool:
    return (
        not request.user.is_authenticated
        and not request.session.get(INVITE_SESSION_KEY)
        and current_participant(request) is None
    )


def register_reader(view):
    """Pass the workshop to `view` if the browser may read its register."""

    @wraps(view)
    def wrapper(request, workshop_id: int, *args, **kwargs):
        if _sign_in_first(request):
            return redirect_to_login(request.get_full_path())
        workshop = workshop_for_register_reader(request, workshop_id)
        return view(request, workshop, *args, **kwargs)

    return wrapper


def facilitator_only(view):
    """Pass the workshop to `view` if the signed-in user facilitates it."""

    @wraps(view)
    def wrapper(request, workshop_id: int, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        workshop = workshop_for_facilitator(request, workshop_id)
        return view(request, workshop, *args, **kwargs)

    return wrapper
