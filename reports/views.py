"""Register preview and downloads, the facilitator's printable materials, the actions calendar."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from targets import forecast as forecast_rules

from . import exporters, forecasts, materials, selectors
from .permissions import facilitator_only, register_reader


def _download(export: exporters.Export) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = content_disposition_header(True, export.filename)
    # The register holds a client's figures: never kept by a shared cache or the browser.
    patch_cache_control(response, private=True, no_store=True)
    return response


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


@require_GET
@register_reader
def register_pdf(request, workshop):
    options = forecasts.Options.from_query(request.GET)
    return _download(exporters.register_pdf(workshop, options))


@require_GET
@register_reader
def register_xlsx(request, workshop):
    options = forecasts.Options.from_query(request.GET)
    return _download(exporters.register_xlsx_export(workshop, options))


@require_GET
@register_reader
def actions_ics(request, workshop):
    return _download(exporters.actions_ics(workshop))


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


@require_GET
@facilitator_only
def kpi_worksheets(request, workshop):
    """All agents' worksheets (one page each), pre-filled; `?blank=N` prints N blank ones and
    `?agent=<id>` one agent's."""
    if "blank" in request.GET:
        count = materials.blank_count(request.GET.get("blank"))
        return _download(exporters.kpi_worksheets_pdf(workshop, blank=count))
    agent_id = request.GET.get("agent")
    if agent_id is not None:
        if not agent_id.isdigit() or not workshop.agents.filter(pk=int(agent_id)).exists():
            raise Http404("No such agent in this workshop.")
        return _download(exporters.kpi_worksheets_pdf(workshop, agent_id=int(agent_id)))
    return _download(exporters.kpi_worksheets_pdf(workshop))


@require_GET
@facilitator_only
def target_cards(request, workshop):
    return _download(exporters.target_cards_pdf(workshop))


@require_GET
@facilitator_only
def run_sheet(request, workshop):
    return _download(exporters.run_sheet_pdf(workshop))


@require_GET
@facilitator_only
def target_sheets(request, workshop):
    return _download(exporters.target_sheets_pdf(workshop))
