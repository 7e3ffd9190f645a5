"""Block 4 pages for a table (and the facilitator): an agent's targets, the four-step target
setting of each KPI (baseline, benchmarks, constraints, thresholds) and the agent's economics.

Forms post to their own URL and come back to the page (post/redirect/get); an invalid form shows
the page again with what the person typed and why it was not saved (422), a conflicting save
the conflict panel (409), a read-only or locked agent the reason (403).
"""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agents.block2_views import agent_back_url
from agents.models import Agent
from common.forms import add_errors
from kpis import services as kpi_services
from kpis.models import AgentKpi
from workshops.changes import TABLE_REGION, WORK_REVIEW
from workshops.concurrency import save_versioned
from workshops.views.polling import live_poll, live_rev

from . import economics, rules, selectors, services
from .forms import (
    AmbitionForm,
    BenchmarkForm,
    ConstraintForm,
    EconomicsForm,
    NoEvidenceForm,
    ThresholdForm,
)
from .models import BenchmarkEvidence
from .permissions import TargetAccess, target_access

KPI_TEMPLATE = "targets/kpi_targets.html"
AGENT_TEMPLATE = "targets/agent_targets.html"
ECONOMICS_TEMPLATE = "targets/economics.html"


def _refused_status(request) -> int:
    # htmx swaps only 2xx/409/422 answers; the page must still show why nothing was saved.
    return 422 if request.htmx else 403


# --- An agent's targets -----------------------------------------------------------------------


@require_GET
def agent_targets(request, agent_id: int):
    """The agent's KPIs with their target steps, its economics and finance's feedback."""
    access = target_access(request, agent_id)
    agent = access.agent
    # Everything of a seated agent reaches its table's scope.
    watches, table = (TABLE_REGION, agent.table) if agent.table_id else (WORK_REVIEW, None)
    if (answer := live_poll(request, agent.workshop, watches, table=table)) is not None:
        return answer
    rev = live_rev(agent.workshop, watches, table=table)
    finance = selectors.agent_finance(agent_id=access.agent.pk)
    context = {
        "access": access,
        "agent": access.agent,
        "finance": finance,
        "back_url": agent_back_url(access),
        "rev": rev,
    }
    template = f"{AGENT_TEMPLATE}#live" if request.htmx else AGENT_TEMPLATE
    return render(request, template, context)


# --- One KPI: the four steps ------------------------------------------------------------------


def _threshold_initial(entry: selectors.KpiTargets) -> dict:
    if entry.target is None:
        return {}
    initial = {
        name: economics.plain(getattr(entry.target, name)).replace(",", "")
        for name in rules.THRESHOLD_FIELDS
    }
    initial.update(assumptions=entry.target.assumptions, version=entry.target.version)
    return initial


def _constraint_initial(entry: selectors.KpiTargets) -> dict:
    analysis = entry.analysis
    if analysis is None:
        return {}
    initial = {name: getattr(analysis, name) for name in services.CONSTRAINT_FIELDS}
    for name in ("adoption_6m_percent", "adoption_12m_percent"):
        initial[name] = economics.plain(initial[name])
    initial["version"] = analysis.version
    return initial


def _no_evidence_initial(entry: selectors.KpiTargets) -> dict:
    if entry.no_evidence is None:
        return {}
    return {
        "no_evidence": True,
        "reason": entry.no_evidence.reason,
        "version": entry.no_evidence.version,
    }


def _kpi_page(
    request,
    access: TargetAccess,
    kpi_id: int,
    *,
    status: int = 200,
    benchmark_form=None,
    constraint_form=None,
    threshold_form=None,
    conflict=None,
    conflict_step: str = "",
    edit_benchmark: int | None = None,
    edit_form=None,
    no_evidence_form=None,
    ambition_form=None,
):
    try:
        finance, entry = selectors.agent_kpi_targets(agent_id=access.agent.pk, kpi_id=kpi_id)
    except AgentKpi.DoesNotExist:
        raise Http404("This KPI is not one of the agent's.") from None
    editable = access.can_edit
    fmt = access.agent.workshop.number_format
    benchmark_form = benchmark_form or BenchmarkForm(number_format=fmt)
    constraint_form = constraint_form or ConstraintForm(
        initial=_constraint_initial(entry), number_format=fmt
    )
    no_evidence_form = no_evidence_form or NoEvidenceForm(
        initial=_no_evidence_initial(entry), number_format=fmt
    )
    ambition_form = ambition_form or AmbitionForm(
        initial={
            "good_enough": entry.kpi.good_enough,
            "transformational": entry.kpi.transformational,
            "version": entry.kpi.version,
        }
    )
    threshold_form = threshold_form or ThresholdForm(
        initial=_threshold_initial(entry), kpi=entry.kpi, number_format=fmt
    )
    benchmark_rows = []
    for benchmark in entry.benchmarks:
        if edit_form is not None and edit_benchmark == benchmark.pk:
            form = edit_form
        else:
            form = BenchmarkForm(
                initial={
                    "kind": benchmark.kind,
                    "description": benchmark.description,
                    "improvement_percent": economics.plain(benchmark.improvement_percent),
                    "absolute_change": economics.plain(benchmark.absolute_change),
                    "source": benchmark.source,
                    "discount_percent": economics.plain(benchmark.discount_percent),
                    "version": benchmark.version,
                },
                prefix=f"b{benchmark.pk}",
                number_format=fmt,
            )
        benchmark_rows.append({"benchmark": benchmark, "form": form})
    if not editable:
        for form in [
            benchmark_form,
            constraint_form,
            threshold_form,
            no_evidence_form,
            ambition_form,
        ]:
            for field in form.fields.values():
                field.disabled = True
    context = {
        "access": access,
        "agent": access.agent,
        "finance": finance,
        "entry": entry,
        "kpi": entry.kpi,
        "editable": editable,
        "benchmark_form": benchmark_form,
        "benchmark_rows": benchmark_rows,
        "constraint_form": constraint_form,
        "no_evidence_form": no_evidence_form,
        "ambition_form": ambition_form,
        "threshold_form": threshold_form,
        "threshold_rows": threshold_form.rows(entry.suggestions),
        "conflict": conflict,
        "conflict_benchmark": edit_benchmark if conflict is not None else None,
        "conflict_step": conflict_step if conflict is not None else "",
        "reload_url": reverse("targets:kpi", args=[access.agent.pk, kpi_id]),
        "back_url": reverse("targets:agent", args=[access.agent.pk]),
        "discount": {
            "min": economics.DISCOUNT_MIN,
            "max": economics.DISCOUNT_MAX,
            "default": economics.DISCOUNT_DEFAULT,
        },
        "level_shares": economics.LEVEL_SHARES,
        "constraint_choices": rules.CONSTRAINT_CHOICES,
    }
    return render(request, KPI_TEMPLATE, context, status=status)


@require_GET
def kpi_targets(request, agent_id: int, kpi_id: int):
    """The guide's four steps for one KPI: baseline, benchmarks, constraints, thresholds."""
    access = target_access(request, agent_id)
    return _kpi_page(request, access, kpi_id)


def _kpi_or_404(access: TargetAccess, kpi_id: int) -> AgentKpi:
    return get_object_or_404(AgentKpi, pk=kpi_id, agent=access.agent)


def _done(request, access, kpi_id: int, step: str, message: str):
    messages.success(request, message)
    return redirect(reverse("targets:kpi", args=[access.agent.pk, kpi_id]) + f"#{step}")


def _gone(request, access):
    messages.error(request, "This agent is no longer at your table.")
    return redirect(agent_back_url(access))


def _refused(request, access: TargetAccess, kpi_id: int, *, form, form_key: str, **page):
    """The KPI page with the step's form and why nothing can be saved (locked or closed)."""
    form.is_valid()
    form.add_error(None, access.read_only_reason)
    return _kpi_page(
        request, access, kpi_id, status=_refused_status(request), **{form_key: form}, **page
    )


def _save_kpi_step(
    request,
    access: TargetAccess,
    kpi_id: int,
    *,
    form,
    form_key: str,
    save,
    fields: list[str],
    rebase,
    conflict_step: str,
    step: str,
    done: str,
    gone=Agent.DoesNotExist,
    on_gone=None,
    **page,
):
    """One versioned step of a KPI's target setting: refused while the agent cannot be edited;
    else saved through save_versioned, answering the step's form with 409/422, or going back
    to the step with `done`."""
    if not access.can_edit:
        return _refused(request, access, kpi_id, form=form, form_key=form_key, **page)
    outcome = save_versioned(form, save, fields=fields, rebase=rebase, gone=gone)
    if outcome.gone:
        return on_gone() if on_gone else _gone(request, access)
    if outcome.status != 200:
        return _kpi_page(
            request,
            access,
            kpi_id,
            status=outcome.status,
            conflict=outcome.conflict,
            conflict_step=conflict_step,
            **{form_key: outcome.form},
            **page,
        )
    return _done(request, access, kpi_id, step, done)


@require_POST
def benchmark_add(request, agent_id: int, kpi_id: int):
    access = target_access(request, agent_id)
    kpi = _kpi_or_404(access, kpi_id)
    form = BenchmarkForm(request.POST, number_format=access.agent.workshop.number_format)
    if not access.can_edit:
        return _refused(request, access, kpi_id, form=form, form_key="benchmark_form")
    if not form.is_valid():
        return _kpi_page(request, access, kpi_id, status=422, benchmark_form=form)
    try:
        services.benchmark_add(kpi=kpi, values=form.values(), table_id=access.table_scope)
    except ValidationError as error:
        add_errors(form, error)
        return _kpi_page(request, access, kpi_id, status=422, benchmark_form=form)
    except Agent.DoesNotExist:
        return _gone(request, access)
    return _done(request, access, kpi_id, "step-benchmarks", "Benchmark evidence added.")


@require_POST
def benchmark_edit(request, agent_id: int, kpi_id: int, benchmark_id: int):
    """Change a piece of evidence (usually the discount on a vendor claim)."""
    access = target_access(request, agent_id)
    kpi = _kpi_or_404(access, kpi_id)
    benchmark = get_object_or_404(BenchmarkEvidence, pk=benchmark_id, kpi=kpi)
    form = BenchmarkForm(
        request.POST, prefix=f"b{benchmark.pk}", number_format=access.agent.workshop.number_format
    )

    def removed():
        messages.error(request, "Someone at your table removed this evidence.")
        return redirect("targets:kpi", agent_id=access.agent.pk, kpi_id=kpi_id)

    return _save_kpi_step(
        request,
        access,
        kpi_id,
        form=form,
        form_key="edit_form",
        save=lambda: services.benchmark_update(
            benchmark=benchmark,
            version=form.cleaned_data["version"] or 0,
            values=form.values(),
            table_id=access.table_scope,
        ),
        fields=services.BENCHMARK_FIELDS,
        rebase=partial(BenchmarkForm, prefix=form.prefix),
        gone=(Agent.DoesNotExist, BenchmarkEvidence.DoesNotExist),
        on_gone=removed,
        conflict_step=f"benchmark-{benchmark.pk}",
        step="step-benchmarks",
        done="Benchmark evidence saved.",
        edit_benchmark=benchmark.pk,
    )


@require_POST
def benchmark_delete(request, agent_id: int, kpi_id: int, benchmark_id: int):
    access = target_access(request, agent_id)
    kpi = _kpi_or_404(access, kpi_id)
    benchmark = BenchmarkEvidence.objects.filter(pk=benchmark_id, kpi=kpi).first()
    if not access.can_edit:
        messages.error(request, access.read_only_reason)
        return redirect("targets:kpi", agent_id=access.agent.pk, kpi_id=kpi_id)
    if benchmark is not None:
        try:
            services.benchmark_delete(benchmark=benchmark, table_id=access.table_scope)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("targets:kpi", agent_id=access.agent.pk, kpi_id=kpi_id)
        except Agent.DoesNotExist:
            return _gone(request, access)
    return _done(request, access, kpi_id, "step-benchmarks", "Benchmark evidence removed.")


@require_POST
def no_evidence(request, agent_id: int, kpi_id: int):
    """State that no comparable evidence exists for the KPI, and why (or withdraw it)."""
    access = target_access(request, agent_id)
    kpi = _kpi_or_404(access, kpi_id)
    form = NoEvidenceForm(request.POST, number_format=access.agent.workshop.number_format)
    if not access.can_edit:
        return _refused(request, access, kpi_id, form=form, form_key="no_evidence_form")
    if form.is_valid() and not form.cleaned_data["no_evidence"]:
        try:
            services.no_evidence_clear(kpi=kpi, table_id=access.table_scope)
        except ValidationError as error:
            add_errors(form, error)
            return _kpi_page(request, access, kpi_id, status=422, no_evidence_form=form)
        except Agent.DoesNotExist:
            return _gone(request, access)
        return _done(request, access, kpi_id, "step-benchmarks", "Statement withdrawn.")
    return _save_kpi_step(
        request,
        access,
        kpi_id,
        form=form,
        form_key="no_evidence_form",
        save=lambda: services.no_evidence_set(
            kpi=kpi,
            version=form.cleaned_data["version"],
            reason=form.values()["reason"],
            table_id=access.table_scope,
        ),
        fields=["reason"],
        rebase=NoEvidenceForm,
        conflict_step="no-evidence",
        step="step-benchmarks",
        done="Saved: no comparable evidence, and why.",
    )


@require_POST
def ambition(request, agent_id: int, kpi_id: int):
    """Step 1: what "good enough" and "transformational" look like for the KPI."""
    access = target_access(request, agent_id)
    kpi = _kpi_or_404(access, kpi_id)
    form = AmbitionForm(request.POST)
    return _save_kpi_step(
        request,
        access,
        kpi_id,
        form=form,
        form_key="ambition_form",
        save=lambda: kpi_services.agent_kpi_ambition_set(
            kpi=kpi,
            version=form.cleaned_data["version"],
            table_id=access.table_scope,
            **form.values(),
        ),
        fields=["good_enough", "transformational"],
        rebase=AmbitionForm,
        conflict_step="ambition",
        step="step-baseline",
        done="Saved: good enough and transformational.",
        gone=(Agent.DoesNotExist, AgentKpi.DoesNotExist),
    )


@require_POST
def constraints(request, agent_id: int, kpi_id: int):
    access = target_access(request, agent_id)
    kpi = _kpi_or_404(access, kpi_id)
    form = ConstraintForm(request.POST, number_format=access.agent.workshop.number_format)
    return _save_kpi_step(
        request,
        access,
        kpi_id,
        form=form,
        form_key="constraint_form",
        save=lambda: services.constraints_set(
            kpi=kpi,
            version=form.cleaned_data["version"],
            values=form.values(),
            table_id=access.table_scope,
        ),
        fields=services.CONSTRAINT_FIELDS,
        rebase=ConstraintForm,
        conflict_step="constraints",
        step="step-constraints",
        done="Constraints and adoption saved.",
    )


@require_POST
def thresholds(request, agent_id: int, kpi_id: int):
    access = target_access(request, agent_id)
    kpi = _kpi_or_404(access, kpi_id)
    form = ThresholdForm(request.POST, kpi=kpi, number_format=access.agent.workshop.number_format)
    return _save_kpi_step(
        request,
        access,
        kpi_id,
        form=form,
        form_key="threshold_form",
        save=lambda: services.targets_set(
            kpi=kpi,
            version=form.cleaned_data["version"],
            values=form.values(),
            table_id=access.table_scope,
        ),
        fields=services.TARGET_FIELDS,
        rebase=partial(ThresholdForm, kpi=kpi),
        conflict_step="thresholds",
        step="step-thresholds",
        done=f"Targets for \u201c{kpi.name}\u201d confirmed.",
    )


# --- Economics --------------------------------------------------------------------------------


def _economics_initial(inputs, agent) -> dict:
    if inputs is None:
        # The Block 2/3 workload may already say how many tasks a month the agent handles.
        tasks = getattr(agent, "tasks_per_month", None)
        return {"period": "week", "other_monthly_cost": "0", "tasks_per_month": tasks}
    initial = {name: getattr(inputs, name) for name in services.ECONOMICS_FIELDS}
    initial["value_kpi"] = inputs.value_kpi_id
    for name in (
        "value_per_unit",
        "tasks_per_month",
        "model_cost_monthly",
        "other_monthly_cost",
        "build_cost",
    ):
        if initial[name] is not None:
            initial[name] = format(initial[name], "f")
    initial["version"] = inputs.version
    return initial


@require_http_methods(["GET", "POST"])
def agent_economics(request, agent_id: int):
    """Which KPI carries the value and what a unit is worth, run and build cost; the ROI and
    payback of floor, target and stretch in a table and a chart."""
    access = target_access(request, agent_id)
    agent = access.agent
    finance = selectors.agent_finance(agent_id=agent.pk)
    workload_known = finance.economics.cost_per_task_usd is not None
    status = 200
    conflict = None
    if request.method == "GET":
        form = EconomicsForm(
            initial=_economics_initial(finance.economics.inputs, agent),
            agent=agent,
            workload_known=workload_known,
            number_format=agent.workshop.number_format,
        )
    else:
        form = EconomicsForm(
            request.POST,
            agent=agent,
            workload_known=workload_known,
            number_format=agent.workshop.number_format,
        )
        if not access.can_edit:
            form.is_valid()
            form.add_error(None, access.read_only_reason)
            status = _refused_status(request)
        else:
            outcome = save_versioned(
                form,
                lambda: services.economics_set(
                    agent=agent,
                    version=form.cleaned_data["version"],
                    values=form.values(),
                    workload_known=workload_known,
                    table_id=access.table_scope,
                ),
                fields=[f for f in services.ECONOMICS_FIELDS if f in form.fields],
                rebase=partial(EconomicsForm, agent=agent, workload_known=workload_known),
                gone=Agent.DoesNotExist,
            )
            if outcome.gone:
                return _gone(request, access)
            if outcome.status == 200:
                messages.success(request, "Economics saved.")
                return redirect(reverse("targets:economics", args=[agent.pk]) + "#results")
            form, status, conflict = outcome.form, outcome.status, outcome.conflict
    if not access.can_edit:
        for field in form.fields.values():
            field.disabled = True
    context = {
        "access": access,
        "agent": agent,
        "finance": finance,
        "summary": finance.economics,
        "form": form,
        "editable": access.can_edit,
        "conflict": conflict,
        "reload_url": reverse("targets:economics", args=[agent.pk]),
        "back_url": reverse("targets:agent", args=[agent.pk]),
        "workload_known": workload_known,
        "currency": agent.workshop.currency,
    }
    return render(request, ECONOMICS_TEMPLATE, context, status=status)
