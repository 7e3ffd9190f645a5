"""One exporter per document and format; each returns an Export (filename, content type, bytes).

Heavy libraries (WeasyPrint, openpyxl) are imported where they are used.
"""

import functools
from typing import NamedTuple

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language

from common import pdf
from common.spreadsheet import XLSX_CONTENT_TYPE
from targets.selectors import register_block4
from workshops import agenda_times, zones
from workshops.agenda_times import clock as agenda_clock
from workshops.models import ActionItem, Workshop

from . import forecasts, ics, materials, register_xlsx, selectors

PDF = "application/pdf"
XLSX = XLSX_CONTENT_TYPE
ICS = "text/calendar; charset=utf-8"


class Export(NamedTuple):
    filename: str
    content_type: str
    content: bytes


def in_workshop_zone(export):
    """Every time in the document in the workshop's zone, whoever renders it (a request or
    the document worker)."""

    @functools.wraps(export)
    def wrapper(workshop: Workshop, *args, **kwargs):
        with timezone.override(zones.zone(workshop)):
            return export(workshop, *args, **kwargs)

    return wrapper


def _stem(workshop: Workshop, what: str) -> str:
    client = slugify(workshop.client_organisation)[:60] or "workshop"
    return f"{what}-{client}-{workshop.date:%Y-%m-%d}"


def register_html(register: selectors.Register) -> str:
    """The register as the HTML WeasyPrint prints."""
    return render_to_string(
        "reports/register_pdf.html", {"register": register, "language": get_language() or "en"}
    )


def _register_with_forecast(workshop: Workshop, options) -> selectors.Register:
    register = selectors.register_for(workshop)
    register.forecast = forecasts.register_forecast(register, options or forecasts.Options())
    return register


@in_workshop_zone
def register_pdf(workshop: Workshop, options=None, *, on_page=None) -> Export:
    """The register as PDF, with the cost forecast `options` ask for; `on_page(n)` is called
    as each page is laid out."""
    register = _register_with_forecast(workshop, options)
    content = pdf.html_to_pdf(register_html(register), on_page=on_page)
    return Export(f"{_stem(workshop, 'agent-economics-register')}.pdf", PDF, content)


@in_workshop_zone
def register_xlsx_export(workshop: Workshop, options=None) -> Export:
    register = _register_with_forecast(workshop, options)
    content = register_xlsx.workbook(register)
    return Export(f"{_stem(workshop, 'agent-economics-register')}.xlsx", XLSX, content)


@in_workshop_zone
def actions_ics(workshop: Workshop) -> Export:
    """Every open post-workshop action as an all-day event on its due date."""
    actions = workshop.actions.exclude(status=ActionItem.Status.DONE).order_by("due_date", "pk")
    events = [
        ics.AllDayEvent(
            uid=f"action-{action.pk}@ai-finops-workshop",
            day=action.due_date,
            summary=f"{action.action} ({action.owner})",
            description=(
                f"Owner: {action.owner}\n"
                f"Status: {action.get_status_display()}\n"
                f"{workshop.client_organisation}: {workshop.title}, "
                f"{workshop.date:%Y-%m-%d}"
            ),
            categories=(action.get_origin_display(),),
        )
        for action in actions
    ]
    name = f"{workshop.client_organisation}: post-workshop actions"
    content = ics.calendar(events, name=name, stamp=timezone.now(), zone=zones.zone(workshop).key)
    return Export(f"{_stem(workshop, 'post-workshop-actions')}.ics", ICS, content)


def materials_author(workshop: Workshop) -> str:
    """Who the printed materials name as their author: the workshop's facilitators."""
    names = (selectors.person_name(user) for user in workshop.facilitators.order_by("pk"))
    return ", ".join(names) or "AI FinOps Workshop"


def _materials_html(template: str, workshop: Workshop, **context) -> str:
    return render_to_string(
        template,
        {
            "workshop": workshop,
            "author": materials_author(workshop),
            "language": get_language() or "en",
            **context,
        },
    )


@in_workshop_zone
def kpi_worksheets_pdf(
    workshop: Workshop, *, blank: int = 0, agent_id: int | None = None
) -> Export:
    """One worksheet page per agent, pre-filled with its Pillar 1 details and any KPIs chosen;
    or `blank` empty worksheets."""
    if blank:
        sheets = materials.blank_worksheets(blank)
        what = "kpi-worksheet-blank"
    else:
        sheets = materials.worksheets(materials.worksheet_agents(workshop, agent_id=agent_id))
        what = "kpi-worksheets"
        if not sheets:
            sheets = materials.blank_worksheets(1)
    html = _materials_html(
        "reports/kpi_worksheets_pdf.html",
        workshop,
        sheets=sheets,
        library=materials.kpi_library_by_category(),
    )
    return Export(f"{_stem(workshop, what)}.pdf", PDF, pdf.html_to_pdf(html))


@in_workshop_zone
def target_cards_pdf(workshop: Workshop) -> Export:
    """The target-setting framework cards: the four steps and the three value thresholds."""
    html = _materials_html(
        "reports/target_cards_pdf.html", workshop, cards=materials.FRAMEWORK_CARDS
    )
    return Export(f"{_stem(workshop, 'target-setting-cards')}.pdf", PDF, pdf.html_to_pdf(html))


@in_workshop_zone
def run_sheet_pdf(workshop: Workshop) -> Export:
    """The run sheet: every activity with its start, duration, notes and the guide's tips."""
    rows = materials.run_sheet(workshop)
    total = sum(row.minutes for row in rows)
    opening = zones.starts_at(workshop)
    html = _materials_html(
        "reports/run_sheet_pdf.html",
        workshop,
        rows=rows,
        total=agenda_clock(total),
        opening=opening,
        closing=agenda_times.at(opening, total),
        zone_label=zones.label(workshop),
    )
    return Export(f"{_stem(workshop, 'run-sheet')}.pdf", PDF, pdf.html_to_pdf(html))


@in_workshop_zone
def target_sheets_pdf(workshop: Workshop) -> Export:
    """One floor / target / stretch sheet per KPI, pre-filled with its baseline and the
    suggestions (a blank sheet when no KPI is chosen yet)."""
    agents = sorted(
        register_block4(workshop=workshop).values(),
        key=lambda f: (f.agent.priority_rank is None, f.agent.priority_rank or 0, f.agent.name),
    )
    sheets = [(finance.agent, entry) for finance in agents for entry in finance.kpis]
    html = _materials_html(
        "reports/target_sheets_pdf.html",
        workshop,
        sheets=sheets or [(None, None)],
        levels=materials.THRESHOLD_USES,
        horizons=(6, 12),
    )
    return Export(f"{_stem(workshop, 'target-sheets')}.pdf", PDF, pdf.html_to_pdf(html))
