"""Register preview and downloads, the facilitator's printable materials, the actions calendar."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from common.documents import document_response
from common.downloads import download_response, export_response
from targets import forecast as forecast_rules
from workshops.models import Narrative

from . import documents, exporters, forecasts, materials, selectors
from .permissions import facilitator_only, register_reader


@require_GET
@register_reader
def register_preview(request, workshop):
    options = forecasts.Options.from_query(request.GET)
    register = selectors.register_for(workshop)
    register.forecast = forecasts.register_forecast(register, options)
    is_facilitator = any(user.pk == request.user.pk for user in register.facilitators)
    return render(
        request,
        "reports/register_preview.html",
        {
            "register": register,
            "is_facilitator": is_facilitator,
            "decline_choices": forecast_rules.DECLINE_CHOICES,
            "options": options,
        },
    )


def _register_document(request, workshop, kind: str, options) -> HttpResponse:
    """The cached file when it is ready, else its progress page (common.documents)."""
    return document_response(
        request,
        documents.register_request(workshop, kind, options),
        back_url=reverse("reports:register", args=[workshop.pk]),
    )


@require_http_methods(["GET", "POST"])
@register_reader
def register_pdf(request, workshop):
    options = forecasts.Options.from_query(request.GET)
    return _register_document(request, workshop, documents.REGISTER_PDF, options)


@require_http_methods(["GET", "POST"])
@register_reader
def register_xlsx(request, workshop):
    options = forecasts.Options.from_query(request.GET)
    return _register_document(request, workshop, documents.REGISTER_XLSX, options)


@require_GET
@register_reader
def actions_ics(request, workshop):
    return export_response(exporters.actions_ics(workshop))


@require_GET
@facilitator_only
def materials_page(request, workshop):
    return render(
        request,
        "reports/materials.html",
        {
            "workshop": workshop,
            "agents": materials.worksheet_agents(workshop),
            "physical": materials.PHYSICAL_MATERIALS,
        },
    )


def _material(request, workshop, kind: str, **options) -> HttpResponse:
    return document_response(
        request,
        documents.materials_request(workshop, kind, **options),
        back_url=reverse("reports:materials", args=[workshop.pk]),
    )


@require_http_methods(["GET", "POST"])
@facilitator_only
def kpi_worksheets(request, workshop):
    """All agents' worksheets (one page each), pre-filled; `?blank=N` prints N blank ones and
    `?agent=<id>` one agent's."""
    if "blank" in request.GET:
        count = materials.blank_count(request.GET.get("blank"))
        return _material(request, workshop, documents.KPI_WORKSHEETS, blank=count)
    agent_id = request.GET.get("agent")
    if agent_id is not None:
        if not agent_id.isdigit() or not workshop.agents.filter(pk=int(agent_id)).exists():
            raise Http404("No such agent in this workshop.")
        return _material(request, workshop, documents.KPI_WORKSHEETS, agent=int(agent_id))
    return _material(request, workshop, documents.KPI_WORKSHEETS)


@require_http_methods(["GET", "POST"])
@facilitator_only
def target_cards(request, workshop):
    return _material(request, workshop, documents.TARGET_CARDS)


@require_http_methods(["GET", "POST"])
@facilitator_only
def run_sheet(request, workshop):
    return _material(request, workshop, documents.RUN_SHEET)


@require_http_methods(["GET", "POST"])
@facilitator_only
def target_sheets(request, workshop):
    return _material(request, workshop, documents.TARGET_SHEETS)


@require_GET
@register_reader
def narrative_pdf(request, workshop):
    """The workshop's Pillar 5 narrative PDF, for everyone who reads its register."""
    narrative = Narrative.objects.filter(workshop=workshop).first()
    if narrative is None:
        raise Http404("This workshop has no narrative PDF.")
    return download_response(
        filename=narrative.filename,
        content_type="application/pdf",
        content=bytes(narrative.content),
    )
