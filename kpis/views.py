"""Block 3 pages: a table picks an agent's 2-3 KPIs (library or custom) with data source,
feasibility and baseline; the KPI library; the facilitator's live measurement feasibility check."""

import contextlib
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from agents.block2_permissions import agent_access
from agents.block2_selectors import agent_workload_cost
from agents.block2_views import access_context, agent_back_url
from agents.models import Agent
from common.forms import add_errors
from workshops.changes import WORK_REVIEW
from workshops.concurrency import save_versioned
from workshops.permissions import workshop_for_facilitator
from workshops.views.polling import facilitator_poll, live_poll, live_rev

from . import rules, selectors, services
from .forms import AgentKpiForm
from .models import AgentKpi, KpiDefinition

FORM_TEMPLATE = "kpis/agent_kpi_form.html"


def _not_live_status(request) -> int:
    # htmx swaps only 2xx/409/422 answers; the page must still show why nothing was saved.
    return 422 if request.htmx else 403


@require_GET
def agent_kpis(request, agent_id: int):
    """The agent's KPIs, the rules' nudges, and the library to add from."""
    access = agent_access(request, agent_id)
    context = {
        **access_context(access),
        "library": selectors.library_by_category(),
        "min_kpis": rules.MIN_KPIS,
        "max_kpis": rules.MAX_KPIS,
        "workload_cost": agent_workload_cost(access.agent),
        **selectors.agent_kpis(agent=access.agent),
    }
    return render(request, "kpis/agent_kpis.html", context)


def _definition(value) -> KpiDefinition | None:
    if value in (None, ""):
        return None
    try:
        pk = int(value)
    except (TypeError, ValueError) as error:
        raise Http404("No such KPI in the library.") from error
    return get_object_or_404(KpiDefinition, pk=pk, active=True)


def _render_form(request, access, form, *, kpi=None, status=200, conflict=None):
    template = f"{FORM_TEMPLATE}#kpi_form" if request.htmx else FORM_TEMPLATE
    context = {
        **access_context(access),
        "form": form,
        "kpi": kpi,
        "definition": form.definition,
        "conflict": conflict,
        "reload_url": request.get_full_path(),
        "category_labels": rules.CATEGORY_LABELS,
        # Economic KPIs start from what a task costs in model tokens.
        "workload_cost": (
            agent_workload_cost(access.agent)
            if (form.definition and form.definition.category == rules.ECONOMIC)
            or (kpi and kpi.category == rules.ECONOMIC)
            else None
        ),
    }
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def agent_kpi_new(request, agent_id: int):
    """Add a KPI: `?definition=<id>` from the library, or without it a custom one."""
    access = agent_access(request, agent_id)
    agent = access.agent
    source = request.POST if request.method == "POST" else request.GET
    definition = _definition(source.get("definition"))
    if request.method == "GET":
        initial = AgentKpiForm.initial_from_definition(definition)
        return _render_form(
            request,
            access,
            AgentKpiForm(
                initial=initial,
                definition=definition,
                number_format=access.agent.workshop.number_format,
                currency=agent.workshop.currency,
            ),
        )
    form = AgentKpiForm(
        request.POST,
        definition=definition,
        number_format=access.agent.workshop.number_format,
        currency=agent.workshop.currency,
    )
    if not access.can_edit:
        return _render_form(request, access, form, status=_not_live_status(request))
    if not form.is_valid():
        return _render_form(request, access, form, status=422)
    try:
        kpi = services.agent_kpi_add(
            agent=agent, values=form.values(), definition=definition, table_id=access.table_scope
        )
    except ValidationError as error:
        add_errors(form, error)
        return _render_form(request, access, form, status=422)
    except Agent.DoesNotExist:
        messages.error(request, "This agent is no longer at your table.")
        return redirect(agent_back_url(access))
    messages.success(request, _saved_message(kpi))
    return _redirect_to_list(request, agent.pk)


def _saved_message(kpi: AgentKpi) -> str:
    if kpi.has_baseline:
        return f"Saved \u201c{kpi.name}\u201d."
    return (
        f"Saved \u201c{kpi.name}\u201d. No baseline yet, so a task to establish it was added "
        "to the workshop's actions."
    )


def _redirect_to_list(request, agent_id: int):
    url = reverse("kpis:agent_kpis", kwargs={"agent_id": agent_id})
    # htmx would follow a 302 inside the form; it navigates the whole page instead.
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _kpi_for(access, kpi_id: int) -> AgentKpi:
    return get_object_or_404(
        AgentKpi.objects.select_related("definition"), pk=kpi_id, agent=access.agent
    )


def _initial(kpi: AgentKpi) -> dict:
    initial = {field: getattr(kpi, field) for field in [*services.KPI_FIELDS, "version"]}
    if kpi.baseline_value is not None:
        initial["baseline_value"] = format(kpi.baseline_value.normalize(), "f")
    return initial


@require_http_methods(["GET", "POST"])
def agent_kpi_edit(request, agent_id: int, kpi_id: int):
    """Change a KPI; two people saving from the same version: the second sees both values."""
    access = agent_access(request, agent_id)
    kpi = _kpi_for(access, kpi_id)
    definition = kpi.definition
    if request.method == "GET":
        form = AgentKpiForm(
            initial=_initial(kpi),
            definition=definition,
            editing=True,
            number_format=access.agent.workshop.number_format,
            currency=access.agent.workshop.currency,
        )
        return _render_form(request, access, form, kpi=kpi)
    form = AgentKpiForm(
        request.POST,
        definition=definition,
        editing=True,
        number_format=access.agent.workshop.number_format,
        currency=access.agent.workshop.currency,
    )
    if not access.can_edit:
        return _render_form(request, access, form, kpi=kpi, status=_not_live_status(request))
    outcome = save_versioned(
        form,
        lambda: services.agent_kpi_update(
            kpi=kpi,
            version=form.cleaned_data["version"],
            values=form.values(),
            table_id=access.table_scope,
        ),
        fields=[f for f in services.KPI_FIELDS if f in form.fields],
        rebase=partial(AgentKpiForm, definition=definition, editing=True),
        gone=AgentKpi.DoesNotExist,
    )
    if outcome.gone:
        messages.error(request, "Someone at your table removed this KPI.")
        return _redirect_to_list(request, access.agent.pk)
    if outcome.status != 200:
        return _render_form(
            request, access, outcome.form, kpi=kpi, status=outcome.status, conflict=outcome.conflict
        )
    messages.success(request, _saved_message(outcome.saved))
    return _redirect_to_list(request, access.agent.pk)


@require_POST
def agent_kpi_delete(request, agent_id: int, kpi_id: int):
    """Remove a KPI (and its open baseline task)."""
    access = agent_access(request, agent_id)
    kpi = _kpi_for(access, kpi_id)
    if not access.can_edit:
        messages.error(request, access.read_only_reason)
        return redirect("kpis:agent_kpis", agent_id=access.agent.pk)
    # Someone may have removed it a moment earlier; the list shows the result either way.
    with contextlib.suppress(AgentKpi.DoesNotExist):
        try:
            services.agent_kpi_delete(kpi=kpi, table_id=access.table_scope)
        except ValidationError as error:  # finance signed the agent off (Block 4 lock)
            messages.error(request, " ".join(error.messages))
            return redirect("kpis:agent_kpis", agent_id=access.agent.pk)
    messages.success(request, f"Removed \u201c{kpi.name}\u201d.")
    return _redirect_to_list(request, access.agent.pk)


@require_GET
def library(request):
    """The KPI library in the guide's four categories (no sign-in: it holds no client data)."""
    return render(request, "kpis/library.html", {"library": selectors.library_by_category()})


@facilitator_poll(WORK_REVIEW)
@require_GET
def feasibility(request, workshop_id: int):
    """Measurement feasibility check (3:00-3:15): every KPI in green, amber or red, with data
    source and baseline status; refreshes while the tables work."""
    workshop = workshop_for_facilitator(request, workshop_id)
    if (answer := live_poll(request, workshop, WORK_REVIEW)) is not None:
        return answer
    rev = live_rev(workshop, WORK_REVIEW)
    template = "kpis/feasibility.html"
    if request.htmx:
        template += "#live"
    context = {**selectors.feasibility_check(workshop=workshop), "rev": rev}
    return render(request, template, context)
