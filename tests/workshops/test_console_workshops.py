"""Facilitator console: workshop list, create, edit and the workshop page."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from tests import factories
from workshops.models import ActionItem, Workshop

# The guide's actions fall due after the workshop (10 Dec 2026): none is overdue yet.
BEFORE_THE_WORKSHOP = datetime.datetime(2026, 12, 8, 9, tzinfo=datetime.UTC)

pytestmark = pytest.mark.django_db

VALID = {
    "client_organisation": "Acme Freight",
    "title": "AI FinOps Workshop",
    "date": "2026-12-10",
    "venue": "Harbour House",
    "currency": "EUR",
    "usd_exchange_rate": "0.92",
    "usd_rate_date": "2026-12-01",
    "usd_rate_source": "ECB",
    "status": "draft",
}


def post_data(**changes):
    data = dict(VALID)
    data.update(changes)
    return data


# --- List -------------------------------------------------------------------------------------


def test_workshop_list_offers_new_workshop(facilitator_client, workshop):
    response = facilitator_client.get("/workshops/")
    assert response.status_code == 200
    assert 'href="/workshops/new/">New workshop</a>' in response.text
    assert f'href="/workshops/{workshop.pk}/">Acme Freight</a>' in response.text


def test_workshop_list_empty_explains(facilitator_client):
    response = facilitator_client.get("/workshops/")
    assert "No workshops yet." in response.text


def test_workshop_list_hides_other_facilitators_workshops(facilitator_client, workshop):
    factories.make_workshop(client_organisation="Other Client Ltd")
    response = facilitator_client.get("/workshops/")
    assert "Other Client Ltd" not in response.text


@pytest.mark.parametrize("count", [1, 10])
def test_workshop_list_query_count_does_not_grow(
    facilitator_client, facilitator, count, django_assert_num_queries
):
    for _ in range(count):
        workshop = factories.make_workshop(facilitator=facilitator)
        factories.make_agent(table=factories.make_table(workshop=workshop))
    # Session, user, workshops, finance banner; the account's own and its groups' permissions.
    with django_assert_num_queries(6):
        response = facilitator_client.get("/workshops/")
    assert response.status_code == 200
    assert "Review and sign off targets" not in response.text


def test_workshop_list_points_finance_reviewers_to_their_reviews(facilitator_client, facilitator):
    # A facilitator may review another facilitator's workshop (never its own).
    factories.make_workshop().finance_reviewers.add(facilitator)
    response = facilitator_client.get("/workshops/")
    assert '<a href="/targets/finance/">Review and sign off targets</a>' in response.text


# --- Create -------------------------------------------------------------------------------------


def test_workshop_create_form_shows_defaults(facilitator_client):
    response = facilitator_client.get("/workshops/new/")
    assert response.status_code == 200
    assert 'value="AI FinOps Workshop"' in response.text
    assert '<option value="USD" selected>USD: US dollar</option>' in response.text


def test_workshop_create_seeds_and_redirects_to_page(facilitator_client, facilitator):
    response = facilitator_client.post("/workshops/new/", post_data())
    workshop = Workshop.objects.get()
    assert response.status_code == 302
    assert response.url == f"/workshops/{workshop.pk}/"
    assert list(workshop.facilitators.all()) == [facilitator]
    assert (workshop.currency, workshop.usd_exchange_rate, workshop.venue) == (
        "EUR",
        Decimal("0.92"),
        "Harbour House",
    )
    assert workshop.agenda_items.count() == 13
    assert workshop.prework_items.count() == 4
    assert workshop.actions.count() == 4


def test_workshop_create_live_status_kept(facilitator_client):
    facilitator_client.post("/workshops/new/", post_data(status="live"))
    assert Workshop.objects.get().status == "live"


def test_workshop_create_unicode_client_and_script_escaped(facilitator_client):
    name = "Zürich Versicherung <script>alert(1)</script> 日本"
    response = facilitator_client.post("/workshops/new/", post_data(client_organisation=name))
    workshop = Workshop.objects.get()
    assert workshop.client_organisation == name
    page = facilitator_client.get(response.url)
    assert "Zürich Versicherung &lt;script&gt;alert(1)&lt;/script&gt; 日本" in page.text
    assert "<script>alert(1)</script>" not in page.text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"client_organisation": ""}, "Enter the client organisation."),
        ({"client_organisation": "   "}, "Enter the client organisation."),
        (
            {"client_organisation": "x" * 201},
            "Keep the client organisation to 200 characters or fewer.",
        ),
        ({"title": ""}, "Enter the workshop title."),
        ({"date": ""}, "Enter the workshop date."),
        ({"date": "next tuesday"}, "Enter the workshop date as a date, for example 2026-12-10."),
        ({"date": "2026-02-30"}, "Enter the workshop date as a date, for example 2026-12-10."),
        ({"date": "9999-12-30"}, "Enter a workshop date between the years 2000 and 2999."),
        ({"date": "0001-01-01"}, "Enter a workshop date between the years 2000 and 2999."),
        ({"currency": "XXX"}, "Choose a currency from the list."),
        ({"currency": ""}, "Choose the currency the client reports in."),
        ({"usd_exchange_rate": ""}, "Enter the exchange rate (1 for US dollars)."),
        ({"usd_exchange_rate": "abc"}, "Enter the exchange rate as a number, for example 0.92."),
        ({"usd_exchange_rate": "NaN"}, "Enter the exchange rate as a number, for example 0.92."),
        (
            {"usd_exchange_rate": "Infinity"},
            "Enter the exchange rate as a number, for example 0.92.",
        ),
        ({"usd_exchange_rate": "0"}, "The exchange rate must be more than 0."),
        ({"usd_exchange_rate": "-0.92"}, "The exchange rate cannot be negative."),
        ({"usd_exchange_rate": "123456789"}, "The exchange rate can be at most 999,999.999999."),
        ({"usd_exchange_rate": "0,92"}, "If you meant 0.92, write 0.92."),
        ({"usd_rate_date": ""}, "Enter the day the exchange rate was read, e.g. 2026-12-01."),
        ({"usd_rate_source": ""}, "Enter where the exchange rate comes from, e.g. ECB."),
        ({"number_format": "9.999"}, "Choose a number format from the list."),
        ({"usd_exchange_rate": "0.1234567"}, "Use at most 6 decimal places in the exchange rate."),
        (
            {"currency": "USD", "usd_exchange_rate": "1.1"},
            "For US dollars the exchange rate is 1: one dollar per dollar.",
        ),
        ({"status": "paused"}, "Choose draft, live or closed."),
    ],
)
def test_workshop_create_bad_input_explains_and_creates_nothing(
    facilitator_client, changes, message
):
    response = facilitator_client.post("/workshops/new/", post_data(**changes))
    assert response.status_code == 422
    assert message in response.text
    assert Workshop.objects.count() == 0


def test_workshop_create_bad_input_keeps_typed_values(facilitator_client):
    response = facilitator_client.post(
        "/workshops/new/", post_data(client_organisation="Kühne & Partner", usd_exchange_rate="-1")
    )
    assert 'value="Kühne &amp; Partner"' in response.text
    assert 'value="-1"' in response.text


# --- Edit ---------------------------------------------------------------------------------------


def test_workshop_edit_form_shows_saved_values(facilitator_client, workshop):
    response = facilitator_client.get(f"/workshops/{workshop.pk}/edit/")
    assert response.status_code == 200
    assert 'value="Acme Freight"' in response.text
    assert 'value="2026-12-10"' in response.text
    assert '<option value="EUR" selected>EUR: Euro</option>' in response.text


def test_workshop_edit_saves_and_redirects(facilitator_client, workshop):
    response = facilitator_client.post(
        f"/workshops/{workshop.pk}/edit/",
        post_data(venue="Pier 9", status="live", usd_exchange_rate="0.95"),
    )
    assert response.status_code == 302
    assert response.url == f"/workshops/{workshop.pk}/"
    workshop.refresh_from_db()
    assert (workshop.venue, workshop.status, workshop.usd_exchange_rate) == (
        "Pier 9",
        "live",
        Decimal("0.95"),
    )


def test_workshop_edit_new_date_redates_open_guide_actions(facilitator_client, workshop):
    done = workshop.actions.get(origin_key="guide:register")
    ActionItem.objects.filter(pk=done.pk).update(status="done")
    response = facilitator_client.post(
        f"/workshops/{workshop.pk}/edit/", post_data(date="2027-01-15"), follow=True
    )
    assert "now follow the new date" in response.text
    assert dict(workshop.actions.values_list("origin_key", "due_date")) == {
        "guide:register": datetime.date(2026, 12, 13),
        "guide:leadership": datetime.date(2027, 1, 22),
        "guide:forecast": datetime.date(2027, 1, 29),
        "guide:observability": datetime.date(2027, 1, 29),
    }


def test_workshop_edit_bad_rate_changes_nothing(facilitator_client, workshop):
    before = Workshop.objects.get(pk=workshop.pk)
    response = facilitator_client.post(
        f"/workshops/{workshop.pk}/edit/",
        post_data(client_organisation="Renamed", usd_exchange_rate="0"),
    )
    assert response.status_code == 422
    assert "The exchange rate must be more than 0." in response.text
    after = Workshop.objects.get(pk=workshop.pk)
    assert (after.client_organisation, after.revision) == ("Acme Freight", before.revision)


# --- Workshop page ----------------------------------------------------------------------------


def test_workshop_page_header_and_sections(facilitator_client, workshop):
    response = facilitator_client.get(f"/workshops/{workshop.pk}/")
    text = response.text
    assert response.status_code == 200
    assert "Acme Freight" in text
    assert "AI FinOps Workshop" in text
    assert "Thursday 10 December 2026" in text
    assert "Room 1" in text
    assert '<span class="badge draft">Draft</span>' in text
    for href in ["tables/", "agents/", "agenda/", "prework/", "actions/"]:
        assert f'href="/workshops/{workshop.pk}/{href}"' in text
    assert "240</span> minutes" in text
    assert "from 0:00 to 4:00" in text


def test_workshop_page_warns_about_open_prework_by_name(facilitator_client, workshop):
    workshop.prework_items.filter(key__in=["read-pillar-5", "baseline-metrics"]).update(
        status="done"
    )
    text = facilitator_client.get(f"/workshops/{workshop.pk}/").text
    assert "Pre-work still open (2 of 4)" in text
    assert "<li>Complete agent prioritisation (Pillar 1 outputs)</li>" in text
    assert "<li>Invite the finance stakeholder to Block 4</li>" in text
    assert "<li>Read the Pillar 5 narrative</li>" not in text
    assert "The finance stakeholder must be invited before Block 4." in text


def test_workshop_page_finance_sentence_gone_once_invited(facilitator_client, workshop):
    workshop.prework_items.filter(key="invite-finance").update(status="done")
    text = facilitator_client.get(f"/workshops/{workshop.pk}/").text
    assert "Pre-work still open (3 of 4)" in text
    assert "must be invited before Block 4" not in text


def test_workshop_page_no_banner_when_prework_done(facilitator_client, workshop):
    workshop.prework_items.update(status="done")
    text = facilitator_client.get(f"/workshops/{workshop.pk}/").text
    assert "Pre-work still open" not in text
    assert "warning-banner" not in text


@time_machine.travel(BEFORE_THE_WORKSHOP, tick=False)
def test_workshop_page_counts_tables_agents_and_overdue(facilitator_client, workshop):
    table = factories.make_table(workshop=workshop, name="Table A")
    factories.make_agent(table=table)
    factories.make_agent(workshop=workshop)
    workshop.actions.filter(origin_key="guide:register").update(due_date=datetime.date(2020, 1, 1))
    text = facilitator_client.get(f"/workshops/{workshop.pk}/").text
    assert table.join_code_display in text
    assert '<span class="stat-value">2</span> agents' in text
    assert "1 unassigned" in text
    assert "1 overdue" in text


def test_workshop_page_links_the_pillar1_import(facilitator_client, workshop):
    text = facilitator_client.get(f"/workshops/{workshop.pk}/").text
    url = reverse("agents:import", kwargs={"workshop_id": workshop.pk})
    assert f'<a href="{url}">Import agents (Pillar 1)</a>' in text


@pytest.mark.parametrize("agents", [1, 50])
def test_workshop_page_query_count_does_not_grow(
    facilitator_client, workshop, agents, django_assert_num_queries
):
    tables = [factories.make_table(workshop=workshop) for _ in range(min(agents, 8))]
    for n in range(agents):
        factories.make_agent(table=tables[n % len(tables)], name=f"Agent {n}")
        factories.make_participant(table=tables[n % len(tables)])
    with django_assert_num_queries(12):
        response = facilitator_client.get(f"/workshops/{workshop.pk}/")
    assert response.status_code == 200
    assert f"0 of {agents} agent" in response.text


def test_workshop_page_links_the_room(facilitator_client, workshop):
    text = facilitator_client.get(f"/workshops/{workshop.pk}/").text
    for label, name in [("Presenter", "presenter"), ("Projector", "projector")]:
        url = reverse(f"workshops:{name}", kwargs={"workshop_id": workshop.pk})
        assert f'<a class="button" href="{url}">{label}</a>' in text


def test_workshop_rate_is_read_in_the_chosen_number_format(facilitator_client):
    response = facilitator_client.post(
        "/workshops/new/", post_data(number_format="point-comma", usd_exchange_rate="0,92")
    )
    assert response.status_code == 302
    workshop = Workshop.objects.get()
    assert (workshop.number_format, workshop.usd_exchange_rate) == ("point-comma", Decimal("0.92"))
    assert (workshop.usd_rate_date, workshop.usd_rate_source) == (
        datetime.date(2026, 12, 1),
        "ECB",
    )


def test_rate_note_names_the_rate_its_source_and_date():
    workshop = Workshop(
        currency="EUR",
        usd_exchange_rate=Decimal("0.920000"),
        usd_rate_source="ECB",
        usd_rate_date=datetime.date(2026, 12, 1),
    )
    assert workshop.rate_note == "at 0.92 EUR per USD (ECB, 1 Dec 2026)"
    workshop.usd_rate_source, workshop.usd_rate_date = "", None
    assert workshop.rate_note == "at 0.92 EUR per USD (no date or source given)"
    assert Workshop(currency="USD", usd_exchange_rate=Decimal(1)).rate_note == ""
