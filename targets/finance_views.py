"""Finance validation pages: the finance representative's review (sign off or request changes),
the one-time invite link, and the facilitator's finance status (reviewers, invites, reopening)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agents.models import Agent
from common.addresses import public_url
from workshops import zones
from workshops.changes import WORK_REVIEW
from workshops.permissions import workshop_for_facilitator
from workshops.views.polling import facilitator_poll, live_poll, live_rev

from . import selectors, services
from .forms import (
    ChangeRequestForm,
    InviteForm,
    ReopenForm,
    ReviewerAddForm,
    ReviewerCreateForm,
    SignOffForm,
)
from .locks import AgentLocked
from .models import FinanceInvite
from .permissions import bind_invite, finance_or_404, finance_workshops, session_invite_id

REVIEW_TEMPLATE = "targets/finance_review.html"
STATUS_TEMPLATE = "targets/finance_status.html"
NEW_INVITE_SESSION_KEY = "finance_new_invite_link"


# --- Finance representative -------------------------------------------------------------------


@require_GET
def finance_home(request):
    """The workshops this browser reviews for finance."""
    return render(request, "targets/finance_home.html", {"workshops": finance_workshops(request)})


@require_http_methods(["GET", "POST"])
def invite_open(request, token: str):
    """A finance invite link: shows who it is for; pressing the button uses it (once) and
    gives this browser the finance role on the workshop. A link preview that only fetches the
    page does not use it up."""
    try:
        invite = services.invite_check(token=token)
    except services.InviteRefused as refused:
        used = FinanceInvite.objects.filter(token_hash=services.token_hash(token)).first()
        # The browser that used the link may open it again.
        if (
            used is not None
            and session_invite_id(request, used.workshop_id) == used.pk
            and used.state(timezone.now()) == "used"
        ):
            return redirect("targets:finance_review", workshop_id=used.workshop_id)
        return render(
            request, "targets/invite.html", {"refused": refused.message}, status=refused.status
        )
    if request.method == "POST":
        try:
            invite = services.invite_redeem(token=token)
        except services.InviteRefused as refused:
            return render(
                request, "targets/invite.html", {"refused": refused.message}, status=refused.status
            )
        bind_invite(request, invite)
        messages.success(
            request,
            f"Welcome, {invite.name}. You review {invite.workshop.client_organisation}'s targets "
            "for finance in this browser.",
        )
        return redirect("targets:finance_review", workshop_id=invite.workshop_id)
    zones.activate(invite.workshop)
    return render(request, "targets/invite.html", {"invite": invite})


def _review_context(role, finance, **extra) -> dict:
    forms = {}
    for entry in finance.agents:
        forms[entry.agent.pk] = {
            "signoff": SignOffForm(
                initial={"title": role.title, "values_sha256": entry.sha256},
                prefix=f"s{entry.agent.pk}",
            ),
            "changes": ChangeRequestForm(prefix=f"c{entry.agent.pk}"),
        }
    return {
        "role": role,
        "workshop": role.workshop,
        "finance": finance,
        "forms": forms,
        "rev": live_rev(role.workshop, WORK_REVIEW),
        "status_labels": selectors.STATUS_LABELS,
        **extra,
    }


def _review_page(request, role, *, status=200, agent_id=None, **forms):
    finance = selectors.workshop_finance(workshop=role.workshop)
    context = _review_context(role, finance)
    if agent_id is not None:
        context["forms"].setdefault(agent_id, {}).update(forms)
        context["focus_agent"] = agent_id
    return render(request, REVIEW_TEMPLATE, context, status=status)


@require_GET
def finance_review(request, workshop_id: int):
    """Every agent with thesis, KPIs, baselines, targets, assumptions and economics; per agent
    sign off or request changes. A small live region says when tables change something."""
    role = finance_or_404(request, workshop_id)
    if (answer := live_poll(request, role.workshop, WORK_REVIEW)) is not None:
        return answer
    services.finance_seen(role=role)
    if request.htmx:
        rev = live_rev(role.workshop, WORK_REVIEW)
        finance = selectors.workshop_finance(workshop=role.workshop)
        context = {
            "role": role,
            "workshop": role.workshop,
            "finance": finance,
            "rev": rev,
            "opened_rev": request.GET.get("opened", ""),
        }
        return render(request, f"{REVIEW_TEMPLATE}#live", context)
    return _review_page(request, role)


def _agent_of(role, agent_id: int) -> Agent:
    return get_object_or_404(Agent, pk=agent_id, workshop=role.workshop)


@require_POST
def signoff(request, workshop_id: int, agent_id: int):
    role = finance_or_404(request, workshop_id)
    agent = _agent_of(role, agent_id)
    form = SignOffForm(request.POST, prefix=f"s{agent.pk}")
    if not form.is_valid():
        return _review_page(request, role, status=422, agent_id=agent.pk, signoff=form)
    try:
        services.signoff_record(
            agent=agent,
            role=role,
            title=form.cleaned_data["title"],
            seen_sha256=form.cleaned_data["values_sha256"],
        )
    except ValidationError as error:
        form.add_error(None, error.messages)
        status = 409 if services.STALE_VALUES in error.messages else 422
        return _review_page(request, role, status=status, agent_id=agent.pk, signoff=form)
    messages.success(request, f"Signed off \u201c{agent.name}\u201d. Its values are now locked.")
    return redirect(
        reverse("targets:finance_review", args=[role.workshop.pk]) + f"#agent-{agent.pk}"
    )


@require_POST
def request_changes(request, workshop_id: int, agent_id: int):
    role = finance_or_404(request, workshop_id)
    agent = _agent_of(role, agent_id)
    form = ChangeRequestForm(request.POST, prefix=f"c{agent.pk}")
    if not form.is_valid():
        return _review_page(request, role, status=422, agent_id=agent.pk, changes=form)
    try:
        services.changes_request(agent=agent, role=role, comment=form.cleaned_data["comment"])
    except ValidationError as error:
        form.add_error(None, error.messages)
        status = 409 if isinstance(error, AgentLocked) else 422
        return _review_page(request, role, status=status, agent_id=agent.pk, changes=form)
    table = agent.table.name if agent.table_id else "the table"
    messages.success(
        request, f"Changes requested on \u201c{agent.name}\u201d: {table} sees your comment."
    )
    return redirect(
        reverse("targets:finance_review", args=[role.workshop.pk]) + f"#agent-{agent.pk}"
    )


# --- Facilitator: finance status, reviewers, invites, reopening -------------------------------


def _status_page(request, workshop, *, status=200, **forms):
    finance = selectors.workshop_finance(workshop=workshop)
    now = timezone.now()
    invites = list(workshop.finance_invites.select_related("created_by"))
    for invite in invites:
        invite.current_state = invite.state(now)
    context = {
        "workshop": workshop,
        "finance": finance,
        "reviewers": list(workshop.finance_reviewers.order_by("last_name", "username")),
        "invites": invites,
        "new_invite_link": request.session.pop(NEW_INVITE_SESSION_KEY, None),
        "add_form": forms.get("add_form") or ReviewerAddForm(),
        "create_form": forms.get("create_form") or ReviewerCreateForm(),
        "invite_form": forms.get("invite_form") or InviteForm(),
        "reopen_forms": {
            entry.agent.pk: ReopenForm(prefix=f"r{entry.agent.pk}") for entry in finance.agents
        },
        "rev": live_rev(workshop, WORK_REVIEW),
        "status_labels": selectors.STATUS_LABELS,
    }
    if (reopen := forms.get("reopen_form")) is not None:
        context["reopen_forms"][forms["reopen_agent"]] = reopen
    return render(request, STATUS_TEMPLATE, context, status=status)


@facilitator_poll(WORK_REVIEW)
@login_required
@require_GET
def finance_status(request, workshop_id: int):
    """Finance validation: N of M agents signed off, each agent's status and history, the
    finance reviewers and invite links; reopening a signed-off agent."""
    workshop = workshop_for_facilitator(request, workshop_id)
    if (answer := live_poll(request, workshop, WORK_REVIEW)) is not None:
        return answer
    if request.htmx:
        rev = live_rev(workshop, WORK_REVIEW)
        context = {
            "workshop": workshop,
            "finance": selectors.workshop_finance(workshop=workshop),
            "rev": rev,
            "status_labels": selectors.STATUS_LABELS,
        }
        return render(request, f"{STATUS_TEMPLATE}#live", context)
    return _status_page(request, workshop)


def _to_status(workshop, anchor: str = ""):
    return redirect(reverse("targets:finance_status", args=[workshop.pk]) + anchor)


@login_required
@require_POST
def reviewer_add(request, workshop_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    form = ReviewerAddForm(request.POST, workshop=workshop)
    if not form.is_valid():
        return _status_page(request, workshop, status=422, add_form=form)
    try:
        services.reviewer_add(workshop=workshop, user=form.user)
    except ValidationError as error:
        form.add_error("username", error.messages)
        return _status_page(request, workshop, status=422, add_form=form)
    messages.success(request, f"{form.user.get_username()} now reviews this workshop for finance.")
    return _to_status(workshop, "#reviewers")


@login_required
@require_POST
def reviewer_create(request, workshop_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    form = ReviewerCreateForm(request.POST)
    if not form.is_valid():
        return _status_page(request, workshop, status=422, create_form=form)
    user = services.reviewer_create(workshop=workshop, **form.cleaned_data)
    messages.success(
        request,
        f"Account {user.get_username()} created: it can sign in and review this workshop for "
        "finance.",
    )
    return _to_status(workshop, "#reviewers")


@login_required
@require_POST
def reviewer_remove(request, workshop_id: int, user_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    user = get_object_or_404(get_user_model(), pk=user_id, reviewed_workshops=workshop)
    services.reviewer_remove(workshop=workshop, user=user)
    messages.success(request, f"{user.get_username()} no longer reviews this workshop.")
    return _to_status(workshop, "#reviewers")


@login_required
@require_POST
def invite_create(request, workshop_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _status_page(request, workshop, status=422, invite_form=form)
    invite, token = services.invite_create(
        workshop=workshop,
        name=form.cleaned_data["name"],
        title=form.cleaned_data["title"],
        valid_days=form.cleaned_data["valid_days"],
        created_by=request.user,
    )
    # The link is shown once (only its hash is stored): kept for the next page view only.
    request.session[NEW_INVITE_SESSION_KEY] = {
        "url": public_url(request, reverse("targets:invite", args=[token])),
        "name": invite.name,
    }
    return _to_status(workshop, "#invites")


@login_required
@require_POST
def invite_revoke(request, workshop_id: int, invite_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    invite = get_object_or_404(FinanceInvite, pk=invite_id, workshop=workshop)
    services.invite_revoke(invite=invite)
    messages.success(request, f"The invite for {invite.name} is revoked: the link no longer works.")
    return _to_status(workshop, "#invites")


@login_required
@require_POST
def reopen(request, workshop_id: int, agent_id: int):
    """Void the agent's sign-off (with a reason) so its table can change it again."""
    workshop = workshop_for_facilitator(request, workshop_id)
    agent = get_object_or_404(Agent, pk=agent_id, workshop=workshop)
    form = ReopenForm(request.POST, prefix=f"r{agent.pk}")
    if not form.is_valid():
        return _status_page(request, workshop, status=422, reopen_form=form, reopen_agent=agent.pk)
    try:
        services.signoff_reopen(
            agent=agent, reason=form.cleaned_data["reason"], voided_by=request.user
        )
    except ValidationError as error:
        form.add_error(None, error.messages)
        return _status_page(request, workshop, status=422, reopen_form=form, reopen_agent=agent.pk)
    messages.success(
        request, f"\u201c{agent.name}\u201d is reopened: its table can change it again."
    )
    return _to_status(workshop, f"#agent-{agent.pk}")
