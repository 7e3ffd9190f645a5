"""The live room, tables' side: joining with a code, the table workspace, an agent page.

A participant sees and changes only its own table's agents (404 otherwise), and edits only
while the workshop is live. Saves use the shared no-lost-updates mechanism
(`workshops.concurrency`): a stale version answers 409 with the conflict panel, keeping what
the person typed.
"""

import time
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from agents.forms import AgentForm
from agents.models import Agent
from agents.services import agent_update
from common.addresses import client_address

from .. import changes, codes, joining, live, progress
from ..concurrency import save_versioned
from ..models import Participant, Workshop
from ..permissions import PARTICIPANT_SESSION_KEY, current_participant
from ..room_forms import JoinForm
from .polling import live_rev, participant_poll, render_live

# --- Joining ----------------------------------------------------------------------------------


def join(request):
    """Type the table code (or arrive from the QR code with it filled in) and a name."""
    participant = current_participant(request)
    typed = request.GET.get("code", "")
    if (
        request.method == "GET"
        and participant is not None
        and typed
        and codes.normalise_code(typed) == participant.table.join_code
    ):
        return redirect("workshops:workspace")
    status = 200
    if request.method == "POST":
        form = JoinForm(request.POST)
        if form.is_valid():
            address = client_address(request)
            try:
                joined = joining.participant_join(
                    code=form.cleaned_data["code"],
                    display_name=form.cleaned_data["display_name"],
                    address=address,
                    token=request.session.get(PARTICIPANT_SESSION_KEY),
                )
            except joining.JoinRefused as refused:
                form.add_error(None, refused.message)
                status = refused.status
            else:
                request.session.cycle_key()
                request.session[PARTICIPANT_SESSION_KEY] = joined.token
                # Back to the table after a reload or a dropped Wi-Fi, all day.
                request.session.set_expiry(settings.SESSION_COOKIE_AGE)
                return redirect("workshops:workspace")
        else:
            status = 422
    else:
        form = JoinForm(initial={"code": codes.format_code(codes.normalise_code(typed))})
        # From a QR code the code is there already: start at the name.
        form.fields["display_name" if typed else "code"].widget.attrs["autofocus"] = True
    return render(
        request,
        "workshops/room/join.html",
        {"form": form, "participant": participant, "code_from_link": bool(typed)},
        status=status,
    )


@require_POST
def leave(request):
    """Forget the table in this browser (the participant stays listed until removed)."""
    request.session.pop(PARTICIPANT_SESSION_KEY, None)
    messages.info(request, "You left the table. Join again with a code any time.")
    return redirect("workshops:join")


# --- Table workspace --------------------------------------------------------------------------


def _participant_or_join(request):
    """The participant, or a response sending the browser to the join page."""
    participant = current_participant(request)
    if participant is not None:
        joining.presence_touch(
            participant_id=participant.pk,
            last_seen_at=participant.last_seen_at,
            now=timezone.now(),
        )
        return participant, None
    if request.htmx:
        return None, HttpResponseClientRedirect(reverse("workshops:join"))
    messages.info(request, "Join your table with its code first.")
    return None, redirect("workshops:join")


SIGNED_OFF_REASON = (
    "Finance has signed this agent off, so its name, thesis, KPIs and targets are locked. Ask "
    "the facilitator to reopen it before changing anything."
)


def _read_only_reason(workshop: Workshop) -> str | None:
    if workshop.status == Workshop.Status.DRAFT:
        return (
            "The workshop has not started yet: look around now, editing opens when the "
            "facilitator starts the first activity."
        )
    if workshop.status == Workshop.Status.CLOSED:
        return "The workshop is closed: everything your table saved is kept, and is read-only now."
    return None


def _table_context(participant: Participant) -> dict:
    workshop = participant.table.workshop
    return {
        "participant": participant,
        "table": participant.table,
        "workshop": workshop,
        "run": live.run_state(workshop),
        "read_only_reason": _read_only_reason(workshop),
    }


@participant_poll(changes.WORKSPACE_REGION)
def workspace(request):
    """The table's agents with their progress, the current activity, who is here."""
    participant, away = _participant_or_join(request)
    if away:
        return away
    context = _table_context(participant)
    now = timezone.now()
    people = list(participant.table.participants.filter(removed=False))
    for person in people:
        person.present = joining.is_present(person, now)
    context["people"] = people
    context["steps"] = progress.steps()
    context["agents"] = progress.table_agents(table=participant.table)
    return render_live(
        request,
        "workshops/room/workspace.html",
        context,
        workshop=context["workshop"],
        watches=changes.WORKSPACE_REGION,
        table=participant.table,
    )


def _agent_context(request, participant: Participant, agent: Agent, form, **extra) -> dict:
    """The agent page's context; the steps (which may query per block) only for the whole
    page, not for the live region or the form that htmx swaps."""
    context = _table_context(participant)
    agent_steps = [] if request.htmx else progress.agent_steps(agent)
    signed_off = (
        any(step["key"] == "signed_off" and step["status"] for step in agent_steps)
        if agent_steps
        else bool(progress.step_status("signed_off", agent))
    )
    editable = context["workshop"].is_live and not signed_off
    # Why the steps below offer no edit buttons: say it instead of leading to a refusal.
    steps_reason = context["read_only_reason"] or (SIGNED_OFF_REASON if signed_off else None)
    if not editable and not form.is_bound:
        for field in form.fields.values():
            field.disabled = True
    context.update(
        {
            "agent": agent,
            "form": form,
            "editable": editable,
            "steps_reason": steps_reason,
            "agent_steps": agent_steps,
            "seen_version": agent.version,
            **extra,
        }
    )
    return context


@participant_poll(changes.AGENT_REGION)
def table_agent(request, agent_id: int):
    """One of the table's agents: its Pillar 1 details, editable while the workshop is live,
    and the places from which the later blocks' work on it is reached."""
    participant, away = _participant_or_join(request)
    if away:
        return away
    agent = get_object_or_404(Agent, pk=agent_id, table_id=participant.table_id)
    workshop = participant.table.workshop
    template = "workshops/room/agent.html"
    if request.method != "POST":
        form = AgentForm(initial=AgentForm.initial_for(agent), workshop=workshop, agent=agent)
        context = _agent_context(request, participant, agent, form)
        if request.GET.get("seen", "").isdigit():
            context["seen_version"] = int(request.GET["seen"])
        return render_live(
            request,
            template,
            context,
            workshop=workshop,
            watches=changes.AGENT_REGION,
            agent=agent,
        )

    form = AgentForm(request.POST, workshop=workshop, agent=agent)
    if not workshop.is_live:
        form.is_valid()
        context = _agent_context(request, participant, agent, form)
        context["save_error"] = _read_only_reason(workshop)
        return _agent_form(request, template, context, status=403)
    outcome = save_versioned(
        form,
        lambda: agent_update(
            agent=agent,
            version=form.cleaned_data["version"],
            values=form.values(),
            table_id=participant.table_id,
        ),
        fields=AgentForm.FIELDS,
        rebase=partial(AgentForm, workshop=workshop, agent=agent),
        gone=Agent.DoesNotExist,
    )
    if outcome.gone:
        raise Http404("This agent is no longer at your table.")
    if outcome.status == 422:
        context = _agent_context(request, participant, agent, form)
        return _agent_form(request, template, context, status=422)
    if outcome.status == 409:
        context = _agent_context(
            request,
            participant,
            outcome.current,
            outcome.form,
            conflict=outcome.conflict,
            reload_url=reverse("workshops:table_agent", args=[agent.pk]),
        )
        return _agent_form(request, template, context, status=409)
    agent = outcome.saved
    if not request.htmx:
        messages.success(request, "Saved.")
        return redirect("workshops:table_agent", agent_id=agent.pk)
    workshop.refresh_from_db(fields=[*changes.WORKSHOP_FIELDS.values()])
    rev = live_rev(workshop, changes.AGENT_REGION, agent=agent)
    form = AgentForm(initial=AgentForm.initial_for(agent), workshop=workshop, agent=agent)
    context = _agent_context(request, participant, agent, form, saved=True)
    context.update(rev=rev, rendered_at=int(time.time()), oob=True)
    return render(request, f"{template}#form", context)


def _agent_form(request, template: str, context: dict, *, status: int):
    """The form with what the person typed (and the reason it did not save)."""
    rev = live_rev(context["workshop"], changes.AGENT_REGION, agent=context["agent"])
    context.update(rev=rev, rendered_at=int(time.time()))
    name = f"{template}#form" if request.htmx else template
    return render(request, name, context, status=status)
