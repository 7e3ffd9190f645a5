"""Facilitator agent management: list, add, edit, delete, seat agents at tables."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from workshops.concurrency import save_versioned
from workshops.permissions import workshop_for_facilitator

from . import services
from .forms import AgentForm, AssignForm, TableChoiceField
from .models import Agent

NAME_TAKEN = "Another agent in this workshop is already called “{}”. Use a different name."


def _ticked(form) -> set[int]:
    if not form.is_bound:
        return set()
    return {int(value) for value in form.data.getlist("agent_ids") if value.isdigit()}


def _list_context(workshop, *, assign_form=None) -> dict:
    agents = list(Agent.objects.filter(workshop=workshop).select_related("table"))
    tables = list(workshop.tables.all())
    if assign_form is None:
        assign_form = AssignForm(workshop=workshop, agents=agents, tables=tables)
    return {
        "workshop": workshop,
        "agents": agents,
        "tables": tables,
        "assign_form": assign_form,
        # Keep the ticks of a bulk assignment that needs correcting.
        "ticked": _ticked(assign_form),
        "unassigned_count": sum(1 for agent in agents if agent.table_id is None),
        "import_url": reverse("agents:import", kwargs={"workshop_id": workshop.pk}),
    }


@login_required
def agent_list(request, workshop_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    return render(request, "agents/agent_list.html", _list_context(workshop))


@login_required
def agent_create(request, workshop_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    form = AgentForm(request.POST or None, workshop=workshop)
    if request.method == "POST" and form.is_valid():
        try:
            agent = services.agent_create(
                workshop=workshop, table=form.cleaned_data["table"], **form.values()
            )
        except IntegrityError:  # the same name saved by someone else a moment ago
            form.add_error("name", NAME_TAKEN.format(form.cleaned_data["name"]))
        else:
            messages.success(request, f"{agent.name} added.")
            return redirect("agents:list", workshop_id=workshop.pk)
    status = 422 if form.is_bound else 200
    return render(
        request,
        "agents/agent_form.html",
        {"workshop": workshop, "form": form, "agent": None},
        status=status,
    )


@login_required
def agent_edit(request, workshop_id: int, agent_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    agent = get_object_or_404(workshop.agents, pk=agent_id)
    form = AgentForm(
        request.POST or None, workshop=workshop, agent=agent, initial=AgentForm.initial_for(agent)
    )
    context = {"workshop": workshop, "form": form, "agent": agent}
    if not form.is_bound:
        return render(request, "agents/agent_form.html", context)
    outcome = save_versioned(
        form,
        lambda: _agent_update(agent=agent, form=form),
        fields=AgentForm.FIELDS,
        rebase=partial(AgentForm, workshop=workshop, agent=agent),
        gone=Agent.DoesNotExist,
    )
    if outcome.gone:
        messages.error(request, "That agent was deleted in the meantime.")
        return redirect("agents:list", workshop_id=workshop.pk)
    if outcome.status == 200:
        messages.success(request, f"{form.cleaned_data['name']} saved.")
        return redirect("agents:list", workshop_id=workshop.pk)
    if outcome.status == 409:
        context.update(form=outcome.form, conflict=outcome.conflict, reload_url=request.path)
    return render(request, "agents/agent_form.html", context, status=outcome.status)


def _agent_update(*, agent: Agent, form: AgentForm) -> Agent:
    """Save the edit; a name taken in the meantime becomes the form's error."""
    try:
        return services.agent_update(
            agent=agent, version=form.cleaned_data["version"], values=form.values()
        )
    except IntegrityError:  # the same name saved by someone else a moment ago
        raise ValidationError({"name": NAME_TAKEN.format(form.cleaned_data["name"])}) from None


@login_required
def agent_delete(request, workshop_id: int, agent_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    agent = get_object_or_404(workshop.agents.select_related("table"), pk=agent_id)
    context = {"workshop": workshop, "agent": agent}
    if request.method == "POST":
        try:
            services.agent_delete(agent=agent)
        except ValidationError as error:
            context["refused"] = " ".join(error.messages)
            return render(request, "agents/agent_delete.html", context, status=409)
        messages.success(request, f"{agent.name} deleted.")
        return redirect("agents:list", workshop_id=workshop.pk)
    return render(request, "agents/agent_delete.html", context)


@login_required
@require_POST
def agents_assign(request, workshop_id: int):
    """Bulk: seat the ticked agents at one table (or unassign them)."""
    workshop = workshop_for_facilitator(request, workshop_id)
    agents = list(workshop.agents.only("pk", "name"))
    tables = list(workshop.tables.all())
    form = AssignForm(request.POST, workshop=workshop, agents=agents, tables=tables)
    if not form.is_valid():
        context = _list_context(workshop, assign_form=form)
        return render(request, "agents/agent_list.html", context, status=422)
    table = form.cleaned_data["table"]
    count = services.agents_assign(
        workshop=workshop, agent_ids=form.cleaned_data["agent_ids"], table=table
    )
    agents_text = f"{count} agent{'s' if count != 1 else ''}"
    if table:
        verb = "sits" if count == 1 else "sit"
        messages.success(request, f"{agents_text} now {verb} at {table.name}.")
    else:
        verb = "is" if count == 1 else "are"
        messages.success(request, f"{agents_text} {verb} now unassigned.")
    return redirect("agents:list", workshop_id=workshop.pk)


@login_required
@require_POST
def agent_assign(request, workshop_id: int, agent_id: int):
    """One row: seat this agent at the chosen table (or unassign it)."""
    workshop = workshop_for_facilitator(request, workshop_id)
    agent = get_object_or_404(workshop.agents, pk=agent_id)
    tables = list(workshop.tables.all())
    field = TableChoiceField(workshop=workshop, tables=tables)
    try:
        table = field.clean(request.POST.get("table", ""))
    except ValidationError as error:
        text = " ".join(error.messages)
        if request.htmx:
            context = {"workshop": workshop, "agent": agent, "tables": tables, "row_error": text}
            return render(request, "agents/agent_list.html#agent_row", context, status=422)
        messages.error(request, text)
        return redirect("agents:list", workshop_id=workshop.pk)
    services.agents_assign(workshop=workshop, agent_ids=[agent.pk], table=table)
    agent.table = table
    agent.table_id = table.pk if table else None
    if request.htmx:
        context = {"workshop": workshop, "agent": agent, "tables": tables, "row_saved": True}
        return render(request, "agents/agent_list.html#agent_row", context)
    where = f"now sits at {table.name}" if table else "is now unassigned"
    messages.success(request, f"{agent.name} {where}.")
    return redirect("agents:list", workshop_id=workshop.pk)
