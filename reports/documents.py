"""The register's documents as the task worker renders them (common.documents): the PDF and the
spreadsheet, cached under the workshop's revision and pricing date."""

import hashlib

from django.conf import settings

from common.documents import DocumentKind, Progress, Rendered, Request, kind_for, register_kind
from foundation.selectors import prices_as_of
from workshops import zones
from workshops.models import Workshop

from . import exporters
from .forecasts import Options

REGISTER_PDF = "register_pdf"
REGISTER_XLSX = "register_xlsx"
KPI_WORKSHEETS = "kpi_worksheets_pdf"
TARGET_CARDS = "target_cards_pdf"
RUN_SHEET = "run_sheet_pdf"
TARGET_SHEETS = "target_sheets_pdf"


def _workshop(params: dict) -> Workshop:
    return Workshop.objects.get(pk=params["workshop"])


def _options(params: dict):
    """The cost forecast the download asked for (decline and months)."""
    return Options.from_query({k: str(v) for k, v in params.items() if k in ("decline", "months")})


def render_register_pdf(params: dict, progress: Progress) -> Rendered:
    workshop = _workshop(params)
    agents = workshop.agents.count()
    progress.step(f"agents 0 of {agents}", 2, force=True)
    # The layout goes page by page; a register takes about two pages per agent.
    expected_pages = 4 + 2 * agents

    def on_page(number: int) -> None:
        done = min(agents, agents * number // expected_pages) if agents else 0
        percent = 10 + 80 * min(number, expected_pages) // expected_pages
        progress.step(f"agents {done} of {agents}", percent)

    export = exporters.register_pdf(workshop, _options(params), on_page=on_page)
    progress.step(f"agents {agents} of {agents}", 100, force=True)
    return Rendered(*export)


def render_register_xlsx(params: dict, progress: Progress) -> Rendered:
    workshop = _workshop(params)
    progress.step("reading the workshop", 10, force=True)
    export = exporters.register_xlsx_export(workshop, _options(params))
    return Rendered(*export)


def render_kpi_worksheets(params: dict, progress: Progress) -> Rendered:
    progress.step("laying out the worksheets", 10, force=True)
    export = exporters.kpi_worksheets_pdf(
        _workshop(params), blank=params.get("blank") or 0, agent_id=params.get("agent")
    )
    return Rendered(*export)


def render_target_cards(params: dict, progress: Progress) -> Rendered:
    progress.step("laying out the cards", 10, force=True)
    return Rendered(*exporters.target_cards_pdf(_workshop(params)))


def render_run_sheet(params: dict, progress: Progress) -> Rendered:
    progress.step("laying out the run sheet", 10, force=True)
    return Rendered(*exporters.run_sheet_pdf(_workshop(params)))


def render_target_sheets(params: dict, progress: Progress) -> Rendered:
    progress.step("laying out the target sheets", 10, force=True)
    return Rendered(*exporters.target_sheets_pdf(_workshop(params)))


def register_kinds() -> None:
    register_kind(DocumentKind(name=REGISTER_PDF, title="the register", render=render_register_pdf))
    register_kind(
        DocumentKind(
            name=REGISTER_XLSX, title="the register spreadsheet", render=render_register_xlsx
        )
    )
    register_kind(
        DocumentKind(name=KPI_WORKSHEETS, title="the KPI worksheets", render=render_kpi_worksheets)
    )
    register_kind(
        DocumentKind(
            name=TARGET_CARDS, title="the target-setting cards", render=render_target_cards
        )
    )
    register_kind(DocumentKind(name=RUN_SHEET, title="the run sheet", render=render_run_sheet))
    register_kind(
        DocumentKind(
            name=TARGET_SHEETS,
            title="the floor, target and stretch sheets",
            render=render_target_sheets,
        )
    )


def _trusted_keys() -> str:
    """Which sign-offs verify depends on the keys this server trusts."""
    return hashlib.sha256(",".join(sorted(settings.TRUSTED_SIGNING_KEYS)).encode()).hexdigest()[:16]


def register_request(workshop: Workshop, kind: str, options=None) -> Request:
    """The register of `workshop` as it is now, with the cost forecast `options` ask for: what
    it shows moves with the workshop's revision, its pricing date, the catalogue's newest price
    (the forecast's observed decline) and the forecast options."""
    options = options or Options()
    chosen = {"decline": options.decline, "months": options.months}
    return Request(
        kind=kind_for(kind),
        params={"workshop": workshop.pk, **chosen},
        key_parts={
            "workshop": workshop.pk,
            "revision": workshop.revision,
            "pricing_date": workshop.pricing_date,
            "prices_as_of": prices_as_of(),
            "trusted": _trusted_keys(),
            **chosen,
        },
        workshop_id=workshop.pk,
    )


def materials_request(workshop: Workshop, kind: str, **options) -> Request:
    """A printable material of `workshop` (`options`: which worksheets), as the workshop is
    now: what it shows moves with the workshop's revision, its date, start time and zone (the
    run sheet's clock; also set outside the services, as the demo and imports do) and the
    facilitators named as its author (their accounts change without the workshop)."""
    return Request(
        kind=kind_for(kind),
        params={"workshop": workshop.pk, **options},
        key_parts={
            "workshop": workshop.pk,
            "revision": workshop.revision,
            "date": workshop.date,
            "start_time": workshop.start_time,
            "time_zone": zones.zone(workshop).key,
            "author": exporters.materials_author(workshop),
            **options,
        },
        workshop_id=workshop.pk,
    )
