"""Every URL of the app x every role, with the answer each role must get.

The URL list is the real one (`get_resolver()`), so a URL added without a row here fails
`test_every_url_has_a_row`. GET answers are checked for every role; for URLs that change
something, a POST from each role without rights must change nothing in the database, and the
same POST from the owner must change something (proof that the payload would have worked).
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from agents import block2_services
from agents.models import Agent
from common.uploads import preview_keep
from foundation import quiz_services
from foundation.imports import ImportRow
from foundation.models import LLMModel
from foundation.views.catalogue_import import _owner, _pack
from targets import selectors as target_selectors
from targets import services as target_services
from targets.models import AgentEconomics, BenchmarkEvidence, ValueTarget
from targets.permissions import FinanceRole
from targets.reprice_selectors import reprice_preview
from tests import factories
from tests.security.conftest import ROLES, client_for, db_snapshot, snapshot_diff

pytestmark = pytest.mark.django_db

# Browsers without an account (participants and invite holders sign nothing in).
NO_ACCOUNT = (
    "anonymous",
    "participant_other_workshop",
    "participant_other_table",
    "participant",
    "finance_invite",
)
PARTICIPANTS = ("participant_other_workshop", "participant_other_table", "participant")
LOGIN = 302  # redirect to the sign-in page (or, for table pages, to the join page)


def answers(default: int, **by_role: int) -> dict[str, int]:
    return {role: by_role.get(role, default) for role in ROLES}


def no_account(status: int) -> dict[str, int]:
    return dict.fromkeys(NO_ACCOUNT, status)


@dataclass(frozen=True)
class Row:
    """GET answer per role; POST answer per role without rights (others are not refused)."""

    get: dict[str, int]
    post: dict[str, int] = field(default_factory=dict)


def denied(get: dict[str, int], *owners: str) -> dict[str, int]:
    return {role: status for role, status in get.items() if role not in owners}


# --- The shapes that repeat ---------------------------------------------------------------------
EVERYONE = answers(200)
EVERYONE_405 = answers(405)
# Facilitator console: sign in first; an account that does not facilitate the workshop: 404.
FAC_ONLY = answers(404, **no_account(LOGIN), facilitator=200, superuser=200)
FAC_DENIED = denied(FAC_ONLY, "facilitator", "superuser")
FAC_PAGE = Row(FAC_ONLY)
FAC_FORM = Row(FAC_ONLY, FAC_DENIED)
# POST-only console actions: sign in first, then 405 for a GET.
FAC_ACTION = Row(answers(405, **no_account(LOGIN)), FAC_DENIED)
# Facilitator live boards that answer 404 (not a redirect) to everyone else.
FAC_BOARD = Row(answers(404, facilitator=200, superuser=200))
# An agent's Blocks 2-4 pages: its table and the workshop's facilitators; 404 for anyone else.
AGENT_ONLY = answers(404, participant=200, facilitator=200, superuser=200)
AGENT_DENIED = denied(AGENT_ONLY, "participant", "facilitator", "superuser")
AGENT_PAGE = Row(AGENT_ONLY)
AGENT_FORM = Row(AGENT_ONLY, AGENT_DENIED)
AGENT_ACTION = Row(EVERYONE_405, AGENT_DENIED)
# Finance review: accounts among the workshop's reviewers (one of them facilitates another
# workshop) and browsers holding its invite.
FINANCE_ONLY = answers(404, finance=200, finance_invite=200, facilitator_reviewer=200)
FINANCE_ACTION = Row(
    EVERYONE_405, denied(FINANCE_ONLY, "finance", "finance_invite", "facilitator_reviewer")
)
# The register: facilitators, the workshop's finance and any of its tables; sign in first.
REGISTER = Row(
    answers(
        404,
        anonymous=LOGIN,
        participant_other_table=200,
        participant=200,
        finance=200,
        finance_invite=200,
        facilitator_reviewer=200,
        facilitator=200,
        superuser=200,
    )
)
# The register's documents: read as the register; a POST starts a failed render again.
REGISTER_DOCUMENT = Row(
    REGISTER.get,
    denied(
        REGISTER.get,
        "participant_other_table",
        "participant",
        "finance",
        "finance_invite",
        "facilitator_reviewer",
        "facilitator",
        "superuser",
    ),
)
# Block 1 toolkit: no client data, open to everyone.
PUBLIC = Row(EVERYONE)
# Any signed-in account; browsers without one sign in first.
ACCOUNT_PAGE = Row(answers(200, **no_account(LOGIN)))
# Accounts that run no workshop: finance reviewers and catalogue administrators.
NOT_FACILITATORS = ("finance", "finance_other_workshop", "catalogue_admin")
# Facilitator accounts only (creating and importing workshops): 403 for other accounts.
FACILITATOR_ROLE = answers(200, **no_account(LOGIN), **dict.fromkeys(NOT_FACILITATORS, 403))
FACILITATOR_ROLE_DENIED = {**no_account(LOGIN), **dict.fromkeys(NOT_FACILITATORS, 403)}
# Catalogue administrators (staff) only: 403 for other accounts.
CATALOGUE_ADMIN_ONLY = answers(403, **no_account(LOGIN), catalogue_admin=200, superuser=200)

ACCESS: dict[str, Row] = {
    # --- Project-level and Django's own account pages -------------------------------------
    "healthz": PUBLIC,
    "login": PUBLIC,
    "logout": Row(EVERYONE_405),
    "password_change": ACCOUNT_PAGE,
    "password_change_done": ACCOUNT_PAGE,
    # --- Facilitator console --------------------------------------------------------------
    "workshops:home": Row(answers(302, **no_account(200))),
    "workshops:list": ACCOUNT_PAGE,
    "workshops:create": Row(FACILITATOR_ROLE, FACILITATOR_ROLE_DENIED),
    "workshops:detail": FAC_PAGE,
    "workshops:edit": FAC_FORM,
    "workshops:tables": FAC_FORM,
    "workshops:table_rename": FAC_FORM,
    "workshops:table_delete": FAC_FORM,
    "workshops:agenda": FAC_PAGE,
    "workshops:agenda_item": FAC_ACTION,
    "workshops:prework": FAC_PAGE,
    "workshops:prework_item": FAC_ACTION,
    # GET goes back to the form on the pre-work page.
    "workshops:narrative_upload": Row(
        answers(404, **no_account(LOGIN), facilitator=302, superuser=302), FAC_DENIED
    ),
    "workshops:narrative_remove": FAC_ACTION,
    "workshops:actions": FAC_PAGE,
    "workshops:action_create": FAC_FORM,
    "workshops:action_edit": FAC_FORM,
    # --- Live room: facilitator side --------------------------------------------------------
    "workshops:presenter": FAC_PAGE,
    "workshops:run_control": FAC_ACTION,
    "workshops:projector": FAC_PAGE,
    "workshops:projector_show": FAC_ACTION,
    "workshops:board": FAC_PAGE,
    "workshops:table_lock": FAC_ACTION,
    "workshops:table_rotate": FAC_ACTION,
    "workshops:participant_remove": FAC_ACTION,
    # --- Live room: tables' side (no table yet: to the join page) ---------------------------
    "workshops:join": PUBLIC,
    "workshops:leave": Row(EVERYONE_405),
    "workshops:workspace": Row(answers(LOGIN, **dict.fromkeys(PARTICIPANTS, 200))),
    "workshops:table_agent": Row(
        answers(
            LOGIN, participant_other_workshop=404, participant_other_table=404, participant=200
        ),
        denied(
            answers(LOGIN, participant_other_workshop=404, participant_other_table=404),
            "participant",
        ),
    ),
    # --- Agents (Pillar 1) ------------------------------------------------------------------
    "agents:list": FAC_PAGE,
    "agents:create": FAC_FORM,
    "agents:assign": FAC_ACTION,
    "agents:edit": FAC_FORM,
    "agents:delete": FAC_FORM,
    "agents:assign_one": FAC_ACTION,
    "agents:import": FAC_FORM,
    "agents:import_template": FAC_PAGE,
    "agents:import_confirm": FAC_ACTION,
    # --- Block 1 -----------------------------------------------------------------------------
    "foundation:index": PUBLIC,
    "foundation:glossary": PUBLIC,
    "foundation:catalogue": PUBLIC,
    # The shared price catalogue: catalogue administrators only, not facilitators nor finance.
    "foundation:catalogue_import": Row(
        CATALOGUE_ADMIN_ONLY, denied(CATALOGUE_ADMIN_ONLY, "catalogue_admin", "superuser")
    ),
    "foundation:calculator": PUBLIC,
    "foundation:calculator_xlsx": PUBLIC,
    "foundation:evolution": PUBLIC,
    "foundation:evolution_pdf": PUBLIC,
    "foundation:break_even": PUBLIC,
    "foundation:quiz": Row(answers(404, **dict.fromkeys(PARTICIPANTS, 200))),
    # A table answers its own workshop's question; another workshop's question is refused.
    "foundation:quiz_answer": Row(
        EVERYONE_405,
        denied(
            answers(404, participant_other_workshop=422), "participant", "participant_other_table"
        ),
    ),
    "foundation:quiz_facilitator": FAC_PAGE,
    "foundation:quiz_open": FAC_ACTION,
    "foundation:quiz_close": FAC_ACTION,
    "foundation:quiz_next": FAC_ACTION,
    "foundation:quiz_project": FAC_ACTION,
    "foundation:tool_project": FAC_ACTION,
    # --- Block 2 -----------------------------------------------------------------------------
    "block2:classify": AGENT_FORM,
    "block2:workload": AGENT_FORM,
    "block2:portfolio": FAC_BOARD,
    # --- Block 3 -----------------------------------------------------------------------------
    "kpis:library": PUBLIC,
    "kpis:agent_kpis": AGENT_PAGE,
    "kpis:agent_kpi_new": AGENT_FORM,
    "kpis:agent_kpi_edit": AGENT_FORM,
    "kpis:agent_kpi_delete": AGENT_ACTION,
    "kpis:feasibility": FAC_BOARD,
    # --- Block 4 -----------------------------------------------------------------------------
    "targets:agent": AGENT_PAGE,
    "targets:kpi": AGENT_PAGE,
    "targets:benchmark_add": AGENT_ACTION,
    "targets:benchmark_edit": AGENT_ACTION,
    "targets:benchmark_delete": AGENT_ACTION,
    "targets:no_evidence": AGENT_ACTION,
    "targets:ambition": AGENT_ACTION,
    "targets:constraints": AGENT_ACTION,
    "targets:thresholds": AGENT_ACTION,
    "targets:economics": AGENT_FORM,
    # --- Finance -------------------------------------------------------------------------------
    "targets:finance_home": PUBLIC,  # lists only this browser's own reviews
    "targets:invite": PUBLIC,  # whoever holds the link (the token is the secret)
    "targets:finance_review": Row(FINANCE_ONLY),
    "targets:signoff": FINANCE_ACTION,
    "targets:request_changes": FINANCE_ACTION,
    "targets:finance_status": FAC_PAGE,
    "targets:reviewer_add": FAC_ACTION,
    "targets:reviewer_create": FAC_ACTION,
    "targets:reviewer_remove": FAC_ACTION,
    "targets:invite_create": FAC_ACTION,
    "targets:invite_revoke": FAC_ACTION,
    "targets:reopen": FAC_ACTION,
    "targets:reprice": FAC_FORM,
    # --- Value tracking after the workshop: the workshop's facilitators ---------------------
    "tracking:portfolio": FAC_PAGE,
    "tracking:agent": FAC_PAGE,
    "tracking:kpi_actual": FAC_ACTION,
    "tracking:token_create": FAC_ACTION,
    "tracking:owner_link_create": FAC_ACTION,
    "tracking:owner_link_revoke": FAC_ACTION,
    # The owner's link is the credential, whoever's browser opens it (its POSTs are tested in
    # tests/tracking/test_owner_links.py).
    "tracking:owner": Row(EVERYONE),
    "tracking:owner_kpi_actual": Row(EVERYONE_405),
    "tracking:owner_agent_actual": Row(EVERYONE_405),
    "tracking:token_revoke": FAC_ACTION,
    # Systems with a token only: a browser's session gives no access (401 to every role).
    "api_actuals": Row(answers(401)),  # POSTs: tests/tracking/test_api.py
    "tracking:agent_actual": FAC_ACTION,
    # --- Register and materials ----------------------------------------------------------------
    "reports:register": REGISTER,
    "reports:register_pdf": REGISTER_DOCUMENT,
    "reports:register_xlsx": REGISTER_DOCUMENT,
    "reports:actions_ics": REGISTER,
    "reports:narrative_pdf": REGISTER,
    "reports:materials": FAC_PAGE,
    "reports:kpi_worksheets": FAC_FORM,  # a POST starts a failed render again
    "reports:target_cards": FAC_FORM,
    "reports:run_sheet": FAC_FORM,
    "reports:target_sheets": FAC_FORM,
    # --- Workshop bundles: export one's own workshop; import as a new (or one's own) workshop --
    "bundles:export_page": FAC_PAGE,
    "bundles:export_download": FAC_PAGE,
    "bundles:import": Row(FACILITATOR_ROLE, FACILITATOR_ROLE_DENIED),
    "bundles:import_confirm": Row(
        answers(405, **no_account(LOGIN), **dict.fromkeys(NOT_FACILITATORS, 403)),
        # Another facilitator cannot confirm the facilitator's pending upload, even with its
        # token; an account that is no facilitator cannot import at all.
        {
            **FACILITATOR_ROLE_DENIED,
            **dict.fromkeys(("other_facilitator", "facilitator_reviewer", "superuser"), 422),
        },
    ),
}


# --- The real URL list --------------------------------------------------------------------------
SKIPPED_NAMESPACES = {"admin"}  # Django's admin, with its own staff-only permission system


def url_patterns(patterns=None, namespace: str = "", converters: tuple = ()):
    """(name, URL keyword arguments) of every named URL, admin left out."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from url_patterns(
                entry.url_patterns,
                inner if entry.namespace else namespace,
                converters + tuple(entry.pattern.converters),
            )
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, converters + tuple(entry.pattern.converters)


def all_urls() -> dict[str, tuple]:
    found = {}
    for name, kwargs in url_patterns():
        found.setdefault(name, kwargs)  # the first wins, as in reverse()
    return found


URLS = all_urls()


def url_for(name: str, world) -> str:
    """The URL with its arguments filled from the world (the facilitator's own objects)."""
    values = {
        "workshop_id": world.workshop.pk,
        "agent_id": world.agent.pk,
        "kpi_id": world.kpi.pk,
        "table_id": world.table.pk,
        "benchmark_id": world.benchmark.pk,
        "participant_id": world.participant_other_table.pk,
        "action_id": world.action.pk,
        "question_id": world.question.pk,
        "invite_id": world.open_invite.pk,
        "link_id": world.agent.owner_links.get().pk,
        "user_id": world.users["finance"].pk,
        "token": (
            world.owner_link_token if name.startswith("tracking:owner") else world.open_invite_token
        ),
        "token_id": world.api_token.pk,
        "action": "start",
        "item_id": (
            world.prework_item.pk if name == "workshops:prework_item" else world.agenda_item.pk
        ),
    }
    return reverse(name, kwargs={key: values[key] for key in URLS[name]})


def test_every_url_has_a_row():
    missing = [name for name in URLS if name not in ACCESS]
    assert missing == [], "\n".join(
        f"URL {name} has no row in the access matrix" for name in missing
    )


def test_every_row_is_a_url():
    assert [name for name in ACCESS if name not in URLS] == []


def test_matrix_size():
    assert len(ACCESS) == len(URLS)
    assert all(set(row.get) == set(ROLES) for row in ACCESS.values())


# --- GET: every URL x every role ------------------------------------------------------------------


DOCUMENT_TYPES = ("application/pdf", "application/vnd.openxmlformats", "text/calendar")


def must_not_be_stored(role: str, response) -> bool:
    """Seen through a session (an account, a table, a finance invite), or a download."""
    return (
        role != "anonymous"
        or "Content-Disposition" in response
        or response.get("Content-Type", "").startswith(DOCUMENT_TYPES)
    )


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_get_answer_for_every_role(name, world):
    url = url_for(name, world)
    wrong = []
    for role in ROLES:
        response = client_for(role, world).get(url)
        expected = ACCESS[name].get[role]
        if response.status_code != expected:
            wrong.append(f"{role}: {response.status_code} (expected {expected})")
        elif expected == LOGIN and role == "anonymous" and name != "workshops:home":
            assert response.url.startswith(("/accounts/login/", "/join")), (name, response.url)
        if (
            response.status_code == 200
            and must_not_be_stored(role, response)
            and "no-store" not in response.get("Cache-Control", "")
        ):
            wrong.append(f"{role}: 200 without Cache-Control: no-store")
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            repeated = duplicate_ids(response.content.decode())
            if repeated:
                wrong.append(f"{role}: ids used twice (a label finds the wrong field): {repeated}")
    assert wrong == [], f"GET {url}: " + "; ".join(wrong)


def duplicate_ids(html: str) -> list[str]:
    """The id attributes a page uses more than once."""
    ids = re.findall(r'\sid="([^"]+)"', html)
    return sorted({value for value in ids if ids.count(value) > 1})


def test_no_store_is_checked_on_answers_that_need_it(world):
    """Positive control: the check above meets pages, downloads and public pages alike."""
    facilitator = client_for("facilitator", world)
    page = facilitator.get(url_for("workshops:detail", world))
    download = client_for("anonymous", world).get(url_for("foundation:calculator_xlsx", world))
    public = client_for("anonymous", world).get(url_for("foundation:index", world))
    assert must_not_be_stored("facilitator", page) is True
    assert must_not_be_stored("anonymous", download) is True
    assert must_not_be_stored("anonymous", public) is False
    assert "no-store" in page["Cache-Control"]
    assert "no-store" in download["Cache-Control"]
    assert "no-store" not in public.get("Cache-Control", "")


# --- POST: a role without rights changes nothing; the owner's same POST does -------------------


def _version(obj) -> int:
    obj.refresh_from_db()
    return obj.version


def _agent_form(w) -> dict:
    return {
        "name": "Taken over",
        "description": "Changed",
        "business_process": "AP",
        "priority_rank": "2",
        "owner_name": "Mallory",
        "owner_email": "m@example.com",
        "version": _version(w.agent),
    }


def _kpi_form(w, *, edit: bool) -> dict:
    data = {
        "name": "Invoices matched per week by the team",
        "category": "efficiency",
        "unit": "invoices per week",
        "direction": "higher",
        "data_source_system": "SAP",
        "data_source_owner": "AP lead",
        "measurement_frequency": "weekly",
        "feasibility": "measurable",
        "baseline_value": "10",
        "baseline_as_of": "2026-11-01",
        "baseline_source": "AP report",
    }
    if edit:
        data["version"] = _version(w.kpi)
    return data


def _thresholds(w) -> dict:
    target = ValueTarget.objects.get(kpi=w.kpi)
    return {
        "floor_6m": "115",
        "target_6m": "105",
        "stretch_6m": "95",
        "floor_12m": "100",
        "target_12m": "85",
        "stretch_12m": "70",
        "assumptions": "Volumes flat.",
        "version": target.version,
    }


def _economics(w) -> dict:
    economics = AgentEconomics.objects.get(agent=w.agent)
    return {
        "value_kpi": w.kpi.pk,
        "value_per_unit": "50",
        "value_basis": "Loaded cost",
        "period": "week",
        "model_cost_monthly": "1000",
        "other_monthly_cost": "100",
        "build_cost": "30000",
        "version": economics.version,
    }


def _pillar1_csv():
    rows = "Name,Description,Business process,Priority rank,Owner,Owner email,Table\n"
    rows += "Planted agent,Does things,AP,1,Mallory,m@example.com,Table 1\n"
    return SimpleUploadedFile("agents.csv", rows.encode(), "text/csv")


def _workshop_months_ago(w) -> None:
    """The workshop (and its KPI's baseline) three months before today, so the month after it
    takes actuals whatever day the test runs; `w.month` is that month (YYYY-MM)."""
    day = datetime.date.today() - datetime.timedelta(days=92)
    w.workshop.__class__.objects.filter(pk=w.workshop.pk).update(date=day)
    type(w.kpi).objects.filter(pk=w.kpi.pk).update(baseline_as_of=day)
    following = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    w.month = f"{following:%Y-%m}"


def _bundle_file(w):
    from bundles import export

    filename, _, content = export.workshop_bundle(workshop=w.workshop)
    return SimpleUploadedFile(filename, content, "application/json")


def _bundle_uploaded(w) -> None:
    """The facilitator uploaded the workshop's bundle; it waits for their confirmation."""
    response = client_for("facilitator", w).post(
        reverse("bundles:import"), {"file": _bundle_file(w)}
    )
    w.bundle_token = response.context["token"]


def _sign_off(w) -> None:
    finance = w.users["finance"]
    target_services.signoff_record(
        agent=w.agent,
        role=FinanceRole(workshop=w.workshop, name="Fran", title="CFO", user=finance),
        title="CFO",
        seen_sha256=target_selectors.agent_finance(agent_id=w.agent.pk).sha256,
    )


REPRICE_AS_OF = datetime.date(2026, 12, 20)


def _priced_for_repricing(w) -> None:
    """The agent's workload is priced as of the workshop date; a newer list price follows."""
    model = factories.make_llm_model(
        name="reprice-model",
        prices=(("2025-01-01", "3.00", "15.00"), ("2026-12-15", "1.00", "5.00")),
    )
    block2_services.agent_workload_set(
        agent=w.agent,
        version=Agent.objects.get(pk=w.agent.pk).version,
        values={
            "workload_model": model,
            "input_tokens_per_call": 3000,
            "output_tokens_per_call": 500,
        },
    )


def _reprice_confirmation(w) -> dict:
    preview = reprice_preview(workshop=w.workshop, as_of=REPRICE_AS_OF)
    return {"as_of": REPRICE_AS_OF.isoformat(), "fingerprint": preview.fingerprint}


def _open_question(w):
    return quiz_services.quiz_question_open(workshop=w.workshop, question=w.question)


def _catalogue_token(world) -> str:
    """A catalogue waiting for the administrator's confirm step, in the upload preview store."""
    row = ImportRow(
        provider="Acme AI",
        name="hostile-model",
        input_per_mtok=Decimal("1"),
        output_per_mtok=Decimal("2"),
        cached_input_per_mtok=None,
        context_window=None,
        effective_date=None,
    )
    content = _pack([row], datetime.date(2026, 1, 1), "Hostile source")
    uploader = SimpleNamespace(user=world.users["catalogue_admin"])
    return preview_keep(owner=_owner(uploader), content=content)


@dataclass(frozen=True)
class Post:
    """Who has the right, what they send (built from the world after `setup`), and whether
    their POST changes the database (a preview does not)."""

    owner: str
    data: object = lambda w: {}  # noqa: E731
    setup: object = None
    changes: bool = True


B = "b{pk}-"
POSTS: dict[str, Post] = {
    # Starts the document's render (queues it): refused to everyone else.
    "reports:register_pdf": Post("facilitator"),
    "reports:register_xlsx": Post("facilitator"),
    "reports:kpi_worksheets": Post("facilitator"),
    "reports:target_cards": Post("facilitator"),
    "reports:run_sheet": Post("facilitator"),
    "reports:target_sheets": Post("facilitator"),
    "workshops:create": Post(
        "facilitator",
        lambda w: {
            "client_organisation": "Hostile Ltd",
            "title": "Workshop",
            "date": "2026-12-10",
            "venue": "",
            "currency": "USD",
            "usd_exchange_rate": "1",
            "status": "draft",
        },
    ),
    "workshops:edit": Post(
        "facilitator",
        lambda w: {
            "client_organisation": "Taken over",
            "title": "Workshop",
            "date": "2026-12-10",
            "venue": "",
            "currency": "EUR",
            "usd_exchange_rate": "0.9",
            "usd_rate_date": "2026-12-01",
            "usd_rate_source": "ECB",
            "status": "live",
        },
    ),
    "workshops:tables": Post("facilitator", lambda w: {"name": "Taken over"}),
    "workshops:table_rename": Post("facilitator", lambda w: {"name": "Taken over"}),
    "workshops:table_delete": Post("facilitator"),
    "workshops:agenda_item": Post(
        "facilitator", lambda w: {"planned_minutes": "99", "facilitator_notes": "x"}
    ),
    "workshops:prework_item": Post("facilitator", lambda w: {"status": "done", "note": "x"}),
    "workshops:narrative_upload": Post(
        "facilitator",
        lambda w: {
            "file": SimpleUploadedFile(
                "planted.pdf", b"%PDF-1.4\nplanted\n%%EOF", "application/pdf"
            )
        },
    ),
    "workshops:narrative_remove": Post("facilitator"),
    "tracking:kpi_actual": Post(
        "facilitator",
        lambda w: {"kpi": w.kpi.pk, "period": w.month, "value": "100", "source": "AP report"},
        setup=_workshop_months_ago,
    ),
    "tracking:token_create": Post("facilitator", lambda w: {"name": "Planted", "scope": "write"}),
    "tracking:token_revoke": Post("facilitator"),
    "tracking:owner_link_create": Post("facilitator", lambda w: {"name": "Planted"}),
    "tracking:owner_link_revoke": Post("facilitator"),
    "tracking:agent_actual": Post(
        "facilitator",
        lambda w: {"period": w.month, "run_cost": "10", "source": "Cloud bill"},
        setup=_workshop_months_ago,
    ),
    "workshops:action_create": Post(
        "facilitator",
        lambda w: {"owner": "M", "action": "Leak", "due_date": "2027-01-10", "status": "open"},
    ),
    "workshops:action_edit": Post(
        "facilitator",
        lambda w: {
            "owner": "M",
            "action": "Leak",
            "due_date": "2027-01-10",
            "status": "done",
            "version": _version(w.action),
        },
    ),
    "workshops:run_control": Post("facilitator"),
    "workshops:projector_show": Post("facilitator", lambda w: {"view": "board"}),
    "workshops:table_lock": Post("facilitator", lambda w: {"locked": "1"}),
    "workshops:table_rotate": Post("facilitator"),
    "workshops:participant_remove": Post("facilitator"),
    "workshops:table_agent": Post("participant", _agent_form),
    "agents:create": Post("facilitator", lambda w: {"name": "Planted", "table": "unassigned"}),
    "agents:assign": Post(
        "facilitator", lambda w: {"agent_ids": [w.agent.pk], "table": w.other_table.pk}
    ),
    "agents:edit": Post("facilitator", _agent_form),
    "agents:delete": Post("facilitator"),
    "agents:assign_one": Post("facilitator", lambda w: {"table": w.other_table.pk}),
    # Upload and confirm keep the pending rows in the uploader's own session.
    "agents:import": Post("facilitator", lambda w: {"file": _pillar1_csv()}, changes=False),
    "agents:import_confirm": Post("facilitator", lambda w: {"import_id": "x"}, changes=False),
    "foundation:catalogue_import": Post(
        "catalogue_admin", lambda w: {"confirm": "1", "token": _catalogue_token(w)}
    ),
    "foundation:quiz_answer": Post(
        "participant",
        lambda w: {"run": w.workshop.quiz_round.current_run_id, "choice": "0"},
        setup=_open_question,
    ),
    "foundation:quiz_open": Post("facilitator"),
    "foundation:quiz_close": Post("facilitator", setup=_open_question),
    "foundation:quiz_next": Post("facilitator"),
    "foundation:quiz_project": Post("facilitator"),
    "foundation:tool_project": Post(
        "facilitator",
        lambda w: {
            "tool": "break_even",
            "input_mtok": "900",
            "output_mtok": "300",
            "model": "",
            "api_input_price": "3",
            "api_output_price": "15",
            "gpu_price_per_hour": "2.5",
            "prefill_tokens_per_second": "5000",
            "generation_tokens_per_second": "460",
            "utilisation_percent": "60",
            "ops_cost_per_month": "8000",
        },
    ),
    "block2:classify": Post(
        "participant",
        lambda w: {
            "economic_class": "bottom_line",
            "value_driver": "error_reduction",
            "thesis_subject": "rework hours on mismatched supplier invoices",
            "thesis_mechanism": "flagging mismatches before approval",
            "version": _version(w.agent),
        },
    ),
    "block2:workload": Post(
        "participant",
        lambda w: {
            "workload_model": LLMModel.objects.order_by("pk").first().pk,
            "input_tokens_per_call": "2000",
            "output_tokens_per_call": "500",
            "model_calls_per_task": "3",
            "tasks_per_month": "4000",
            "version": _version(w.agent),
        },
    ),
    "kpis:agent_kpi_new": Post("participant", lambda w: _kpi_form(w, edit=False)),
    "kpis:agent_kpi_edit": Post("participant", lambda w: _kpi_form(w, edit=True)),
    "kpis:agent_kpi_delete": Post("participant"),
    "targets:benchmark_add": Post(
        "participant",
        lambda w: {
            "kind": "peer",
            "description": "A peer forwarder",
            "improvement_percent": "20",
            "source": "Annual report",
            "discount_percent": "40",
        },
    ),
    "targets:benchmark_edit": Post(
        "participant",
        lambda w: {
            f"b{w.benchmark.pk}-{key}": value
            for key, value in {
                "kind": "vendor",
                "description": "Changed",
                "improvement_percent": "55",
                "source": "Changed",
                "discount_percent": "45",
                "version": _version(w.benchmark),
            }.items()
        },
    ),
    "targets:benchmark_delete": Post("participant"),
    "targets:no_evidence": Post(
        "participant",
        lambda w: {"no_evidence": "on", "reason": "No similar organisation has done this yet."},
        setup=lambda w: BenchmarkEvidence.objects.filter(kpi=w.kpi).delete(),
    ),
    "targets:ambition": Post(
        "participant",
        lambda w: {
            "good_enough": "Overtime stops",
            "transformational": "No manual work",
            "version": w.kpi.version,
        },
    ),
    "targets:constraints": Post(
        "participant",
        lambda w: {
            "data_readiness": "on",
            "notes": "Changed",
            "adoption_6m_percent": "30",
            "adoption_12m_percent": "60",
            "version": _version(w.kpi.constraint_analysis),
        },
    ),
    "targets:thresholds": Post("participant", _thresholds),
    "targets:economics": Post("participant", _economics),
    "targets:signoff": Post(
        "finance",
        lambda w: {
            f"s{w.agent.pk}-title": "CFO",
            f"s{w.agent.pk}-values_sha256": target_selectors.agent_finance(
                agent_id=w.agent.pk
            ).sha256,
        },
    ),
    "targets:request_changes": Post(
        "finance", lambda w: {f"c{w.agent.pk}-comment": "Halve the stretch target."}
    ),
    "targets:reviewer_add": Post(
        "facilitator", lambda w: {"username": w.users["other_facilitator"].username}
    ),
    "targets:reviewer_create": Post(
        "facilitator",
        lambda w: {
            "username": "planted",
            "full_name": "Planted Person",
            "email": "",
            "password": "a-long-unusual-passphrase-42",
        },
    ),
    "targets:reviewer_remove": Post("facilitator"),
    "targets:invite_create": Post(
        "facilitator", lambda w: {"name": "Mallory", "title": "CFO", "valid_days": "7"}
    ),
    "targets:invite_revoke": Post("facilitator"),
    "bundles:import": Post("facilitator", lambda w: {"file": _bundle_file(w)}, changes=False),
    "bundles:import_confirm": Post(
        "facilitator",
        lambda w: {"token": w.bundle_token, "on_conflict": "copy", "action": "import"},
        setup=_bundle_uploaded,
    ),
    "targets:reopen": Post(
        "facilitator", lambda w: {f"r{w.agent.pk}-reason": "Numbers changed"}, setup=_sign_off
    ),
    "targets:reprice": Post("facilitator", _reprice_confirmation, setup=_priced_for_repricing),
}

POST_CHECKED = sorted(name for name, row in ACCESS.items() if row.post)


def test_every_refused_post_has_a_payload():
    assert [name for name in POST_CHECKED if name not in POSTS] == []
    assert [name for name in POSTS if name not in POST_CHECKED] == []


@pytest.mark.parametrize("name", POST_CHECKED)
def test_post_without_rights_changes_nothing(name, world):
    plan = POSTS[name]
    if plan.setup:
        plan.setup(world)
    url = url_for(name, world)
    wrong = []
    for role, expected in ACCESS[name].post.items():
        before = db_snapshot()
        response = client_for(role, world).post(url, plan.data(world))
        changed = snapshot_diff(before, db_snapshot())
        if response.status_code != expected or changed:
            wrong.append(f"{role}: {response.status_code} (expected {expected}), changed {changed}")
    assert wrong == [], f"POST {url}: " + "; ".join(wrong)

    # The same POST from the owner does what the others could not.
    before = db_snapshot()
    response = client_for(plan.owner, world).post(url, plan.data(world))
    assert response.status_code in (200, 302), (name, response.status_code)
    assert bool(snapshot_diff(before, db_snapshot())) == plan.changes, name
