"""Value tracking after the workshop: the portfolio at a glance and each agent's actuals against
its signed targets. Facilitators of the workshop only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_POST

from agents.models import Agent
from common.forms import add_errors
from workshops import zones
from workshops.permissions import facilitator_workshops, workshop_for_facilitator

from . import selectors, services
from . import status as tracking_status
from .forms import AgentActualForm, ApiTokenForm, KpiActualForm, OwnerLinkForm
from .models import ApiToken, OwnerLink

# The page has both forms: their fields' ids differ.
KPI_IDS, COST_IDS = "id_kpi_actual_%s", "id_run_cost_%s"


def _agent_for_facilitator(request, agent_id: int) -> Agent:
    agent = get_object_or_404(
        Agent.objects.select_related("workshop"),
        pk=agent_id,
        workshop__in=facilitator_workshops(request.user),
    )
    zones.activate(agent.workshop)
    return agent


def _entered_by(request) -> str:
    return request.user.get_full_name() or request.user.get_username()


def _portfolio_page(request, workshop, *, token_form=None, new_token=None, status=200):
    context = {
        "workshop": workshop,
        "rows": selectors.portfolio(workshop=workshop, now=timezone.now()),
        "labels": tracking_status.LABELS,
        "tokens": list(workshop.api_tokens.all()),
        "token_form": token_form or ApiTokenForm(auto_id="id_token_%s"),
        "new_token": new_token,
        "api_url": request.build_absolute_uri(reverse("api_actuals")),
    }
    response = render(request, "tracking/portfolio.html", context, status=status)
    if new_token is not None:
        patch_cache_control(response, no_store=True, private=True)
    return response


@login_required
@require_GET
def portfolio(request, workshop_id: int):
    return _portfolio_page(request, workshop_for_facilitator(request, workshop_id))


@login_required
@require_POST
def token_create(request, workshop_id: int):
    """Make an API token; the answer shows it once (it is not kept, only its hash)."""
    workshop = workshop_for_facilitator(request, workshop_id)
    form = ApiTokenForm(request.POST, auto_id="id_token_%s")
    if not form.is_valid():
        return _portfolio_page(request, workshop, token_form=form, status=422)
    record, token = services.api_token_create(
        workshop=workshop,
        name=form.cleaned_data["name"],
        scope=form.cleaned_data["scope"],
        created_by=_entered_by(request),
        now=timezone.now(),
    )
    return _portfolio_page(request, workshop, new_token=(record, token))


@login_required
@require_POST
def token_revoke(request, workshop_id: int, token_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    token = get_object_or_404(ApiToken, pk=token_id, workshop=workshop)
    if services.api_token_revoke(token=token, now=timezone.now()):
        messages.success(request, f"The token “{token.name}” no longer works.")
    return redirect("tracking:portfolio", workshop_id=workshop.pk)


def _agent_page(
    request,
    agent,
    *,
    kpi_form=None,
    cost_form=None,
    status=200,
    exists=None,
    link=None,
    link_form=None,
    new_link=None,
):
    """The agent's tracking page: for its facilitator, or (`link`) for its owner."""
    tracking = selectors.agent_tracking(agent=agent, now=timezone.now())
    number_format = agent.workshop.number_format
    if link is None:
        actions = (
            reverse("tracking:kpi_actual", args=[agent.pk]),
            reverse("tracking:agent_actual", args=[agent.pk]),
        )
    else:
        actions = (
            reverse("tracking:owner_kpi_actual", args=[link.token]),
            reverse("tracking:owner_agent_actual", args=[link.token]),
        )
    context = {
        "kpi_action": actions[0],
        "cost_action": actions[1],
        "link": link,
        "workshop": agent.workshop,
        "agent": agent,
        "tracking": tracking,
        "labels": tracking_status.LABELS,
        "kpi_form": kpi_form
        or KpiActualForm(
            kpis=[k.kpi for k in tracking.kpis], number_format=number_format, auto_id=KPI_IDS
        ),
        "cost_form": cost_form or AgentActualForm(number_format=number_format, auto_id=COST_IDS),
        "exists": exists,
    }
    if link is None:
        context.update(
            owner_links=list(agent.owner_links.all()),
            link_form=link_form or OwnerLinkForm(auto_id="id_link_%s"),
            new_link=new_link,
            link_days=services.OWNER_LINK_DAYS,
        )
    template = "tracking/agent.html" if link is None else "tracking/owner.html"
    response = render(request, template, context, status=status)
    if new_link is not None or link is not None:
        patch_cache_control(response, no_store=True, private=True)
    return response


@login_required
@require_GET
def agent(request, agent_id: int):
    return _agent_page(request, _agent_for_facilitator(request, agent_id))


def _record(request, agent, form, *, form_key: str, save, saved: str, link=None):
    """Validate `form`, then `save(data, entered_by)`; answer the page with the form's errors
    (422), the month's actual that is there already (409), or go back to the page."""
    page = {form_key: form, "link": link}
    if not form.is_valid():
        return _agent_page(request, agent, status=422, **page)
    data = form.cleaned_data
    entered_by = _entered_by(request) if link is None else f"{link.name} (owner link)"
    try:
        save(data, entered_by)
    except services.ActualExists as exists:
        return _agent_page(request, agent, status=409, exists=exists.current, **page)
    except services.ValidationError as error:
        add_errors(form, error)
        return _agent_page(request, agent, status=422, **page)
    messages.success(request, f"Saved the {saved} for {data['period']:%B %Y}.")
    if link is not None:
        return redirect("tracking:owner", token=link.token)
    return redirect("tracking:agent", agent_id=agent.pk)


@login_required
@require_POST
def kpi_actual(request, agent_id: int):
    return _kpi_actual(request, _agent_for_facilitator(request, agent_id))


def _kpi_actual(request, agent, link=None):
    kpis = list(agent.kpis.select_related("value_target").order_by("pk"))
    form = KpiActualForm(
        request.POST, kpis=kpis, number_format=agent.workshop.number_format, auto_id=KPI_IDS
    )

    def save(data, entered_by):
        services.kpi_actual_record(
            kpi=form.kpis[data["kpi"]],
            period=data["period"],
            value=data["value"],
            source=data["source"],
            note=data["note"],
            entered_by=entered_by,
            now=timezone.now(),
            replace=data["replace"],
        )

    return _record(request, agent, form, form_key="kpi_form", save=save, saved="actual", link=link)


@login_required
@require_POST
def agent_actual(request, agent_id: int):
    return _agent_actual(request, _agent_for_facilitator(request, agent_id))


def _agent_actual(request, agent, link=None):
    form = AgentActualForm(
        request.POST, number_format=agent.workshop.number_format, auto_id=COST_IDS
    )

    def save(data, entered_by):
        services.agent_actual_record(
            agent=agent,
            period=data["period"],
            run_cost=data["run_cost"],
            tasks=None if data["tasks"] is None else int(data["tasks"]),
            source=data["source"],
            note=data["note"],
            entered_by=entered_by,
            now=timezone.now(),
            replace=data["replace"],
        )

    return _record(
        request, agent, form, form_key="cost_form", save=save, saved="run cost", link=link
    )


# --- The agent's owner, through a link -----------------------------------------------------


def _owner_link(request, token: str):
    """The link and its agent (in its workshop's zone), or the refusal page."""
    try:
        link = services.owner_link_open(token=token, now=timezone.now())
    except services.OwnerLinkRefused as refused:
        response = render(
            request, "tracking/owner_refused.html", {"message": str(refused)}, status=404
        )
        patch_cache_control(response, no_store=True, private=True)
        return None, response
    link.token = token
    zones.activate(link.agent.workshop)
    return link, None


@require_GET
def owner(request, token: str):
    link, refused = _owner_link(request, token)
    return refused or _agent_page(request, link.agent, link=link)


@require_POST
def owner_kpi_actual(request, token: str):
    link, refused = _owner_link(request, token)
    return refused or _kpi_actual(request, link.agent, link=link)


@require_POST
def owner_agent_actual(request, token: str):
    link, refused = _owner_link(request, token)
    return refused or _agent_actual(request, link.agent, link=link)


@login_required
@require_POST
def owner_link_create(request, agent_id: int):
    """Make a link for the agent's owner; the answer shows it once."""
    agent = _agent_for_facilitator(request, agent_id)
    form = OwnerLinkForm(request.POST, auto_id="id_link_%s")
    if not form.is_valid():
        return _agent_page(request, agent, link_form=form, status=422)
    link, token = services.owner_link_create(
        agent=agent,
        name=form.cleaned_data["name"],
        created_by=_entered_by(request),
        now=timezone.now(),
    )
    url = request.build_absolute_uri(reverse("tracking:owner", args=[token]))
    return _agent_page(request, agent, new_link=(link, url))


@login_required
@require_POST
def owner_link_revoke(request, agent_id: int, link_id: int):
    agent = _agent_for_facilitator(request, agent_id)
    link = get_object_or_404(OwnerLink, pk=link_id, agent=agent)
    if services.owner_link_revoke(link=link, now=timezone.now()):
        messages.success(request, f"The link for {link.name} no longer works.")
    return redirect("tracking:agent", agent_id=agent.pk)
