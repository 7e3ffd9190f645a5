"""The projector's paged boards as the server sends them: every entry once, in reading order,
marked as section, group or item for static/js/projector_pages.js, with the (cont.) heading
text escaped like any other text."""

import re

import pytest

from tests import factories, scenarios
from workshops import live

pytestmark = pytest.mark.django_db

FLOW = re.compile(r'data-flow="(section|group|item)"')


def projector_page(client, workshop, view: str) -> str:
    live.projector_show(workshop=workshop, view=view)
    response = client.get(f"/workshops/{workshop.pk}/projector/")
    assert response.status_code == 200
    return response.text


@pytest.fixture
def room(facilitator):
    return scenarios.full_room(facilitator=facilitator)


def test_projector_portfolio_full_room_archetypes_then_tables_then_agents(facilitator_client, room):
    html = projector_page(facilitator_client, room, "portfolio")
    assert FLOW.findall(html) == [
        "section",
        *["group", "item", "item"],  # Table A: two bottom-line agents
        *["group", "item", "item"],  # Table B
        *["group", "item", "item"],  # Table C
        "section",
        *["group", "item"],  # Table A: one top-line agent
        *["group", "item"],  # Table B
    ]
    assert 'data-cont="Bottom line (cont.)"' in html
    assert 'data-cont="Table A (cont.)"' in html
    assert html.count('class="pj-agent-name"') == 8


def test_projector_portfolio_without_top_line_says_none_yet_once(facilitator_client, facilitator):
    workshop = factories.make_workshop(facilitator=facilitator)
    table = factories.make_table(workshop=workshop, name="Table A")
    factories.classify_agent(factories.make_agent(table=table, name="Invoice Triage Agent"))
    html = projector_page(facilitator_client, workshop, "portfolio")
    assert FLOW.findall(html) == ["section", "group", "item", "section", "item"]
    assert html.count("None yet") == 1
    assert (
        '<span data-flow-title>Top line</span> <span class="pj-count" data-flow-once>0</span>'
        in (html)
    )


def test_projector_feasibility_full_room_every_kpi_once_and_empty_colour_whole(
    facilitator_client, room
):
    html = projector_page(facilitator_client, room, "feasibility")
    assert html.count('class="pj-kpi-name"') == 24
    assert FLOW.findall(html).count("section") == 3
    assert FLOW.findall(html).count("item") == 24 + 1  # and "None yet" once
    assert html.count("None yet") == 1
    assert "<span data-flow-title>Needs instrumentation</span>" in html
    assert 'data-cont="Table A · Invoice Triage Agent (cont.)"' in html


def test_projector_finance_and_board_full_room_every_agent_once_by_table(facilitator_client, room):
    for view in ("finance", "board"):
        html = projector_page(facilitator_client, room, view)
        assert (view, FLOW.findall(html)) == (
            view,
            [*["group", "item", "item", "item"], *["group", "item", "item", "item"]]
            + ["group", "item", "item"],
        )
        assert (view, html.count('class="pj-agent-name"')) == (view, 8)


def test_projector_join_one_item_per_table(facilitator_client, room):
    html = projector_page(facilitator_client, room, "join")
    assert FLOW.findall(html) == ["item", "item", "item"]


def test_projector_continued_heading_of_a_table_named_with_markup_is_escaped(
    facilitator_client, facilitator
):
    workshop = factories.make_workshop(facilitator=facilitator)
    table = factories.make_table(workshop=workshop, name='<img src=x onerror="alert(1)">')
    factories.make_agent(table=table, name="Invoice Triage Agent")
    for view in ("finance", "board"):
        html = projector_page(facilitator_client, workshop, view)
        assert "<img src=x" not in html
        assert 'data-cont="&lt;img src=x onerror=&quot;alert(1)&quot;&gt; (cont.)"' in html
