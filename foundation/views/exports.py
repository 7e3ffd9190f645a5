"""Downloads: the calculator spreadsheet and the cost evolution infographic."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import selectors
from ..currency import tool_currency
from ..forms import CalculatorForm, EvolutionForm
from .tools import evolution_context, number_format


def _download(filename: str, content_type: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def calculator_xlsx(request):
    """The calculator as a spreadsheet, with the workload on the page filled in (defaults
    where the page had an error)."""
    from ..xlsx import calculator_workbook

    rows = selectors.priced_models()
    fmt = number_format(tool_currency(request))
    form = CalculatorForm.from_query(request.GET, priced_rows=rows, number_format=fmt)
    if not form.is_valid():
        form = CalculatorForm(CalculatorForm.DEFAULTS, priced_rows=rows, number_format=fmt)
        form.is_valid()
    currency = tool_currency(request)
    return _download(
        *calculator_workbook(
            form=form,
            rows=rows,
            exchange_rate=currency.rate,
            rate_note=currency.workshop.rate_note if currency.workshop else "",
            prices_as_of=selectors.prices_as_of(),
        )
    )


@require_GET
def evolution_pdf(request):
    """The cost evolution infographic as a one-page PDF."""
    from ..pdf import render_pdf

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
    html = render(request, "foundation/evolution_pdf.html", context).content.decode()
    return _download(
        "cost-evolution.pdf",
        "application/pdf",
        render_pdf(html),
    )
