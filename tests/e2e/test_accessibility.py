"""Every page a person sees in a full room passes axe-core's checks at desktop and phone size:
no violation of impact serious or critical (moderate and minor ones are listed, not failed).

The room is built once for the module and served by a server of its own, so that pytest-django
does not empty the database after each page; the module empties it when it ends, as every
browser test does. axe-core is injected into pages opened with the Content-Security-Policy
bypassed (the app's strict policy would refuse the script); the pages themselves are unchanged.
"""

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections
from django.db.models import F
from django.test import Client, override_settings
from django.test.utils import modify_settings, setup_databases, teardown_databases
from django.urls import reverse
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

from foundation import quiz_services
from foundation.models import Question
from kpis.models import AgentKpi
from targets import selectors as target_selectors
from targets import services as target_services
from targets.permissions import FinanceRole
from tests import factories
from tracking import services as tracking_services
from workshops import live, projector
from workshops.management.commands.load_catalogues import load_all
from workshops.models import Workshop
from workshops.permissions import PARTICIPANT_SESSION_KEY

pytestmark = pytest.mark.e2e

AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe.min.js"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 667}}
FAILING_IMPACTS = ("serious", "critical")
ROLES = ("anonymous", "facilitator", "table", "signed_table", "finance")


@dataclass
class Room:
    """A live workshop with two tables of ready agents, a finance reviewer, one agent signed
    off, an open quiz question; one browser page per role, signed in by session cookie."""

    base: str
    workshop: Workshop
    join_code: str
    # URL arguments by what they name (see PAGES)
    arguments: dict[str, dict]
    pages: dict = field(default_factory=dict)

    def url(self, url_name: str, about: str = "") -> str:
        if about == "code":
            return f"{self.base}{reverse(url_name)}?code={self.join_code}"
        return f"{self.base}{reverse(url_name, kwargs=self.arguments.get(about, {}))}"


# Every page a person sees in the room: name -> (role, URL name, what its arguments name).
PAGES = {
    # The facilitator
    "workshop_list": ("facilitator", "workshops:list", ""),
    "workshop_detail": ("facilitator", "workshops:detail", "workshop"),
    "agenda": ("facilitator", "workshops:agenda", "workshop"),
    "presenter": ("facilitator", "workshops:presenter", "workshop"),
    "board": ("facilitator", "workshops:board", "workshop"),
    "quiz_facilitator": ("facilitator", "foundation:quiz_facilitator", "workshop"),
    "materials": ("facilitator", "reports:materials", "workshop"),
    "prework": ("facilitator", "workshops:prework", "workshop"),
    "actions": ("facilitator", "workshops:actions", "workshop"),
    "finance_status": ("facilitator", "targets:finance_status", "workshop"),
    "tracking": ("facilitator", "tracking:portfolio", "workshop"),
    "tracking_agent": ("facilitator", "tracking:agent", "agent"),
    # Block 1, open to everyone
    "block1_index": ("facilitator", "foundation:index", ""),
    "glossary": ("facilitator", "foundation:glossary", ""),
    "catalogue": ("facilitator", "foundation:catalogue", ""),
    "calculator": ("facilitator", "foundation:calculator", ""),
    "evolution": ("facilitator", "foundation:evolution", ""),
    "break_even": ("facilitator", "foundation:break_even", ""),
    # A table, working on its agent
    "join": ("anonymous", "workshops:join", "code"),
    "workspace": ("table", "workshops:workspace", ""),
    "table_agent": ("table", "workshops:table_agent", "agent"),
    "quiz": ("table", "foundation:quiz", ""),
    "classify": ("table", "block2:classify", "agent"),
    "workload": ("table", "block2:workload", "agent"),
    "agent_kpis": ("table", "kpis:agent_kpis", "agent"),
    "agent_kpi_new": ("table", "kpis:agent_kpi_new", "agent"),
    "kpi_library": ("table", "kpis:library", ""),
    "targets_agent": ("table", "targets:agent", "agent"),
    "targets_kpi": ("table", "targets:kpi", "kpi"),
    "economics": ("table", "targets:economics", "agent"),
    "register_preview": ("table", "reports:register", "workshop"),
    # The other table, whose agent finance signed off (its inputs locked)
    "signed_targets_agent": ("signed_table", "targets:agent", "signed_agent"),
    "signed_targets_kpi": ("signed_table", "targets:kpi", "signed_kpi"),
    # Finance
    "invite": ("anonymous", "targets:invite", "token"),
    "finance_home": ("finance", "targets:finance_home", ""),
    "finance_review": ("finance", "targets:finance_review", "workshop"),
    # The agent's owner, after the workshop
    "owner_link": ("anonymous", "tracking:owner", "owner_token"),
}


def _build_room() -> tuple[Room, dict[str, str | None]]:
    """The room (not yet served) and a session key per role."""
    facilitator = factories.make_facilitator(username="fay", first_name="Fay")
    finance = factories.make_user(username="fran", first_name="Fran", last_name="Okafor")
    workshop = factories.make_workshop(
        facilitator=facilitator, client_organisation="Acme Freight", venue="Harbour room"
    )
    workshop.finance_reviewers.add(finance)
    first = factories.make_table(workshop=workshop, name="Table 1")
    second = factories.make_table(workshop=workshop, name="Table 2")
    agent = factories.make_ready_agent(table=first, kpis=2, name="Invoice matcher")
    factories.classify_agent(factories.make_agent(table=first, name="Supplier onboarding"))
    signed = factories.make_ready_agent(table=second, kpis=2, name="Claims triage")
    participant = factories.make_participant(table=first, display_name="Sam")
    factories.make_participant(table=first, display_name="Noor")
    signed_participant = factories.make_participant(table=second, display_name="Kim")
    live.run_start(workshop=workshop)
    target_services.signoff_record(
        agent=signed,
        role=FinanceRole(workshop=workshop, name="Fran Okafor", title="CFO", user=finance),
        title="CFO",
        seen_sha256=target_selectors.agent_finance(agent_id=signed.pk).sha256,
    )
    question = Question.objects.filter(active=True).order_by("position").first()
    quiz_services.quiz_question_open(workshop=workshop, question=question)
    _invite, token = factories.make_finance_invite(workshop=workshop, name="Ola Nwosu")
    _link, owner_token = tracking_services.owner_link_create(
        agent=agent, name="Rita Ops", created_by="Fay", now=timezone.now()
    )

    arguments = {
        "workshop": {"workshop_id": workshop.pk},
        "agent": {"agent_id": agent.pk},
        "kpi": {"agent_id": agent.pk, "kpi_id": agent.kpis.order_by("pk").first().pk},
        "signed_agent": {"agent_id": signed.pk},
        "signed_kpi": {"agent_id": signed.pk, "kpi_id": signed.kpis.order_by("pk").first().pk},
        "token": {"token": token},
        "owner_token": {"token": owner_token},
    }
    sessions = {"anonymous": None}
    browser = Client()
    for role, user in (("facilitator", facilitator), ("finance", finance)):
        browser.force_login(user)
        sessions[role] = browser.cookies[settings.SESSION_COOKIE_NAME].value
        browser.cookies.clear()
    for role, seated in (("table", participant), ("signed_table", signed_participant)):
        session = SessionStore()
        session[PARTICIPANT_SESSION_KEY] = seated.token
        session.create()
        sessions[role] = session.session_key
    room = Room(base="", workshop=workshop, join_code=first.join_code, arguments=arguments)
    return room, sessions


@pytest.fixture(scope="module")
def axe_database(django_db_setup, django_db_blocker):
    """The test database, open to the module and its server. pytest-django creates it only
    when a selected test is marked for the database; these tests are not (a mark would empty
    it after each page)."""
    connection = connections["default"]
    with django_db_blocker.unblock():
        if connection.settings_dict["NAME"] == connection.creation._get_test_db_name():
            yield
            return
        created = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        try:
            yield
        finally:
            teardown_databases(created, verbosity=0)


@pytest.fixture(scope="module")
def room(axe_database, browser):
    """The room, served and open in one browser context per role (CSP bypassed for axe)."""
    hashers = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    hosts = modify_settings(ALLOWED_HOSTS={"append": "localhost"})
    server, contexts = None, []
    try:
        with hashers:
            call_command("createcachetable", verbosity=0)
            load_all()
            room, sessions = _build_room()
        hosts.enable()
        server = LiveServer("localhost")
        room.base = server.url
        axe = AXE_SCRIPT.read_text(encoding="utf-8")
        for role in ROLES:
            context = browser.new_context(bypass_csp=True, viewport=VIEWPORTS["desktop"])
            contexts.append(context)
            context.set_default_timeout(15_000)
            context.add_init_script(axe)
            if sessions[role]:
                cookie = {"name": settings.SESSION_COOKIE_NAME, "value": sessions[role]}
                context.add_cookies([{**cookie, "url": server.url}])
            room.pages[role] = context.new_page()
        yield room
    finally:
        for context in contexts:
            context.close()
        if server is not None:
            server.stop()
            hosts.disable()
        # Leave the database empty (the join throttle's count too), as every browser test does.
        cache.clear()
        call_command("flush", interactive=False, verbosity=0)


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it is now (rules of WCAG 2.x A/AA and best
    practice, as axe runs by default)."""
    return page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']} - {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")
    return "\n".join(lines)


def check(page, url: str, viewport: str) -> None:
    """Open `url` at `viewport` size and fail on any serious or critical violation; the
    message lists every violation found, moderate and minor ones included."""
    page.set_viewport_size(VIEWPORTS[viewport])
    response = page.goto(url)
    assert response.status == 200, url
    violations = axe_violations(page)
    failing = [v["id"] for v in violations if v["impact"] in FAILING_IMPACTS]
    assert failing == [], f"{url} at {viewport} size:\n{describe(violations)}"


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_serious_accessibility_violations(room, name, viewport):
    role, url_name, about = PAGES[name]
    check(room.pages[role], room.url(url_name, about), viewport)


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("view", list(projector.REGISTRY))
def test_projector_view_has_no_serious_accessibility_violations(room, view, viewport):
    live.projector_show(workshop=room.workshop, view=view)
    check(room.pages["facilitator"], room.url("workshops:projector", "workshop"), viewport)


# Forms sent back with their errors: the fields' error messages and invalid states, as the
# shared field template renders them. name -> (role, URL name, what its arguments name,
# fields typed before sending, fields then marked invalid)
SENT_BACK = {
    "join": ("anonymous", "workshops:join", "", {"#id_code": "NOTACODE"}, 2),
    "agent_kpi_new": ("table", "kpis:agent_kpi_new", "agent", {}, 2),
}


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", SENT_BACK)
def test_form_sent_back_has_no_serious_accessibility_violations(room, name, viewport):
    role, url_name, about, typed, invalid = SENT_BACK[name]
    page = room.pages[role]
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(room.url(url_name, about))
    for selector, value in typed.items():
        page.fill(selector, value)
    page.locator("main form[method=post] [type=submit]").first.click()
    page.locator("main [aria-invalid=true]").first.wait_for()
    page.wait_for_timeout(300)  # app.js marks scrolling regions 150 ms after a live update
    assert page.locator("main [aria-invalid=true]").count() == invalid
    violations = axe_violations(page)
    failing = [v["id"] for v in violations if v["impact"] in FAILING_IMPACTS]
    assert failing == [], f"{name} sent back at {viewport} size:\n{describe(violations)}"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_save_conflict_has_no_serious_accessibility_violations(room, viewport):
    """Someone at the table saved the KPI first: the page shows both values side by side."""
    kpi = AgentKpi.objects.get(pk=room.arguments["kpi"]["kpi_id"])
    page = room.pages["table"]
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(room.url("kpis:agent_kpi_edit", "kpi"))
    page.fill("#id_name", f"Hours matching invoices ({viewport})")
    AgentKpi.objects.filter(pk=kpi.pk).update(
        name=f"Hours spent matching invoices ({viewport})", version=F("version") + 1
    )
    page.locator("main form[method=post] [type=submit]").first.click()
    page.locator("main .conflict-panel").wait_for()
    page.wait_for_timeout(300)  # app.js marks scrolling regions 150 ms after a live update
    violations = axe_violations(page)
    failing = [v["id"] for v in violations if v["impact"] in FAILING_IMPACTS]
    assert failing == [], f"save conflict at {viewport} size:\n{describe(violations)}"


def test_axe_reports_a_scrolling_region_keyboard_users_cannot_reach(room):
    """The positive control: the calculator's wide table on a phone, without the focus
    app.js gives it, is what axe-core reported in the first place."""
    page = room.pages["anonymous"]
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto(room.url("foundation:calculator"))
    assert page.locator("main [data-scroll-focus]").count() == 1
    page.evaluate(
        "() => document.querySelectorAll('[data-scroll-focus]').forEach("
        "el => el.removeAttribute('tabindex'))"
    )
    found = [(v["id"], v["impact"]) for v in axe_violations(page)]
    assert found == [("scrollable-region-focusable", "serious")]
