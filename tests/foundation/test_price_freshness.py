"""Every page with prices says how old they are, and warns when they are over 90 days older than
the workshop's date (or today)."""

import datetime
import re
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from foundation import selectors
from foundation.freshness import PriceFreshness
from tests import factories

AS_OF = datetime.date(2026, 8, 21)  # the bundled price list's snapshot
TOOLS = [
    "foundation:catalogue",
    "foundation:calculator",
    "foundation:evolution",
    "foundation:break_even",
]


def _text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _at(day: datetime.date):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 10, tzinfo=datetime.UTC), tick=False
    )


@pytest.mark.parametrize(("days", "stale"), [(0, False), (89, False), (90, False), (91, True)])
def test_freshness_is_stale_only_past_90_days(days, stale):
    freshness = PriceFreshness(as_of=AS_OF, reference=AS_OF + datetime.timedelta(days=days))
    assert freshness.days_old == days
    assert freshness.stale is stale
    assert bool(freshness.warning()) is stale


def test_freshness_sentence_and_warning_words():
    freshness = PriceFreshness(
        as_of=AS_OF, reference=datetime.date(2026, 12, 7), reference_is_workshop=False
    )
    assert freshness.sentence() == "Prices as of 21 Aug 2026 (newest price in the catalogue)."
    assert freshness.warning().startswith(
        "The newest price in the catalogue is 108 days older than today (7 Dec 2026)"
    )
    assert freshness.known_on(datetime.date(2026, 12, 7)) == AS_OF
    assert freshness.known_on(datetime.date(2026, 3, 1)) == datetime.date(2026, 3, 1)


def test_catalogue_without_prices_has_no_date():
    freshness = PriceFreshness(as_of=None, reference=AS_OF)
    assert (freshness.days_old, freshness.stale) == (None, False)
    assert freshness.sentence() == "The catalogue holds no prices."


def test_prices_as_of_is_the_newest_date_a_source_was_read(db):
    # The list has a price effective 1 Sep 2026, read on 21 Aug 2026: known as of 21 Aug.
    assert selectors.prices_as_of() == AS_OF


@pytest.mark.parametrize("url_name", TOOLS)
def test_tool_pages_say_prices_as_of_and_warn_at_91_days(client, db, url_name):
    with _at(AS_OF + datetime.timedelta(days=91)):
        text = _text(client.get(reverse(url_name)))
    assert "Prices as of 21 Aug 2026 (newest price in the catalogue)." in text
    assert "These prices may be out of date." in text
    assert "91 days older than today (20 Nov 2026)" in text
    assert "import a fresh price catalogue" in text.lower()


@pytest.mark.parametrize("url_name", TOOLS)
def test_tool_pages_do_not_warn_at_89_days(client, db, url_name):
    with _at(AS_OF + datetime.timedelta(days=89)):
        text = _text(client.get(reverse(url_name)))
    assert "Prices as of 21 Aug 2026 (newest price in the catalogue)." in text
    assert "may be out of date" not in text


def _calculator_in(client, workshop, today):
    with _at(today):
        client.force_login(workshop.facilitators.get())
        response = client.get(reverse("foundation:calculator"), {"workshop": workshop.pk})
    assert response.status_code == 200
    return _text(response)


def test_tool_page_in_a_workshop_measures_against_the_workshops_date(client, db):
    workshop = factories.make_workshop(date=datetime.date(2026, 11, 18))
    # Opened long after: the workshop's date counts (89 days), not today.
    text = _calculator_in(client, workshop, datetime.date(2027, 1, 30))
    assert "Prices as of 21 Aug 2026 (newest price in the catalogue)." in text
    assert "may be out of date" not in text
    workshop.date = datetime.date(2026, 11, 20)
    workshop.save()
    text = _calculator_in(client, workshop, datetime.date(2026, 11, 1))
    assert "91 days older than the workshop's date (20 Nov 2026)" in text


def test_catalogue_page_never_claims_prices_in_force_today(client, db):
    with _at(datetime.date(2026, 12, 7)):
        text = _text(client.get(reverse("foundation:catalogue")))
    assert "in force on" not in text
    assert "it reaches 21 August 2026, not later" in text
    assert "Retired 5 Jan 2026" in text  # claude-3-opus-20240229
    assert "No longer sold (date unknown)" in text  # Gemini 1.5
