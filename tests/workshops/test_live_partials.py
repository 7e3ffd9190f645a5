"""The presenter, board and projector regions when something they show changed: a bounded
number of queries whatever the size of the room, and the same partial whether a table's rows
were kept from an earlier render or computed."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories, scenarios
from workshops import changes, progress
from workshops.services import workshop_touch

HX = {"HX-Request": "true"}
PAGES = ["presenter", "board", "projector"]
# Session, poll state, user, workshop; tables, participants, agents and one query per step
# prefetch (KPIs, their targets, sign-offs); the presenter and the board also read the agenda.
CHANGED_QUERIES = {"presenter": 11, "board": 11, "projector": 10}
# The same with every table's rows kept: no agent or step query.
KEPT_QUERIES = {"presenter": 7, "board": 7, "projector": 6}


def partial(client, workshop, page):
    url = f"/workshops/{workshop.pk}/{page}/?rev=0&at={int(time.time())}"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=HX)
    assert response.status_code == 200
    return response, len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("size", [(1, 1, 1), (10, 8, 3)], ids=["1x1x1", "10x8x3"])
def test_partial_queries_bounded_at_one_and_at_a_full_room(
    facilitator_client, facilitator, page, size
):
    tables, agents, kpis = size
    room = scenarios.busy_room(facilitator=facilitator, tables=tables, agents=agents, kpis=kpis)
    progress.rows_forget()
    _response, changed = partial(facilitator_client, room, page)
    _response, kept = partial(facilitator_client, room, page)
    assert (changed, kept) == (CHANGED_QUERIES[page], KEPT_QUERIES[page])


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["board", "projector"])
def test_partial_with_kept_rows_equals_computed(facilitator_client, facilitator, page):
    room = scenarios.busy_room(facilitator=facilitator, tables=3, agents=2, kpis=1)
    table = room.tables.first()
    agent = table.agents.first()
    agent.name = "Renamed <b>agent</b>"
    agent.save(update_fields=["name"])
    workshop_touch(workshop_id=room.pk, scopes=changes.AGENT_WORK, table_ids=[table.pk])
    kept, _count = partial(facilitator_client, room, page)
    progress.rows_forget()
    computed, _count = partial(facilitator_client, room, page)
    assert kept.text.count("Renamed &lt;b&gt;agent&lt;/b&gt;") == 1
    assert strip_clock(kept.text) == strip_clock(computed.text)


@pytest.mark.django_db
def test_board_recomputes_only_the_table_that_changed(facilitator_client, facilitator):
    room = scenarios.busy_room(facilitator=facilitator, tables=3, agents=2, kpis=1)
    partial(facilitator_client, room, "board")
    first = room.tables.first()
    agent = first.agents.first()
    agent.name = "Invoice Triage v2"
    agent.save(update_fields=["name"])
    # Without announcing the change the kept rows still show the old name ...
    response, _count = partial(facilitator_client, room, "board")
    assert "Invoice Triage v2" not in response.text
    # ... announced, the table's revision moves and its rows are computed again.
    workshop_touch(workshop_id=room.pk, scopes=changes.AGENT_WORK, table_ids=[first.pk])
    response, count = partial(facilitator_client, room, "board")
    assert "Invoice Triage v2" in response.text
    assert count == CHANGED_QUERIES["board"]


def strip_clock(text: str) -> str:
    """The page without what moves with each render (time, countdown, CSRF token mask)."""
    import re

    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    text = re.sub(r"at=\d+", "at=", text)
    text = re.sub(r'data-server-now="\d+"', "", text)
    text = re.sub(r'data-ends-at="\d+"', "", text)
    return re.sub(r'role="timer">[^<]*<', "", text)


def csrf_tokens(text: str) -> set[str]:
    import re

    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', text))


@pytest.mark.django_db
def test_board_join_cards_carry_each_browsers_own_csrf_token(facilitator):
    """The join cards are kept between renders; a second facilitator's browser gets cards
    with its own token, and each browser's Remove form works under CSRF checks."""
    from django.test import Client

    from workshops.models import Participant

    room = scenarios.busy_room(facilitator=facilitator, tables=2, agents=1, kpis=1, people=2)
    colleague = factories.make_facilitator(username="colleague")
    room.facilitators.add(colleague)
    browsers = []
    for user in (facilitator, colleague):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(user)
        browser.get(f"/workshops/{room.pk}/board/")  # sets the CSRF cookie
        browsers.append(browser)
    first, _count = partial(browsers[0], room, "board")
    again, _count = partial(browsers[0], room, "board")  # cards kept
    other, _count = partial(browsers[1], room, "board")
    assert csrf_tokens(first.text) == csrf_tokens(again.text)
    assert csrf_tokens(first.text).isdisjoint(csrf_tokens(other.text))
    people = list(Participant.objects.filter(table__workshop=room).order_by("pk"))
    for browser, response, person in zip(browsers, (again, other), people[:2], strict=True):
        token = sorted(csrf_tokens(response.text))[0]
        answer = browser.post(
            f"/workshops/{room.pk}/board/participants/{person.pk}/remove/",
            {"csrfmiddlewaretoken": token},
        )
        assert answer.status_code == 302
    assert list(
        Participant.objects.filter(pk__in=[p.pk for p in people[:2]]).values_list(
            "removed", flat=True
        )
    ) == [True, True]


@pytest.mark.django_db
def test_board_join_card_shows_what_changed_since_it_was_kept(facilitator_client, facilitator):
    room = scenarios.busy_room(facilitator=facilitator, tables=2, agents=1, kpis=1, people=1)
    table = room.tables.order_by("position").first()
    before, _count = partial(facilitator_client, room, "board")
    factories.make_participant(table=table, display_name="Zoë <late>")
    from workshops import joining

    joining.table_lock(table=table, locked=True)
    after, _count = partial(facilitator_client, room, "board")
    assert "Zoë &lt;late&gt;" not in before.text
    assert after.text.count("Remove Zoë &lt;late&gt; from") == 1
    assert after.text.count("Unlock") == 1
