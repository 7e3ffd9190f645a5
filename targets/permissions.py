"""Who may set targets and who may sign them off.

- Targets and economics: a participant of the agent's table while the workshop is live, or a
  facilitator of the workshop (agents.block2_permissions.agent_access), and only while the agent
  is not signed off.
- Finance: an account among the workshop's finance reviewers, or a browser that opened a
  finance invite of that workshop (bound in the session, valid until the invite expires or is
  revoked). A table cannot sign off; finance of one workshop cannot act on another; whoever
  runs the workshop (its facilitators, superusers) is never its finance.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest
from django.utils import timezone

from agents.block2_permissions import agent_access
from agents.models import Agent
from workshops import zones
from workshops.models import Participant, Workshop
from workshops.roles import facilitates

from .locks import lock_message, valid_signoff
from .models import FinanceInvite, FinanceSignOff

# {workshop id (str): invite id} for the invites this browser opened.
INVITE_SESSION_KEY = "finance_invites"


@dataclass(frozen=True)
class TargetAccess:
    agent: Agent
    participant: Participant | None
    is_facilitator: bool
    can_edit: bool
    read_only_reason: str
    signoff: FinanceSignOff | None

    @property
    def table_scope(self) -> int | None:
        """The table a participant's writes are limited to (None for a facilitator)."""
        return None if self.is_facilitator else self.participant.table_id

    @property
    def locked(self) -> bool:
        return self.signoff is not None


def target_access(request: HttpRequest, agent_id: int) -> TargetAccess:
    """The agent with what this request may do to its targets; Http404 for anyone else."""
    access = agent_access(request, agent_id)
    signoff = valid_signoff(access.agent)
    reason = access.read_only_reason
    if signoff is not None:
        reason = lock_message(signoff)
    return TargetAccess(
        agent=access.agent,
        participant=access.participant,
        is_facilitator=access.is_facilitator,
        can_edit=access.can_edit and signoff is None,
        read_only_reason=reason,
        signoff=signoff,
    )


@dataclass(frozen=True)
class FinanceRole:
    workshop: Workshop
    name: str
    title: str
    user: object | None = None
    invite: FinanceInvite | None = None


def _invite_role(request: HttpRequest, workshop: Workshop) -> FinanceRole | None:
    invite_id = request.session.get(INVITE_SESSION_KEY, {}).get(str(workshop.pk))
    if invite_id is None:
        return None
    invite = FinanceInvite.objects.filter(
        pk=invite_id,
        workshop=workshop,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
        used_at__isnull=False,
    ).first()
    if invite is None:
        return None
    return FinanceRole(workshop=workshop, name=invite.name, title=invite.title, invite=invite)


def reviewer_problem(*, workshop: Workshop, user) -> str | None:
    """Why the account cannot review the workshop for finance, or None: whoever runs a
    workshop never signs off its targets."""
    if facilitates(user, workshop):
        if user.is_superuser and not workshop.facilitators.filter(pk=user.pk).exists():
            return (
                f"{user.get_username()} is a superuser, who can run every workshop, so it cannot "
                "review one for finance. Add a finance representative's own account."
            )
        return (
            f"{user.get_username()} facilitates this workshop, so it cannot also review it for "
            "finance. Add a finance representative's own account, or send an invite link."
        )
    return None


def _account_roles(user, workshop: Workshop) -> tuple[bool, bool]:
    """(runs the workshop, reviews it for finance) for the account, in one query."""
    if not user.is_authenticated:
        return False, False
    if user.is_superuser:
        return True, False
    row = (
        Workshop.objects.filter(pk=workshop.pk)
        .annotate(
            runs=Exists(
                Workshop.facilitators.through.objects.filter(
                    workshop_id=OuterRef("pk"), user_id=user.pk
                )
            ),
            reviews=Exists(
                Workshop.finance_reviewers.through.objects.filter(
                    workshop_id=OuterRef("pk"), user_id=user.pk
                )
            ),
        )
        .values_list("runs", "reviews")
        .first()
    )
    return row or (False, False)


def finance_role(request: HttpRequest, workshop: Workshop) -> FinanceRole | None:
    """The finance role this request holds on `workshop`, or None. Whoever runs the workshop
    (a facilitator of it, or a superuser) holds none, even with an invite opened in the same
    browser: finance signs off what the facilitators ran."""
    user = request.user
    runs, reviews = _account_roles(user, workshop)
    if runs:
        return None
    if reviews:
        return FinanceRole(
            workshop=workshop, name=user.get_full_name() or user.get_username(), title="", user=user
        )
    return _invite_role(request, workshop)


def finance_or_404(request: HttpRequest, workshop_id: int) -> FinanceRole:
    """The finance role on the workshop; 404 otherwise (a guessed id reveals nothing)."""
    workshop = Workshop.objects.filter(pk=workshop_id).first()
    role = finance_role(request, workshop) if workshop is not None else None
    if role is None:
        raise Http404("You do not review this workshop for finance.")
    zones.activate(workshop)
    return role


def bind_invite(request: HttpRequest, invite: FinanceInvite) -> None:
    """Give this browser session the invite's finance role on its workshop."""
    invites = dict(request.session.get(INVITE_SESSION_KEY, {}))
    invites[str(invite.workshop_id)] = invite.pk
    request.session.cycle_key()
    request.session[INVITE_SESSION_KEY] = invites


def session_invite_id(request: HttpRequest, workshop_id: int) -> int | None:
    return request.session.get(INVITE_SESSION_KEY, {}).get(str(workshop_id))


def finance_workshops(request: HttpRequest) -> list[Workshop]:
    """Workshops this browser reviews for finance: by account and by opened invites."""
    ids = set()
    if request.user.is_authenticated:
        ids.update(request.user.reviewed_workshops.values_list("pk", flat=True))
    invite_ids = list(request.session.get(INVITE_SESSION_KEY, {}).values())
    if invite_ids:
        ids.update(
            FinanceInvite.objects.filter(
                pk__in=invite_ids, revoked_at__isnull=True, expires_at__gt=timezone.now()
            ).values_list("workshop_id", flat=True)
        )
    return list(Workshop.objects.filter(pk__in=ids).order_by("-date", "client_organisation"))
