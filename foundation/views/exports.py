"""Downloads: the calculator spreadsheet and the cost evolution infographic."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from common.documents import Rendered, Request, document_response, kind_for
from common.downloads import export_response
from common.pdf import html_to_pdf

from .. import selectors
from ..currency import tool_currency
from ..forms import CalculatorForm, EvolutionForm
from ..xlsx import calculator_workbook
from .tools import evolution_context, number_format


@require_GET
def calculator_xlsx(request):
    """The calculator as a spreadsheet, with the workload on the page filled in (defaults
    where the page had an error)."""
    rows = selectors.priced_models()
    fmt = number_format(tool_currency(request))
    form = CalculatorForm.from_query(request.GET, priced_rows=rows, number_format=fmt)
    if not form.is_valid():
        form = CalculatorForm(CalculatorForm.DEFAULTS, priced_rows=rows, number_format=fmt)
        form.is_valid()
    currency = tool_currency(request)
    return export_response(
        calculator_workbook(
            form=form,
            rows=rows,
            exchange_rate=currency.rate,
            rate_note=currency.workshop.rate_note if currency.workshop else "",
            prices_as_of=selectors.prices_as_of(),
        )
    )


@require_http_methods(["GET", "POST"])
def evolution_pdf(request):
    """The cost evolution infographic as a one-page PDF, rendered by the document worker and
    cached under its own markup (what it shows, to the byte)."""
    rows = selectors.priced_models()
    fmt = number_format(tool_currency(request))
    form = CalculatorForm.from_query(request.GET, priced_rows=rows, number_format=fmt)
    window = EvolutionForm.from_query(request.GET, default_tier=form.tier(), number_format=fmt)
    if not (form.is_valid() and window.is_valid()):
        return render(
            request,
            "foundation/evolution.html",
            {"form": form, "window": window, "story": None, "currency": tool_currency(request)},
            status=422,
        )
    currency = tool_currency(request)
    context = {"currency": currency, **evolution_context(form, window, currency)}
    html = render_to_string("foundation/evolution_pdf.html", context)
    asked = Request(
        kind=kind_for(EVOLUTION_PDF),
        params={"html": html},
        key_parts={"html": html},
        # In a workshop's context it names the client: kept for the workshop's readers only.
        workshop_id=currency.workshop.pk if currency.workshop else None,
    )
    return document_response(request, asked, back_url=reverse("foundation:evolution"))


EVOLUTION_PDF = "evolution_pdf"
# The infographic prints with the screen's stylesheets.
EVOLUTION_STYLESHEETS = ("css/app.css", "css/foundation.css")


def render_evolution_pdf(params: dict, progress):
    progress.step("laying out the page", 30, force=True)
    content = html_to_pdf(params["html"], stylesheets=EVOLUTION_STYLESHEETS)
    return Rendered("cost-evolution.pdf", "application/pdf", content)
