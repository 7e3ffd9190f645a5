"""Block 2 pages: the classification form (participants and facilitators) and the portfolio."""

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agents.block2_selectors import portfolio_projector_context
from agents.models import Agent
from tests import factories
from tests.live import review_rev
from workshops import projector
from workshops.models import Participant, Workshop

pytestmark = pytest.mark.django_db

SUBJECT = "manual invoice matching hours in accounts payable"
MECHANISM = "matching invoices to purchase orders and routing exceptions"
THESIS = (
    "This agent exists to reduce the cost of manual invoice matching hours in accounts payable by "
    "matching invoices to purchase orders and routing exceptions."
)


@pytest.fixture
def live_workshop(facilitator):
    return factories.make_workshop(facilitator=facilitator, status="live")


@pytest.fixture
def table(live_workshop):
    return factories.make_table(workshop=live_workshop, name="Table A")


@pytest.fixture
def agent(table):
    return factories.make_agent(table=table, name="Invoice Triage Agent")


@pytest.fixture
def participant_client(client, table):
    return factories.join_table(client, factories.make_participant(table=table))


def url(agent) -> str:
    return reverse("block2:classify", kwargs={"agent_id": agent.pk})


def form_data(agent, **changes) -> dict:
    data = {
        "economic_class": "bottom_line",
        "value_driver": "labour_savings",
        "value_driver_other": "",
        "thesis_subject": SUBJECT,
        "thesis_mechanism": MECHANISM,
        "version": str(agent.version),
    }
    data.update(changes)
    return data


def unchanged(agent) -> bool:
    saved = Agent.objects.get(pk=agent.pk)
    return (saved.economic_class, saved.thesis_subject, saved.version) == ("", "", agent.version)


# --- Access -----------------------------------------------------------------------------------
def test_classify_page_for_participant_of_the_table(participant_client, agent):
    response = participant_client.get(url(agent))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Invoice Triage Agent" in html
    assert (
        "data-thesis-preview>This agent exists to reduce the cost of / generate revenue from"
        in html
    )
    assert "js/thesis.js" in html


def test_classify_page_for_facilitator(facilitator_client, agent):
    assert facilitator_client.get(url(agent)).status_code == 200


def test_classify_page_404_for_other_table(client, live_workshop, agent):
    other = factories.make_table(workshop=live_workshop, name="Table B")
    factories.join_table(client, factories.make_participant(table=other))
    assert client.get(url(agent)).status_code == 404
    assert client.post(url(agent), form_data(agent)).status_code == 404
    assert unchanged(agent)


def test_classify_page_404_for_other_workshops_table(client, agent):
    elsewhere = factories.make_table(workshop=factories.make_workshop(status="live"))
    factories.join_table(client, factories.make_participant(table=elsewhere))
    assert client.get(url(agent)).status_code == 404


def test_classify_page_404_without_joining(client, agent):
    assert client.get(url(agent)).status_code == 404
    assert client.post(url(agent), form_data(agent)).status_code == 404
    assert unchanged(agent)


def test_classify_page_404_for_removed_participant(client, table, agent):
    participant = factories.make_participant(table=table)
    Participant.objects.filter(pk=participant.pk).update(removed=True)
    factories.join_table(client, participant)
    assert client.get(url(agent)).status_code == 404


def test_classify_page_404_for_another_facilitator(client, agent):
    client.force_login(factories.make_user())
    assert client.get(url(agent)).status_code == 404


def test_classify_page_404_for_unknown_agent(participant_client):
    assert participant_client.get("/block2/agents/999999/classify/").status_code == 404


def test_classify_page_404_for_unassigned_agent(participant_client, live_workshop):
    loose = factories.make_agent(workshop=live_workshop)
    assert participant_client.get(url(loose)).status_code == 404


def test_classify_read_only_when_workshop_not_live(participant_client, live_workshop, agent):
    Workshop.objects.filter(pk=live_workshop.pk).update(status="draft")
    response = participant_client.get(url(agent))
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "The workshop has not started yet, so this page is read-only. Editing opens when the "
        "facilitator starts the first activity."
    ) in html
    assert "Save classification" not in html
    response = participant_client.post(url(agent), form_data(agent))
    assert response.status_code == 403
    assert "The workshop has not started yet" in response.content.decode()
    assert unchanged(agent)


def test_classify_closed_workshop_refuses_htmx_with_sentence(
    participant_client, live_workshop, agent
):
    Workshop.objects.filter(pk=live_workshop.pk).update(status="closed")
    response = participant_client.post(url(agent), form_data(agent), headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert (
        "The workshop is closed: everything your table saved is kept" in response.content.decode()
    )
    assert unchanged(agent)


def test_classify_facilitator_may_edit_when_not_live(facilitator_client, live_workshop, agent):
    Workshop.objects.filter(pk=live_workshop.pk).update(status="closed")
    response = facilitator_client.post(url(agent), form_data(agent))
    assert response.status_code == 302
    assert Agent.objects.get(pk=agent.pk).thesis == THESIS


# --- Saving -----------------------------------------------------------------------------------
def test_classify_saves_and_bumps_revision(participant_client, live_workshop, agent):
    before = Workshop.objects.get(pk=live_workshop.pk).revision
    response = participant_client.post(url(agent), form_data(agent))
    assert response.status_code == 302
    assert response["Location"] == url(agent)
    saved = Agent.objects.get(pk=agent.pk)
    assert (saved.thesis, saved.version) == (THESIS, 2)
    assert Workshop.objects.get(pk=live_workshop.pk).revision == before + 1
    page = participant_client.get(url(agent)).content.decode()
    assert f"Saved. {THESIS}" in page
    assert f"data-thesis-preview>{THESIS}</output>" in page


def test_classify_htmx_returns_the_form_partial(participant_client, agent):
    response = participant_client.post(url(agent), form_data(agent), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith("<form")
    assert "Saved. The portfolio on the projector shows it now." in html
    assert 'name="version" value="2"' in html


def test_classify_other_driver_with_name(participant_client, agent):
    data = form_data(
        agent, economic_class="top_line", value_driver="other", value_driver_other="Retention"
    )
    assert participant_client.post(url(agent), data).status_code == 302
    assert Agent.objects.get(pk=agent.pk).value_driver_label == "Retention"


# --- Bad input: message shown and nothing saved -----------------------------------------------
@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        (
            {"economic_class": ""},
            "Choose bottom line (the agent reduces cost) or top line (the agent generates "
            "revenue).",
        ),
        (
            {"economic_class": "42"},
            "Choose bottom line (the agent reduces cost) or top line (the agent generates "
            "revenue).",
        ),
        ({"value_driver": ""}, "Choose the agent&#x27;s primary value driver."),
        ({"value_driver": "conversion"}, "Conversion is a top-line driver."),
        ({"value_driver": "-1"}, "Choose one of the value drivers listed."),
        (
            {"value_driver": "other", "value_driver_other": ""},
            "Name the other value driver, e.g. &#x27;working capital released&#x27;.",
        ),
        (
            {"thesis_subject": ""},
            "Say what cost is reduced, e.g. &#x27;manual invoice matching hours in accounts "
            "payable&#x27;.",
        ),
        ({"thesis_subject": "efficiency"}, "One word is not enough."),
        ({"thesis_subject": "improve things"}, "&#x27;improve things&#x27; is too vague."),
        ({"thesis_subject": "be more efficient"}, "&#x27;be more efficient&#x27; is too vague."),
        ({"thesis_subject": "save money"}, "&#x27;save money&#x27; is too vague."),
        ({"thesis_mechanism": "-12"}, "One word is not enough. Say what the agent actually does"),
        ({"thesis_mechanism": "using AI"}, "&#x27;using AI&#x27; is too vague."),
        (
            {"thesis_subject": "invoice " * 2000},
            "Keep it to one short phrase: at most 200 characters (this has 15999).",
        ),
        ({"thesis_subject": "save money 💰"}, "&#x27;save money 💰&#x27; is too vague."),
        (
            {"thesis_subject": "invoice\x07matching hours"},
            "This text contains a control character (U+0007) at position 8; remove it.",
        ),
        ({"version": "abc"}, "This form is out of date. Reload the page"),
        ({"version": "-3"}, "This form is out of date. Reload the page"),
    ],
)
def test_classify_bad_input_shows_message_and_saves_nothing(
    participant_client, agent, changes, field_message
):
    response = participant_client.post(url(agent), form_data(agent, **changes))
    assert response.status_code == 422
    html = response.content.decode()
    assert field_message in html
    assert "Nothing was saved yet. Fix what is marked below." in html
    assert unchanged(agent)


def test_classify_script_is_shown_escaped(participant_client, agent):
    typed = "<script>alert(1)</script>"
    response = participant_client.post(
        url(agent), form_data(agent, thesis_subject=typed, thesis_mechanism="AI")
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert unchanged(agent)


def test_classify_unicode_thesis_saved(participant_client, agent):
    data = form_data(
        agent,
        thesis_subject="Rechnungsprüfung im Einkauf 🚚",
        thesis_mechanism="Abgleich mit Bestellungen",
    )
    assert participant_client.post(url(agent), data).status_code == 302
    assert Agent.objects.get(pk=agent.pk).thesis == (
        "This agent exists to reduce the cost of Rechnungsprüfung im Einkauf 🚚 by Abgleich mit "
        "Bestellungen."
    )


# --- Two laptops, one agent -------------------------------------------------------------------
def test_classify_conflict_second_save_409_and_nothing_lost(client, table, agent):
    first = factories.join_table(client, factories.make_participant(table=table, display_name="A"))
    from django.test import Client

    second = factories.join_table(
        Client(), factories.make_participant(table=table, display_name="B")
    )
    assert first.post(url(agent), form_data(agent)).status_code == 302
    theirs = "customs broker fees on rejected declarations"
    response = second.post(url(agent), form_data(agent, thesis_subject=theirs))
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone at your table saved this first" in html
    assert SUBJECT in html and theirs in html
    assert 'name="version" value="2"' in html
    assert Agent.objects.get(pk=agent.pk).thesis_subject == SUBJECT
    # "Keep mine" sends the typed text again over the version now seen.
    response = second.post(
        url(agent), form_data(agent, thesis_subject=theirs, version="2", resolve="mine")
    )
    assert response.status_code == 302
    assert Agent.objects.get(pk=agent.pk).thesis_subject == theirs


# --- Portfolio --------------------------------------------------------------------------------
def portfolio_url(workshop) -> str:
    return reverse("block2:portfolio", kwargs={"workshop_id": workshop.pk})


def test_portfolio_shows_columns_by_table(facilitator_client, live_workshop, table, agent):
    factories.classify_agent(agent)
    other = factories.make_agent(table=table, name="Upsell Lead Finder")
    factories.classify_agent(
        other,
        economic_class="top_line",
        value_driver="conversion",
        thesis_subject="premium-tier upgrades from key accounts",
        thesis_mechanism="spotting accounts whose volumes grew",
    )
    factories.make_agent(workshop=live_workshop, name="Loose Agent")
    html = facilitator_client.get(portfolio_url(live_workshop)).content.decode()
    assert "2 of 3 agents classified" in html
    assert THESIS.replace("invoices", "invoices") in html
    assert (
        "This agent exists to generate revenue from premium-tier upgrades from key accounts" in html
    )
    assert "Labour savings" in html and "Conversion" in html
    assert "Not classified yet" in html and "Loose Agent" in html
    assert f'?rev={review_rev(live_workshop)}"' in html


def test_portfolio_escapes_script(facilitator_client, live_workshop, agent):
    factories.classify_agent(agent, thesis_subject="<script>alert(1)</script> AP hours")
    html = facilitator_client.get(portfolio_url(live_workshop)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; AP hours" in html


def test_portfolio_empty_state(facilitator_client, live_workshop):
    html = facilitator_client.get(portfolio_url(live_workshop)).content.decode()
    assert "No agents yet." in html


def test_portfolio_404_for_participant_and_other_facilitator(
    client, participant_client, live_workshop
):
    assert participant_client.get(portfolio_url(live_workshop)).status_code == 404
    client.force_login(factories.make_user())
    assert client.get(portfolio_url(live_workshop)).status_code == 404


def test_portfolio_poll_unchanged_is_204(facilitator_client, live_workshop):
    rev = review_rev(live_workshop)
    response = facilitator_client.get(
        f"{portfolio_url(live_workshop)}?rev={rev}", headers={"HX-Request": "true"}
    )
    assert response.status_code == 204


def test_portfolio_poll_changed_returns_partial(facilitator_client, live_workshop, agent):
    rev = review_rev(live_workshop)
    factories.classify_agent(agent)
    Workshop.objects.filter(pk=live_workshop.pk).update(work_revision=F("work_revision") + 1)
    response = facilitator_client.get(
        f"{portfolio_url(live_workshop)}?rev={rev}", headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="portfolio-live"')
    assert f"?rev={rev + 1}" in html
    assert THESIS in html


def test_portfolio_poll_stops_when_closed(facilitator_client, live_workshop):
    Workshop.objects.filter(pk=live_workshop.pk).update(status="closed")
    response = facilitator_client.get(f"{portfolio_url(live_workshop)}?rev=1")
    assert response.status_code == 286


def _seed_agents(workshop, count):
    tables = [factories.make_table(workshop=workshop) for _ in range(3)]
    for n in range(count):
        agent = factories.make_agent(table=tables[n % 3], name=f"Agent {n}")
        if n % 2:
            factories.classify_agent(agent)


@pytest.mark.parametrize("count", [1, 50])
def test_portfolio_query_count_flat(facilitator_client, live_workshop, count):
    _seed_agents(live_workshop, count)
    # session, user, workshop, agents with their tables
    with CaptureQueriesContext(connection) as queries:
        response = facilitator_client.get(portfolio_url(live_workshop))
    assert response.status_code == 200
    assert len(queries) == 4


@pytest.mark.parametrize("count", [1, 50])
def test_portfolio_projector_context_one_query(django_assert_num_queries, live_workshop, count):
    _seed_agents(live_workshop, count)
    with django_assert_num_queries(1):
        context = portfolio_projector_context(live_workshop)
        names = [a.table.name for c in context["columns"] for g in c.groups for a in g.agents]
        names += [a.table.name for a in context["unclassified"]]
    assert len(names) == count


def test_portfolio_registered_on_projector():
    view = projector.REGISTRY["portfolio"]
    assert (view.label, view.template) == ("Portfolio", "agents/pj_portfolio.html")


def test_classify_other_driver_too_long_or_script(participant_client, agent):
    data = form_data(
        agent, economic_class="top_line", value_driver="other", value_driver_other="x" * 81
    )
    response = participant_client.post(url(agent), data)
    assert response.status_code == 422
    assert "Keep the value driver&#x27;s name short: at most 80 characters." in (
        response.content.decode()
    )
    data["value_driver_other"] = "<script>alert(1)</script>"
    data["thesis_mechanism"] = "AI"
    html = participant_client.post(url(agent), data).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html
    assert unchanged(agent)


# --- The table's agent page links here --------------------------------------------------------
def test_agent_page_shows_block2_steps(participant_client, agent):
    page = reverse("workshops:table_agent", kwargs={"agent_id": agent.pk})
    html = participant_client.get(page).content.decode()
    assert f'href="{url(agent)}">Classify the agent</a>' in html
    assert "Write the thesis" in html
    factories.classify_agent(agent)
    html = participant_client.get(page).content.decode()
    assert "Review the classification" in html
    assert THESIS in html
    assert "Choose 2&ndash;3 KPIs" in html or "Choose 2–3 KPIs" in html


def test_back_link_goes_to_the_agent_page(participant_client, agent):
    html = participant_client.get(url(agent)).content.decode()
    back = reverse("workshops:table_agent", kwargs={"agent_id": agent.pk})
    assert f'<a href="{back}">&larr; Back to Invoice Triage Agent</a>' in html


def test_classify_page_explains_terms_from_the_glossary(participant_client, agent):
    from foundation import seeds
    from foundation.models import GlossaryTerm

    seeds.seed_glossary(GlossaryTerm)
    page = participant_client.get(url(agent)).content.decode()
    for shown in ("bottom line", "top line", "driver"):
        assert f'">{shown}<span class="term-tip" role="tooltip"' in page
    partial = participant_client.post(url(agent), form_data(agent), headers={"HX-Request": "true"})
    assert '">bottom line<span class="term-tip" role="tooltip"' in partial.content.decode()
