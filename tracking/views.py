"""Value tracking after the workshop: the portfolio at a glance and each agent's actuals against
its signed targets. Facilitators of the workshop only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from agents.models import Agent
from common.forms import add_errors
from workshops import zones
from workshops.permissions import facilitator_workshops, workshop_for_facilitator

from . import selectors, services
from . import status as tracking_status
from .forms import AgentActualForm, KpiActualForm

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


@login_required
@require_GET
def portfolio(request, workshop_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    rows = selectors.portfolio(workshop=workshop, now=timezone.now())
    return render(
        request,
        "tracking/portfolio.html",
        {"workshop": workshop, "rows": rows, "labels": tracking_status.LABELS},
    )


def _agent_page(request, agent, *, kpi_form=None, cost_form=None, status=200, exists=None):
    tracking = selectors.agent_tracking(agent=agent, now=timezone.now())
    number_format = agent.workshop.number_format
    context = {
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
    return render(request, "tracking/agent.html", context, status=status)


@login_required
@require_GET
def agent(request, agent_id: int):
    return _agent_page(request, _agent_for_facilitator(request, agent_id))


@login_required
@require_POST
def kpi_actual(request, agent_id: int):
    agent = _agent_for_facilitator(request, agent_id)
    kpis = list(agent.kpis.select_related("value_target").order_by("pk"))
    form = KpiActualForm(
        request.POST, kpis=kpis, number_format=agent.workshop.number_format, auto_id=KPI_IDS
    )
    if not form.is_valid():
        return _agent_page(request, agent, kpi_form=form, status=422)
    data = form.cleaned_data
    try:
        services.kpi_actual_record(
            kpi=form.kpis[data["kpi"]],
            period=data["period"],
            value=data["value"],
            source=data["source"],
            note=data["note"],
            entered_by=_entered_by(request),
            now=timezone.now(),
            replace=data["replace"],
        )
    except services.ActualExists as exists:
        return _agent_page(request, agent, kpi_form=form, status=409, exists=exists.current)
    except services.ValidationError as error:
        add_errors(form, error)
        return _agent_page(request, agent, kpi_form=form, status=422)
    messages.success(request, f"Saved the actual for {data['period']:%B %Y}.")
    return redirect("tracking:agent", agent_id=agent.pk)


@login_required
@require_POST
def agent_actual(request, agent_id: int):
    agent = _agent_for_facilitator(request, agent_id)
    form = AgentActualForm(
        request.POST, number_format=agent.workshop.number_format, auto_id=COST_IDS
    )
    if not form.is_valid():
        return _agent_page(request, agent, cost_form=form, status=422)
    data = form.cleaned_data
    try:
        services.agent_actual_record(
            agent=agent,
            period=data["period"],
            run_cost=data["run_cost"],
            tasks=None if data["tasks"] is None else int(data["tasks"]),
            source=data["source"],
            note=data["note"],
            entered_by=_entered_by(request),
            now=timezone.now(),
            replace=data["replace"],
        )
    except services.ActualExists as exists:
        return _agent_page(request, agent, cost_form=form, status=409, exists=exists.current)
    except services.ValidationError as error:
        add_errors(form, error)
        return _agent_page(request, agent, cost_form=form, status=422)
    messages.success(request, f"Saved the run cost for {data['period']:%B %Y}.")
    return redirect("tracking:agent", agent_id=agent.pk)
