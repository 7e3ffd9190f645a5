"""Block 2 pages: a table classifies an agent and writes its thesis; the facilitator's live
portfolio of every agent by archetype."""

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from common import numbers
from foundation.selectors import workshop_price_freshness
from workshops.changes import WORK_REVIEW
from workshops.concurrency import save_versioned
from workshops.permissions import workshop_for_facilitator
from workshops.views.polling import facilitator_poll, live_poll, live_rev

from . import block2_selectors, block2_services, classification
from .block2_forms import ClassificationForm, WorkloadForm
from .block2_permissions import AgentAccess, agent_access
from .models import Agent

TEMPLATE = "agents/block2_classify.html"


def agent_back_url(access: AgentAccess) -> str:
    """Where the page's "back" link goes: the agent in the table workspace, or the
    facilitator's agent list."""
    agent = access.agent
    if access.is_facilitator:
        return reverse("agents:list", args=[agent.workshop_id])
    return reverse("workshops:table_agent", args=[agent.pk])


def access_context(access: AgentAccess) -> dict:
    """What every Block 2-3 page of an agent shows around its form: the agent, who is looking
    (participants get their table's header links) and where "back" goes."""
    participant = access.participant
    return {
        "access": access,
        "agent": access.agent,
        "participant": participant,
        "table": participant.table if participant else access.agent.table,
        "back_url": agent_back_url(access),
    }


def _initial(agent: Agent) -> dict:
    return {
        "economic_class": agent.economic_class,
        "value_driver": agent.value_driver,
        "value_driver_other": agent.value_driver_other,
        "thesis_subject": agent.thesis_subject,
        "thesis_mechanism": agent.thesis_mechanism,
        "version": agent.version,
    }


def _render(request, access, form, *, status=200, conflict=None, saved=False):
    template = f"{TEMPLATE}#classification_form" if request.htmx else TEMPLATE
    preview, complete = form.preview
    context = {
        **access_context(access),
        "form": form,
        "preview": preview,
        "preview_complete": complete,
        "conflict": conflict,
        "saved": saved,
        "reload_url": request.path,
        "bottom_line_drivers": classification.BOTTOM_LINE_DRIVERS,
        "mechanism_verbs": " ".join(classification.MECHANISM_VERBS),
        "top_line_drivers": classification.TOP_LINE_DRIVERS,
        "other_driver": classification.OTHER_DRIVER,
        "subject_examples": classification.SUBJECT_EXAMPLES,
        "mechanism_example": classification.MECHANISM_EXAMPLE,
    }
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def classify(request, agent_id: int):
    """The agent's archetype, value driver and thesis, with a live preview of the sentence."""
    access = agent_access(request, agent_id)
    agent = access.agent
    if request.method == "GET":
        return _render(request, access, ClassificationForm(initial=_initial(agent)))
    form = ClassificationForm(request.POST)
    if not access.can_edit:
        # htmx swaps only 2xx/409/422 answers; the page must still show why nothing was saved.
        return _render(request, access, form, status=422 if request.htmx else 403)
    outcome = save_versioned(
        form,
        lambda: block2_services.agent_classify(
            agent=agent,
            version=form.cleaned_data["version"],
            table_id=access.table_scope,
            **form.values(),
        ),
        fields=block2_services.CLASSIFICATION_FIELDS,
        rebase=ClassificationForm,
        gone=Agent.DoesNotExist,
    )
    if outcome.gone:
        messages.error(request, "This agent is no longer at your table.")
        return redirect(agent_back_url(access))
    if outcome.status != 200:
        return _render(
            request, access, outcome.form, status=outcome.status, conflict=outcome.conflict
        )
    saved = outcome.saved
    if request.htmx:
        fresh = AgentAccess(
            agent=saved,
            participant=access.participant,
            is_facilitator=access.is_facilitator,
            can_edit=access.can_edit,
            read_only_reason=access.read_only_reason,
        )
        return _render(request, fresh, ClassificationForm(initial=_initial(saved)), saved=True)
    messages.success(request, f"Saved. {saved.thesis}")
    return redirect("block2:classify", agent_id=agent.pk)


@facilitator_poll(WORK_REVIEW)
@require_GET
def portfolio(request, workshop_id: int):
    """Every agent in a bottom-line or top-line column with its thesis and value driver,
    grouped by table; refreshes while the tables work."""
    workshop = workshop_for_facilitator(request, workshop_id)
    if (answer := live_poll(request, workshop, WORK_REVIEW)) is not None:
        return answer
    rev = live_rev(workshop, WORK_REVIEW)
    context = {**block2_selectors.portfolio(workshop=workshop), "rev": rev}
    template = "agents/block2_portfolio.html"
    if request.htmx:
        template += "#live"
    return render(request, template, context)


# --- AI workload ----------------------------------------------------------------------------------
WORKLOAD_TEMPLATE = "agents/block2_workload.html"


def _workload_initial(agent: Agent) -> dict:
    initial = {field: getattr(agent, field) for field in block2_services.WORKLOAD_FIELDS}
    initial["workload_model"] = agent.workload_model_id
    initial["version"] = agent.version
    return initial


def _evolution_url(access) -> str:
    """The cost evolution story of this agent's workload: its model (or, if no longer on sale,
    its tier), tokens, calls and tasks, written in the workshop's number format."""
    agent = access.agent
    if not agent.has_workload:
        return ""
    workshop = agent.workshop
    fmt = numbers.number_format(workshop.number_format)
    model = agent.workload_model
    choice = f"m{model.pk}" if model.on_sale(workshop.pricing_date) else model.tier

    def number(value) -> str:
        return numbers.format_number(Decimal(value), fmt)

    query = {
        "model": choice,
        "input_tokens": number(agent.input_tokens_per_call),
        "output_tokens": number(agent.output_tokens_per_call),
        "tasks_per_month": number(agent.tasks_per_month or 0),
        "calls_per_task": number(agent.model_calls_per_task or 1),
        "context_growth_per_call": "0",
        "cached_percent": "0",
        "batch_percent": "0",
        "multiplier": "2",
        "tier": model.tier,
    }
    if access.is_facilitator:
        query["workshop"] = str(workshop.pk)
    return f"{reverse('foundation:evolution')}?{urlencode(query)}"


def _render_workload(request, access, form, *, status=200, conflict=None, saved=False):
    template = f"{WORKLOAD_TEMPLATE}#workload_form" if request.htmx else WORKLOAD_TEMPLATE
    context = {
        **access_context(access),
        "form": form,
        "cost": block2_selectors.agent_workload_cost(access.agent),
        "freshness": workshop_price_freshness(access.agent.workshop),
        "evolution_url": _evolution_url(access),
        "conflict": conflict,
        "saved": saved,
        "reload_url": request.path,
    }
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def workload(request, agent_id: int):
    """The agent's AI workload, priced at its model's list price as of the workshop's pricing
    date: the cost per task that Economic KPIs and the value targets use."""
    access = agent_access(request, agent_id)
    agent = access.agent
    if request.method == "GET":
        return _render_workload(
            request, access, WorkloadForm(initial=_workload_initial(agent), agent=agent)
        )
    form = WorkloadForm(request.POST, agent=agent)
    if not access.can_edit:
        return _render_workload(request, access, form, status=422 if request.htmx else 403)
    outcome = save_versioned(
        form,
        lambda: block2_services.agent_workload_set(
            agent=agent,
            version=form.cleaned_data["version"],
            values=form.values(),
            table_id=access.table_scope,
        ),
        fields=block2_services.WORKLOAD_FIELDS,
        rebase=lambda data: WorkloadForm(data, agent=agent),
        gone=Agent.DoesNotExist,
    )
    if outcome.gone:
        messages.error(request, "This agent is no longer at your table.")
        return redirect(agent_back_url(access))
    if outcome.status != 200:
        return _render_workload(
            request, access, outcome.form, status=outcome.status, conflict=outcome.conflict
        )
    saved = outcome.saved
    fresh = AgentAccess(
        agent=saved,
        participant=access.participant,
        is_facilitator=access.is_facilitator,
        can_edit=access.can_edit,
        read_only_reason=access.read_only_reason,
    )
    if request.htmx:
        form = WorkloadForm(initial=_workload_initial(saved), agent=saved)
        return _render_workload(request, fresh, form, saved=True)
    messages.success(request, "Saved the AI workload.")
    return redirect("block2:workload", agent_id=agent.pk)
