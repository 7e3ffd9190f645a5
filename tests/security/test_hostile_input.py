"""Hostile text in every text field of every form, hostile query strings on every page,
hostile names in every importer, hostile text in the register's PDF and XLSX, and a list of
every upload field so a new upload cannot arrive without attack tests.

A field either refuses the text with a message and saves nothing (NUL bytes and 100 KB must be
refused: PostgreSQL cannot store NUL in text), or saves it and every page shows it as text.
Names refuse invisible formatting characters (bidi overrides, zero-width characters), so one
name cannot pose as another; free text keeps them and shows them as text."""

import ast
import io
import itertools
import json
import zipfile
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agents.models import Agent
from foundation.models import LLMModel
from targets import services as target_services
from tests.documents import download
from tests.security.conftest import client_for, db_snapshot, snapshot_diff
from tests.security.test_access_matrix import (
    _economics,
    _kpi_form,
    _sign_off,
    _thresholds,
    _version,
    url_for,
)
from tests.security.test_csp import PAGES, inline_problems, owner

pytestmark = pytest.mark.django_db

XSS = "\"><img src=x onerror=alert(1)><script>alert('xss')</script>"
JS_URL = "javascript:alert(1)"
BIDI = "\u202egnp.exe\u200b zero\u200dwidth\ufeff"
NUL = "before\x00after"
HUGE = "x" * 100_000
SHOWN = {"xss": XSS, "js_url": JS_URL, "bidi": BIDI}  # saved (or refused) and shown as text
REFUSED = {"nul": NUL, "huge": HUGE}  # always refused with a message
SEQUENCE = itertools.count(1)
SHORT_XSS = "<script>alert(1)</script>"  # for fields of 40 characters
NUL_MESSAGES = {"Null characters are not allowed.", "contains a control character (U+0000)"}
HIDDEN_MESSAGE = "contains an invisible formatting character (U+202E, right-to-left override)"


class ErrorFinder(HTMLParser):
    """The text of the page's error messages (field errors, form errors, alerts)."""

    CLASSES = {"field-error", "form-errors", "errorlist", "errornote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        if self.depth:
            self.depth += 1
        elif classes & self.CLASSES or attributes.get("role") == "alert":
            self.depth = 1
            self.texts.append("")

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.texts[-1] += data


def error_texts(html: str) -> str:
    finder = ErrorFinder()
    finder.feed(html)
    return " ".join(" ".join(finder.texts).split())


@dataclass(frozen=True)
class Form:
    """A form reached by `url` as `role`: a valid submission, its text fields, and the pages
    that show what it saved (besides the page the save redirects to)."""

    url: str
    role: str
    data: object
    fields: tuple[str, ...]
    prefix: object = lambda w: ""  # noqa: E731
    shown_at: object = lambda w: []  # noqa: E731
    before_each: object = None
    # The form answers with a preview (200) instead of saving and redirecting.
    preview: bool = False
    # Fields no page shows back after a success (a filter, not a value).
    not_shown: tuple[str, ...] = ()
    # Short fields get a shorter script payload.
    short: tuple[str, ...] = ()
    # Text a valid value needs around the hostile part (e.g. a thesis must name a thing).
    wrap: dict = field(default_factory=dict)


def _workshop(w):
    return {
        "client_organisation": "Acme",
        "title": "Workshop",
        "date": "2026-12-10",
        "venue": "Room 1",
        "currency": "USD",
        "usd_exchange_rate": "1",
        "status": "live",
    }


def _agent(w):
    return {
        "name": "Invoice matcher",
        "description": "Reads invoices",
        "business_process": "AP",
        "priority_rank": "1",
        "owner_name": "Dana",
        "owner_email": "dana@example.com",
        "version": _version(w.agent),
    }


def _classification(w):
    return {
        "economic_class": "bottom_line",
        "value_driver": "other",
        "value_driver_other": "working capital released",
        "thesis_subject": "manual invoice matching hours in accounts payable",
        "thesis_mechanism": "matching invoices to purchase orders",
        "version": _version(w.agent),
    }


def _benchmark(w):
    return {
        "kind": "vendor",
        "description": "A forwarder",
        "improvement_percent": "20",
        "source": "Annual report",
        "discount_percent": "40",
    }


def _constraints(w):
    return {
        "notes": "Clerks need training",
        "adoption_6m_percent": "30",
        "adoption_12m_percent": "60",
        "version": _version(w.kpi.constraint_analysis),
    }


def _catalogue_upload(w):
    document = {
        "acme-large": {
            "litellm_provider": "acme",
            "mode": "chat",
            "input_cost_per_token": 0.000003,
            "output_cost_per_token": 0.000015,
        }
    }
    return {
        "file": SimpleUploadedFile("prices.json", json.dumps(document).encode()),
        "providers": "acme",
        "source": "Price list",
    }


def _reopen_ready(w):
    if not w.agent.finance_signoffs.filter(status="valid").exists():
        _sign_off(w)


def _reopened(w):
    if w.agent.finance_signoffs.filter(status="valid").exists():
        target_services.signoff_reopen(agent=w.agent, reason="Again", voided_by=None)


def _reviewer(w):
    return {
        "username": f"newfinance{next(SEQUENCE)}",
        "full_name": "New Finance",
        "email": "",
        "password": "a-long-unusual-passphrase-42",
    }


def _without_benchmarks(w):
    from targets.models import BenchmarkEvidence, NoComparableEvidence

    BenchmarkEvidence.objects.filter(kpi=w.kpi).delete()
    NoComparableEvidence.objects.filter(kpi=w.kpi).delete()


def _kpi_page(w):
    return [reverse("targets:kpi", args=[w.agent.pk, w.kpi.pk])]


# Forms whose own rules refuse script-like text, with a message: usernames take letters and
# digits only, and a reviewer to add must be an existing account.
REFUSES_MARKUP = {"finance account username", "finance reviewer"}
# The fields of each form that hold names (the forms' NAME_FIELDS): they refuse bidi text.
NAMES = {
    "workshop": ("client_organisation", "title"),
    "table": ("name",),
    "action": ("owner",),
    "join name": ("display_name",),
    "agent (console)": ("name", "owner_name"),
    "agent (table)": ("name", "owner_name"),
    "classification": ("value_driver_other",),
    "KPI": ("name",),
    "sign-off title": ("title",),
    "finance invite (signer name)": ("name", "title"),
    "finance account": ("full_name",),
    "finance account username": ("username",),
    "finance reviewer": ("username",),
}

FORMS = {
    "workshop": Form(
        "workshops:create",
        "facilitator",
        _workshop,
        ("client_organisation", "title", "venue"),
        shown_at=lambda w: [reverse("workshops:list")],
    ),
    "table": Form("workshops:tables", "facilitator", lambda w: {"name": "T"}, ("name",)),
    "agenda notes": Form(
        "workshops:agenda_item",
        "facilitator",
        lambda w: {"planned_minutes": "15", "facilitator_notes": "n"},
        ("facilitator_notes",),
    ),
    "pre-work note": Form(
        "workshops:prework_item",
        "facilitator",
        lambda w: {"status": "open", "note": "n"},
        ("note",),
    ),
    "action": Form(
        "workshops:action_create",
        "facilitator",
        lambda w: {"owner": "Dana", "action": "Do", "due_date": "2027-01-10", "status": "open"},
        ("owner", "action"),
    ),
    "join name": Form(
        "workshops:join",
        "anonymous",
        lambda w: {"code": w.table.join_code, "display_name": "Sam"},
        ("display_name",),
        short=("display_name",),
    ),
    "agent (console)": Form(
        "agents:edit",
        "facilitator",
        _agent,
        ("name", "description", "business_process", "owner_name"),
        shown_at=lambda w: [reverse("agents:edit", args=[w.workshop.pk, w.agent.pk])],
    ),
    "agent (table)": Form(
        "workshops:table_agent",
        "participant",
        _agent,
        ("name", "description", "business_process", "owner_name"),
    ),
    "classification": Form(
        "block2:classify",
        "participant",
        _classification,
        ("value_driver_other", "thesis_subject", "thesis_mechanism"),
        shown_at=lambda w: [reverse("block2:portfolio", args=[w.workshop.pk])],
        wrap={
            "value_driver_other": "working capital {}",
            "thesis_subject": "invoice matching hours {}",
            "thesis_mechanism": "matching purchase orders {}",
        },
        short=("value_driver_other",),
    ),
    "KPI": Form(
        "kpis:agent_kpi_edit",
        "participant",
        lambda w: _kpi_form(w, edit=True),
        ("name", "unit", "data_source_system", "data_source_owner", "baseline_source"),
        shown_at=lambda w: [reverse("kpis:agent_kpis", args=[w.agent.pk])],
        wrap={"name": "Invoices matched per week {}"},
        short=("unit",),
    ),
    "benchmark": Form(
        "targets:benchmark_add", "participant", _benchmark, ("description", "source")
    ),
    "no comparable evidence": Form(
        "targets:no_evidence",
        "participant",
        lambda w: {"no_evidence": "on", "reason": "Nothing comparable is published."},
        ("reason",),
        shown_at=_kpi_page,
        before_each=_without_benchmarks,
    ),
    "constraints": Form(
        "targets:constraints", "participant", _constraints, ("notes",), shown_at=_kpi_page
    ),
    "assumptions": Form(
        "targets:thresholds", "participant", _thresholds, ("assumptions",), shown_at=_kpi_page
    ),
    "economics basis": Form("targets:economics", "participant", _economics, ("value_basis",)),
    "finance comment": Form(
        "targets:request_changes",
        "finance",
        lambda w: {f"c{w.agent.pk}-comment": "Halve it"},
        ("comment",),
        prefix=lambda w: f"c{w.agent.pk}-",
        shown_at=lambda w: [reverse("targets:agent", args=[w.agent.pk])],
    ),
    "sign-off title": Form(
        "targets:signoff",
        "finance_invite",
        lambda w: {
            f"s{w.agent.pk}-title": "CFO",
            f"s{w.agent.pk}-values_sha256": target_services_sha(w),
        },
        ("title",),
        prefix=lambda w: f"s{w.agent.pk}-",
        before_each=_reopened,
        shown_at=lambda w: [reverse("targets:finance_status", args=[w.workshop.pk])],
    ),
    "reopen reason": Form(
        "targets:reopen",
        "facilitator",
        lambda w: {f"r{w.agent.pk}-reason": "Numbers changed"},
        ("reason",),
        prefix=lambda w: f"r{w.agent.pk}-",
        before_each=_reopen_ready,
    ),
    "finance invite (signer name)": Form(
        "targets:invite_create",
        "facilitator",
        lambda w: {"name": "Fran", "title": "CFO", "valid_days": "7"},
        ("name", "title"),
    ),
    "finance account": Form("targets:reviewer_create", "facilitator", _reviewer, ("full_name",)),
    "finance account username": Form(
        "targets:reviewer_create", "facilitator", _reviewer, ("username",)
    ),
    "finance reviewer": Form(
        "targets:reviewer_add", "facilitator", lambda w: {"username": "rival"}, ("username",)
    ),
    "catalogue import": Form(
        "foundation:catalogue_import",
        "catalogue_admin",
        _catalogue_upload,
        ("providers", "source"),
        preview=True,
        wrap={"providers": "acme, {}"},
        not_shown=("providers",),
    ),
}


def target_services_sha(w) -> str:
    from targets.selectors import agent_finance

    return agent_finance(agent_id=w.agent.pk).sha256


def _values(spec: Form, payload: str) -> dict[str, str]:
    """Every text field of the form gets the payload, each with its own field name after it
    (so the pages can be searched for each field's value)."""
    short = payload == XSS
    return {
        name: spec.wrap.get(name, "{}").format(
            (SHORT_XSS if short and name in spec.short else payload) + f" {name}"
        )
        for name in spec.fields
    }


def _submit(spec: Form, world, values: dict[str, str]):
    data = spec.data(world)
    prefix = spec.prefix(world)
    data.update({prefix + name: value for name, value in values.items()})
    browser = client_for(spec.role, world)
    return browser, browser.post(url_for(spec.url, world), data)


def _names_refuse_bidi(form: str, spec: Form, world) -> None:
    names = NAMES.get(form, ())
    for name in names:
        if spec.before_each:
            spec.before_each(world)
        before = db_snapshot()
        _, response = _submit(spec, world, {name: BIDI})
        assert response.status_code in (400, 409, 422), (name, response.status_code)
        assert HIDDEN_MESSAGE in error_texts(response.content.decode()), name
        assert snapshot_diff(before, db_snapshot()) == [], name


@pytest.mark.parametrize("form", sorted(FORMS))
def test_hostile_text_refused_or_shown_as_text(form, world):
    spec = FORMS[form]
    _names_refuse_bidi(form, spec, world)
    for kind, payload in {**REFUSED, **SHOWN}.items():
        values = dict.fromkeys(spec.fields, payload) if kind in REFUSED else None
        values = values or _values(spec, payload)
        if kind == "bidi":
            values = {k: v for k, v in values.items() if k not in NAMES.get(form, ())}
            if not values:
                continue
        if spec.before_each:
            spec.before_each(world)
        before = db_snapshot()
        browser, response = _submit(spec, world, values)
        changed = snapshot_diff(before, db_snapshot())
        assert response.status_code < 500, (kind, response.status_code)
        html = response.content.decode()
        errors = error_texts(html)
        assert inline_problems(html) == [], (kind, "injected into the answer")
        if kind in REFUSED:
            assert response.status_code in (400, 409, 422), (kind, response.status_code)
            assert changed == [], (kind, changed)
            if kind == "nul":
                assert any(message in errors for message in NUL_MESSAGES), errors[:300]
            else:
                assert "characters" in errors, errors[:300]
            continue
        accepted = (
            response.status_code == 200 and not errors
            if spec.preview
            else response.status_code == 302
        )
        if not accepted:
            # Only fields whose own rules refuse such text may refuse it, and say why.
            assert form in REFUSES_MARKUP, (kind, errors[:300])
            assert changed == [], (kind, changed)
            assert errors, (kind, "refused without a message")
            continue
        pages = [] if spec.preview else [response.url, *spec.shown_at(world)]
        texts = [html] if spec.preview else []
        for url in dict.fromkeys(page.split("#")[0] for page in pages):
            texts.append(browser.get(url).content.decode())
            assert inline_problems(texts[-1]) == [], (kind, url)
            assert XSS not in texts[-1]
        for name, value in values.items():
            if name not in spec.not_shown:
                shown = escape(value), escape(value, quote=False)
                assert any(v in text for v in shown for text in texts), (
                    f"{kind}: {name} saved but not shown on {pages}"
                )


# --- Query strings on every page ------------------------------------------------------------------
QUERY_KEYS = "q code rev at workshop definition agent blank model seen opened tier next"
HOSTILE_QUERY = dict.fromkeys(QUERY_KEYS.split(), "\x00" + XSS + "\u202e")


@pytest.mark.parametrize("name", PAGES)
def test_hostile_query_string_never_breaks_a_page(name, world):
    browser = client_for(owner(name), world)
    response = browser.get(url_for(name, world), HOSTILE_QUERY)
    assert response.status_code < 500
    assert XSS not in response.content.decode()
    assert inline_problems(response.content.decode()) == []


def test_hostile_login_name_is_refused_or_counted_not_crashing(world):
    browser = client_for("anonymous", world)
    for username in (NUL, HUGE, XSS, BIDI):
        response = browser.post("/accounts/login/", {"username": username, "password": "x"})
        assert response.status_code == 200
        assert XSS not in response.content.decode()
        assert error_texts(response.content.decode())


def test_hostile_join_code_is_refused_with_a_message(world):
    browser = client_for("anonymous", world)
    for code in (NUL, HUGE, XSS):
        response = browser.post("/join", {"code": code, "display_name": "Sam"})
        assert response.status_code in (400, 422)
        assert error_texts(response.content.decode())
        assert XSS not in response.content.decode()


# --- Importers: names inside uploaded files -------------------------------------------------------


def _csv(name: str) -> bytes:
    header = "Name,Description,Business process,Priority rank,Owner,Owner email,Table\n"
    return (header + f'"{name}",Reads invoices,AP,1,Dana,dana@example.com,Table 1\n').encode()


def test_pillar1_csv_with_nul_is_refused_and_saves_nothing(world):
    before = db_snapshot()
    browser = client_for("facilitator", world)
    response = browser.post(
        url_for("agents:import", world),
        {"file": SimpleUploadedFile("agents.csv", _csv("a\x00b"), "text/csv")},
    )
    assert response.status_code == 422
    assert "This file is not a CSV text file." in error_texts(response.content.decode())
    assert snapshot_diff(before, db_snapshot()) == []


def _xlsx_with_cell(raw: bytes) -> bytes:
    """A Pillar 1 workbook whose first agent name is `raw`, written into the XML as is."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Agents"
    sheet.append(["Name", "Description", "Business process", "Priority rank", "Owner",
                  "Owner email", "Table"])  # fmt: skip
    sheet.append(["MARKER", "Reads", "AP", 1, "Dana", "dana@example.com", "Table 1"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename).replace(b"MARKER", raw))
    return out.getvalue()


@pytest.mark.parametrize(
    ("raw", "outcome"),
    [
        (b"a&#0;b", "refused"),  # XML cannot carry NUL: the workbook is damaged
        (b"a&#x1;b", "refused"),
        (b"a_x0000_b", "a_x0000_b"),  # Excel's escape stays literal text, no NUL reaches the DB
        (b"&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"),
    ],
)
def test_pillar1_xlsx_hostile_names_never_store_nul(world, raw, outcome):
    browser = client_for("facilitator", world)
    upload = SimpleUploadedFile("agents.xlsx", _xlsx_with_cell(raw))
    response = browser.post(url_for("agents:import", world), {"file": upload})
    html = response.content.decode()
    assert inline_problems(html) == []
    if outcome == "refused":
        assert response.status_code == 422
        assert "could not be read" in error_texts(html)
        return
    assert response.status_code == 200
    assert escape(outcome) in html
    browser.post(
        url_for("agents:import_confirm", world), {"import_id": response.context["import_id"]}
    )
    assert Agent.objects.filter(workshop=world.workshop, name=outcome).exists()
    assert not any("\x00" in name for name in Agent.objects.values_list("name", flat=True))


def _catalogue(name: str, provider: str = "acme") -> bytes:
    return json.dumps(
        {
            name: {
                "litellm_provider": provider,
                "mode": "chat",
                "input_cost_per_token": 0.000001,
                "output_cost_per_token": 0.000002,
            }
        }
    ).encode()


def test_catalogue_with_nul_in_a_name_is_refused_and_saves_nothing(world):
    browser = client_for("catalogue_admin", world)
    for content in (_catalogue("bad\x00name"), _catalogue("fine", provider="ac\x00me")):
        before = db_snapshot()
        upload = SimpleUploadedFile("prices.json", content, "application/json")
        response = browser.post(reverse("foundation:catalogue_import"), {"file": upload})
        assert response.status_code == 422
        assert "NUL character" in error_texts(response.content.decode())
        assert snapshot_diff(before, db_snapshot()) == []


def test_catalogue_hostile_names_shown_as_text_and_never_formulas(world):
    name = '=HYPERLINK("http://evil.example","x")' + XSS
    browser = client_for("catalogue_admin", world)
    upload = SimpleUploadedFile("prices.json", _catalogue(name, provider="=cmd|' /C calc'!A0"))
    preview = browser.post(
        reverse("foundation:catalogue_import"), {"file": upload, "source": "=1+1 source"}
    )
    assert preview.status_code == 200
    assert escape(name) in preview.content.decode()
    assert inline_problems(preview.content.decode()) == []
    browser.post(
        reverse("foundation:catalogue_import"), {"confirm": "1", "token": preview.context["token"]}
    )
    assert LLMModel.objects.filter(name=name).exists()
    page = browser.get(reverse("foundation:catalogue")).content.decode()
    assert escape(name) in page and XSS not in page

    from openpyxl import load_workbook

    content = browser.get(reverse("foundation:calculator_xlsx")).content
    book = load_workbook(io.BytesIO(content))
    hostile = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
        and ("HYPERLINK" in cell.value or "calc" in cell.value or "=1+1" in cell.value)  # fmt: skip
    ]
    assert hostile, "the hostile model is in the calculator's price list"
    assert all(cell.data_type == "s" for cell in hostile), [c.coordinate for c in hostile]


def test_bundle_with_nul_or_markup_is_refused_or_shown_as_text(world):
    from bundles import export
    from bundles import format as bundle_format

    _, _, content = export.workshop_bundle(workshop=world.workshop)
    document = json.loads(content)
    browser = client_for("facilitator", world)
    for marker, outcome in (("\x00", "refused"), (XSS, "shown")):
        document["workshop"]["client_organisation"] = "Acme " + marker
        document["checksum"] = bundle_format.checksum(document)  # anyone can recompute it
        upload = SimpleUploadedFile("w.finops.json", json.dumps(document).encode())
        before = db_snapshot()
        response = browser.post(reverse("bundles:import"), {"file": upload})
        html = response.content.decode()
        assert snapshot_diff(before, db_snapshot()) == []
        assert inline_problems(html) == []
        if outcome == "refused":
            assert response.status_code == 422
            assert error_texts(html)
        else:
            assert response.status_code == 200
            assert escape("Acme " + XSS) in html


# --- Upload attacks: every upload field is known here -------------------------------------------
# Upload field -> where its attack tests live (zip bomb, XML bomb, wrong type, huge file...).
UPLOADS = {
    "agents/import_forms.py": "tests/agents/test_import_views.py, tests/agents/test_imports.py",
    "foundation/views/catalogue_import.py": "tests/foundation/test_catalogue_import.py, here",
    "bundles/forms.py": "tests/bundles/test_importer.py, here",
    "workshops/forms.py": "tests/workshops/test_narrative.py, here",
}


def _files_with_upload_fields() -> set[str]:
    root = Path(settings.BASE_DIR)
    found = set()
    for path in root.glob("*/**/*.py"):
        relative = path.relative_to(root).as_posix()
        if relative.startswith((".venv/", "tests/", "bench/")) or "/migrations/" in relative:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in {"FileField", "ImageField"}:
                found.add(relative)
            if isinstance(node, ast.Name) and node.id in {"FileField", "ImageField"}:
                found.add(relative)
    return found


@pytest.mark.slow
def test_every_upload_field_has_attack_tests():
    assert _files_with_upload_fields() == set(UPLOADS), (
        "A new upload field: add its zip bomb, XML bomb, wrong type and huge file tests and "
        "list it in UPLOADS."
    )


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", b"[" + b" " * (30 * 1024 * 1024) + b"]")
    return buffer.getvalue()


def _gzip_bomb() -> bytes:
    import gzip

    return gzip.compress(b" " * (30 * 1024 * 1024))


XML_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    b"<lolz>&lol3;</lolz>"
)
JSON_UPLOADS = {  # (URL, file name, who may upload)
    "catalogue": ("foundation:catalogue_import", "prices.json", "catalogue_admin"),
    "bundle": ("bundles:import", "workshop.finops.json", "facilitator"),
}
ATTACKS = {
    "zip bomb": _zip_bomb,
    "gzip bomb": _gzip_bomb,
    "XML bomb": lambda: XML_BOMB,
    "PNG": lambda: b"\x89PNG\r\n\x1a\n" + bytes(64),
    "HTML": lambda: b"<html><script>alert(1)</script></html>",
    "UTF-16 JSON": lambda: json.dumps({"a": 1}).encode("utf-16"),
    "huge": lambda: b" " * (20 * 1024 * 1024 + 1),
    "deep": lambda: b"[" * 100_000 + b"]" * 100_000,
    "long string": lambda: json.dumps({"x" * 5_000_000: 1}).encode(),
}


@pytest.mark.slow
@pytest.mark.parametrize("upload", sorted(JSON_UPLOADS))
def test_json_uploads_refuse_every_attack_and_save_nothing(upload, world):
    url_name, filename, role = JSON_UPLOADS[upload]
    browser = client_for(role, world)
    for attack, build in ATTACKS.items():
        before = db_snapshot()
        upload_file = SimpleUploadedFile(filename, build(), "application/json")
        response = browser.post(reverse(url_name), {"file": upload_file})
        assert response.status_code == 422, attack
        assert error_texts(response.content.decode()), attack
        assert snapshot_diff(before, db_snapshot()) == [], attack


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_narrative_upload_refuses_every_attack_and_saves_nothing(attack, world):
    browser = client_for("facilitator", world)
    before = db_snapshot()
    upload_file = SimpleUploadedFile("pillar-5.pdf", ATTACKS[attack](), "application/pdf")
    response = browser.post(
        reverse("workshops:narrative_upload", args=[world.workshop.pk]), {"file": upload_file}
    )
    # Far over the PDF limit: refused before the body is read.
    assert response.status_code == (413 if attack == "huge" else 422)
    assert error_texts(response.content.decode())
    assert snapshot_diff(before, db_snapshot()) == []


# --- The register: hostile text stays text in the PDF and the XLSX ------------------------------


def _hostile(number: int) -> str:
    """A formula and a script at once, short enough for a 40-character unit."""
    return f"=1+{number}<script>{number}</script>"


REGISTER_TEXT = {
    "workshop": ("client_organisation", "title", "venue"),
    "agent": (
        "name",
        "description",
        "business_process",
        "owner_name",
        "value_driver_other",
        "thesis_subject",
        "thesis_mechanism",
    ),  # fmt: skip
    "kpi": ("name", "unit", "data_source_system", "data_source_owner", "baseline_source"),
    "benchmark": ("description", "source"),
    "constraints": ("notes",),
    "target": ("assumptions",),
    "economics": ("value_basis",),
    "action": ("owner", "action"),
    "signoff": ("signer_name", "signer_title"),
}


def _fill_register_with_hostile_text(w) -> dict[str, str]:
    from targets.models import AgentEconomics, ConstraintAnalysis, ValueTarget

    _sign_off(w)
    signoff = w.agent.finance_signoffs.get()
    objects = {
        "workshop": w.workshop,
        "agent": w.agent,
        "kpi": w.kpi,
        "benchmark": w.benchmark,
        "constraints": ConstraintAnalysis.objects.get(kpi=w.kpi),
        "target": ValueTarget.objects.get(kpi=w.kpi),
        "economics": AgentEconomics.objects.get(agent=w.agent),
        "action": w.action,
        "signoff": signoff,
    }
    markers = {}
    numbers = itertools.count(10)
    for key, names in REGISTER_TEXT.items():
        values = {name: _hostile(next(numbers)) for name in names}
        if key == "agent":
            values["value_driver"] = "other"
        type(objects[key]).objects.filter(pk=objects[key].pk).update(**values)
        markers.update({f"{key}.{name}": values[name] for name in names})
    return markers


@pytest.mark.slow
def test_register_pdf_and_xlsx_keep_hostile_text_as_text(world):
    import pypdf
    from openpyxl import load_workbook

    markers = _fill_register_with_hostile_text(world)
    browser = client_for("facilitator", world)
    pdf = download(browser, url_for("reports:register_pdf", world))
    assert pdf["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(pdf.content))
    text = "".join("".join(page.extract_text() for page in reader.pages).split())
    missing_pdf = [tag for tag, value in markers.items() if "".join(value.split()) not in text]

    xlsx = download(browser, url_for("reports:register_xlsx", world))
    book = load_workbook(io.BytesIO(xlsx.content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    formulas = [c.coordinate for c in cells if c.data_type == "f" and "script" in str(c.value)]
    found = {c.value for c in cells if isinstance(c.value, str) and "<script>" in c.value}
    assert formulas == []
    assert all(
        c.data_type == "s" and c.quotePrefix
        for c in cells
        if isinstance(c.value, str) and c.value.startswith("=1+")
    )
    # Whole cells, or inside a sentence (the thesis) or a longer cell (the description).
    missing_xlsx = [tag for tag, value in markers.items() if not any(value in f for f in found)]
    assert (missing_pdf, missing_xlsx) == (NOT_IN_REGISTER_PDF, NOT_IN_REGISTER_XLSX)


# Text a register format leaves out (the spreadsheet has no column for the description; the
# value basis, changed here after the sign-off, shows in the sign-offs' "What changed since").
NOT_IN_REGISTER_PDF: list[str] = []
NOT_IN_REGISTER_XLSX = ["agent.description"]
