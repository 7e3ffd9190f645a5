"""Change tracking by scope: a live region answers 204 unless something it shows changed, and
every service's change reaches every region that shows it."""

import ast
import functools
import html
import re
import time
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.test import Client
from django.urls import reverse

from agents import block2_services
from agents.services import agents_assign
from tests import factories
from tests.workshops.test_room_table import details
from workshops import changes, joining, live
from workshops.services import workshop_touch

HX = {"HX-Request": "true"}
LIVE_URL = re.compile(r'hx-get="([^"]*\?rev=[^"]*)"')
ROOT = Path(settings.BASE_DIR)


def project_apps() -> list[Path]:
    """The folders of the project's own installed apps (and `common`)."""
    folders = {Path(config.path) for config in django_apps.get_app_configs()}
    folders.add(ROOT / "common")
    return sorted(folder for folder in folders if folder.is_relative_to(ROOT))


# --- Every call that announces a change names its kind ----------------------------------------


@functools.cache
def touch_calls() -> tuple[tuple[str, str, ast.Call], ...]:
    """(module, function, call) for every `workshop_touch(...)` in the project's code; parsed
    once per run, and only the files that name it."""
    found = []
    for app in project_apps():
        for path in sorted(app.rglob("*.py")):
            if "migrations" in path.parts:
                continue
            source = path.read_text()
            if "workshop_touch" not in source:
                continue
            tree = ast.parse(source)
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for node in ast.walk(function):
                    if (
                        isinstance(node, ast.Call)
                        and getattr(node.func, "id", getattr(node.func, "attr", None))
                        == "workshop_touch"
                    ):
                        found.append((str(path.relative_to(ROOT)), function.name, node))
    return tuple(found)


def kind_named(call: ast.Call) -> str | None:
    scopes = next((k.value for k in call.keywords if k.arg == "scopes"), None)
    if isinstance(scopes, ast.Name):
        return scopes.id
    if isinstance(scopes, ast.Attribute):
        return scopes.attr
    return None


def test_touch_calls_found_in_every_app_that_writes():
    modules = {module.split("/")[0] for module, _function, _call in touch_calls()}
    assert modules >= {"agents", "bundles", "foundation", "kpis", "targets", "workshops"}


def test_touch_calls_each_name_a_kind_of_change():
    unnamed = [
        f"{module}:{function}"
        for module, function, call in touch_calls()
        # `live._save` passes on the kind its caller names.
        if kind_named(call) not in changes.KINDS
        and (module, function) != ("workshops/live.py", "_save")
    ]
    assert unnamed == []


def test_touch_calls_on_one_table_name_the_table():
    """A kind reaching one table's own things says which table (None would refresh all)."""
    unnamed = [
        f"{module}:{function}"
        for module, function, call in touch_calls()
        if kind_named(call) in ("AGENT_WORK", "PEOPLE")
        and not any(k.arg == "table_ids" for k in call.keywords)
    ]
    assert unnamed == []


# --- The room: two tables, the facilitator's screens ------------------------------------------


@pytest.fixture
def room(workshop):
    a = factories.make_table(workshop=workshop, name="Table A")
    b = factories.make_table(workshop=workshop, name="Table B")
    factories.make_agent(table=a, name="Invoice Triage Agent")
    factories.make_agent(table=a, name="Customer Service Copilot")
    factories.make_agent(table=b, name="Freight Quote Generator")
    live.run_start(workshop=workshop)
    live.projector_show(workshop=workshop, view="board")
    # What the board shows of each table, as the first work on it would record it.
    workshop_touch(workshop_id=workshop.pk, scopes=changes.AGENT_WORK, table_ids=[a.pk, b.pk])
    return workshop


def seat(table, name: str) -> Client:
    client = Client()
    response = client.post(
        "/join", {"code": table.join_code, "display_name": name}, REMOTE_ADDR="198.51.100.10"
    )
    assert response.status_code == 302
    return client


@pytest.fixture
def screens(room, facilitator_client):
    """{region: (client, page URL)} for every live region of the room."""
    a = room.tables.get(name="Table A")
    b = room.tables.get(name="Table B")
    at_a, at_b = seat(a, "Sam"), seat(b, "Ana")
    agent = a.agents.get(name="Invoice Triage Agent")
    return {
        "table A": (at_a, "/t/"),
        "table A agent": (at_a, f"/t/agents/{agent.pk}/"),
        "table A targets": (at_a, reverse("targets:agent", args=[agent.pk])),
        "table A quiz": (at_a, reverse("foundation:quiz")),
        "table B": (at_b, "/t/"),
        "presenter": (facilitator_client, reverse("workshops:presenter", args=[room.pk])),
        "board": (facilitator_client, reverse("workshops:board", args=[room.pk])),
        "projector": (facilitator_client, reverse("workshops:projector", args=[room.pk])),
        "portfolio": (facilitator_client, reverse("block2:portfolio", args=[room.pk])),
        "feasibility": (facilitator_client, reverse("kpis:feasibility", args=[room.pk])),
        "finance status": (facilitator_client, reverse("targets:finance_status", args=[room.pk])),
        "quiz": (facilitator_client, reverse("foundation:quiz_facilitator", args=[room.pk])),
    }


def live_urls(screens) -> dict[str, str]:
    """Each region's poll URL as its page renders it now (with `at` from the page)."""
    urls = {}
    for region, (client, url) in screens.items():
        found = LIVE_URL.search(client.get(url).text)
        assert found, region
        urls[region] = html.unescape(found.group(1))
    return urls


def refreshed(screens, urls) -> set[str]:
    """The regions whose poll with the URL they rendered no longer answers 204."""
    answers = {region: screens[region][0].get(url, headers=HX) for region, url in urls.items()}
    for region, answer in answers.items():
        assert answer.status_code in (200, 204), (region, answer.status_code)
    return {region for region, answer in answers.items() if answer.status_code == 200}


ALL = {
    "table A",
    "table A agent",
    "table A targets",
    "table A quiz",
    "table B",
    "presenter",
    "board",
    "projector",
    "portfolio",
    "feasibility",
    "finance status",
    "quiz",
}
TABLE_A = {"table A", "table A agent", "table A targets"}
# What a change at Table A that moves no name, mark or person, and no agent's version, shows.
TABLE_A_WORK = {"table A targets"}
TABLE_A_PEOPLE = {"table A", "table A targets"}
OVERVIEW = {"presenter", "board", "projector"}
REVIEWS = {"portfolio", "feasibility", "finance status", "quiz"}

# What each kind of change, at Table A, must refresh: the regions that show it.
REACHES = {
    "RUN": ALL,
    "AGENT_WORK": TABLE_A_WORK | REVIEWS,  # no step mark or name moved: the board stays
    "SEATING": TABLE_A_PEOPLE | OVERVIEW | REVIEWS,
    "PEOPLE": TABLE_A_PEOPLE | OVERVIEW,
    "OVERVIEW": OVERVIEW,
    "REVIEW": REVIEWS,
    "PRESENCE": OVERVIEW | REVIEWS,
    "EVERYTHING": ALL,
    "NOT_LIVE": set(),
}


def test_reaches_covers_every_kind():
    assert set(REACHES) == set(changes.KINDS)


@pytest.mark.django_db
def test_every_region_unchanged_is_204(screens):
    assert refreshed(screens, live_urls(screens)) == set()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(REACHES))
def test_kind_of_change_refreshes_exactly_the_regions_that_show_it(screens, room, kind):
    urls = live_urls(screens)
    a = room.tables.get(name="Table A")
    workshop_touch(workshop_id=room.pk, scopes=changes.KINDS[kind], table_ids=[a.pk])
    assert refreshed(screens, urls) == REACHES[kind]


@pytest.mark.django_db
@pytest.mark.parametrize("region", sorted(ALL - {"table A targets"}))
def test_region_unchanged_is_204_in_two_queries(screens, region, django_assert_max_num_queries):
    client, _page = screens[region]
    url = live_urls({region: screens[region]})[region]
    with django_assert_max_num_queries(2):
        response = client.get(url, headers=HX)
    assert response.status_code == 204


# --- Real services ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_save_at_table_a_leaves_table_b_and_the_board_at_204(screens, room):
    urls = live_urls(screens)
    client, _page = screens["table A agent"]
    agent = room.tables.get(name="Table A").agents.get(name="Invoice Triage Agent")
    response = client.post(f"/t/agents/{agent.pk}/", details(agent, description="Reads PDFs."))
    assert response.status_code == 302
    # The agent's page (its version moved) and its table's Block 4 page; not the workspace,
    # which shows no description.
    assert refreshed(screens, urls) == {"table A agent", "table A targets"} | REVIEWS


@pytest.mark.django_db
def test_renaming_an_agent_reaches_the_board(screens, room):
    urls = live_urls(screens)
    client, _page = screens["table A agent"]
    agent = room.tables.get(name="Table A").agents.get(name="Invoice Triage Agent")
    client.post(f"/t/agents/{agent.pk}/", details(agent, name="Invoice Triage v2"))
    assert refreshed(screens, urls) == TABLE_A | OVERVIEW | REVIEWS


@pytest.mark.django_db
def test_a_thesis_reaches_the_board_once_then_only_its_table(screens, room):
    agent = room.tables.get(name="Table A").agents.get(name="Invoice Triage Agent")
    urls = live_urls(screens)
    block2_services.agent_classify(
        agent=agent,
        version=agent.version,
        economic_class="bottom_line",
        value_driver="labour_savings",
        thesis_subject="manual invoice matching hours in accounts payable",
        thesis_mechanism="matching invoices to purchase orders and routing exceptions",
    )
    # Classified and thesis became done: a mark moved on the board and the workspace.
    assert refreshed(screens, urls) == TABLE_A | OVERVIEW | REVIEWS
    agent.refresh_from_db()
    urls = live_urls(screens)
    block2_services.agent_classify(
        agent=agent,
        version=agent.version,
        economic_class="bottom_line",
        value_driver="labour_savings",
        thesis_subject="manual invoice matching hours in accounts payable teams",
        thesis_mechanism="matching invoices to purchase orders and routing exceptions",
    )
    assert refreshed(screens, urls) == {"table A agent", "table A targets"} | REVIEWS


@pytest.mark.django_db
def test_saving_another_agent_of_table_a_leaves_the_agent_page_at_204(screens, room):
    other = room.tables.get(name="Table A").agents.get(name="Customer Service Copilot")
    urls = live_urls(screens)
    client, _page = screens["table A"]
    response = client.post(f"/t/agents/{other.pk}/", details(other, owner_name="Priya"))
    assert response.status_code == 302
    assert refreshed(screens, urls) == {"table A targets"} | REVIEWS


@pytest.mark.django_db
def test_agent_moved_to_another_table_leaves_its_page(screens, room):
    agent = room.tables.get(name="Table A").agents.get(name="Invoice Triage Agent")
    urls = live_urls(screens)
    agents_assign(workshop=room, agent_ids=[agent.pk], table=room.tables.get(name="Table B"))
    # The agent's pages at Table A now answer "not at your table".
    for region in ("table A agent", "table A targets"):
        client, _page = screens[region]
        assert client.get(urls.pop(region), headers=HX).status_code == 404
    assert refreshed(screens, urls) == {"table A", "table B"} | OVERVIEW | REVIEWS


@pytest.mark.django_db
def test_pausing_the_countdown_reaches_every_region(screens, room):
    urls = live_urls(screens)
    live.run_pause(workshop=room)
    assert refreshed(screens, urls) == ALL


@pytest.mark.django_db
def test_someone_joining_table_a_leaves_table_b_at_204(screens, room):
    urls = live_urls(screens)
    seat(room.tables.get(name="Table A"), "Lee")
    assert refreshed(screens, urls) == TABLE_A_PEOPLE | OVERVIEW


@pytest.mark.django_db
def test_locking_table_b_leaves_table_a_at_204(screens, room):
    urls = live_urls(screens)
    joining.table_lock(table=room.tables.get(name="Table B"), locked=True)
    assert refreshed(screens, urls) == {"table B"} | OVERVIEW


@pytest.mark.django_db
def test_switching_the_projector_reaches_the_overview_only(screens, room):
    urls = live_urls(screens)
    live.projector_show(workshop=room, view="agenda")
    assert refreshed(screens, urls) == OVERVIEW


@pytest.mark.django_db
def test_projector_showing_the_agenda_ignores_the_board(screens, room):
    live.projector_show(workshop=room, view="agenda")
    urls = live_urls(screens)
    joining.table_lock(table=room.tables.get(name="Table B"), locked=True)
    assert refreshed(screens, urls) == {"table B", "presenter", "board"}


@pytest.mark.django_db
def test_projector_still_showing_another_view_refreshes(screens, room):
    client, page = screens["projector"]
    url = live_urls({"projector": screens["projector"]})["projector"]
    assert "view=board" in url
    response = client.get(url.replace("view=board", "view=agenda"), headers=HX)
    assert response.status_code == 200
    assert 'data-view="board"' in response.text


@pytest.mark.django_db
def test_region_refreshes_after_thirty_seconds_without_a_change(screens):
    urls = live_urls(screens)
    stale = {
        region: re.sub(r"at=\d+", f"at={int(time.time()) - 31}", url)
        for region, url in urls.items()
        if "at=" in url
    }
    assert refreshed(screens, stale) == set(stale)
    assert set(stale) == ALL - REVIEWS - {"table A targets", "table A quiz"}


@pytest.mark.django_db
def test_closing_the_workshop_stops_every_region(screens, room):
    urls = live_urls(screens)
    live.run_close(workshop=room)
    answers = {region: screens[region][0].get(url, headers=HX) for region, url in urls.items()}
    assert {region: answer.status_code for region, answer in answers.items()} == dict.fromkeys(
        ALL, 286
    )
