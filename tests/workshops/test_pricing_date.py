"""The workshop form's pricing date: set on create (default: the workshop date); a new one on
edit is shown as a re-pricing preview before it applies."""

import datetime

import pytest

from tests import factories
from workshops.models import Workshop

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
    return {**VALID, **changes}


def test_create_without_pricing_date_prices_as_of_the_workshop_date(facilitator_client):
    response = facilitator_client.post("/workshops/new/", post_data())
    assert response.status_code == 302
    assert Workshop.objects.get().pricing_date == datetime.date(2026, 12, 10)


def test_create_with_pricing_date(facilitator_client):
    response = facilitator_client.post("/workshops/new/", post_data(pricing_date="2026-11-20"))
    assert response.status_code == 302
    assert Workshop.objects.get().pricing_date == datetime.date(2026, 11, 20)


def test_form_explains_the_pricing_date(facilitator_client):
    html = facilitator_client.get("/workshops/new/").content.decode()
    assert "Priced for" in html
    assert "Every AI workload is priced at the model list prices in force on this day" in html


def test_edit_shows_the_pricing_date(facilitator_client, workshop):
    html = facilitator_client.get(f"/workshops/{workshop.pk}/edit/").content.decode()
    assert 'name="pricing_date" value="2026-12-10"' in html


def test_edit_with_a_new_pricing_date_goes_to_the_repricing_preview(facilitator_client, workshop):
    response = facilitator_client.post(
        f"/workshops/{workshop.pk}/edit/",
        post_data(venue="Dock 5", pricing_date="2027-01-15"),
    )
    assert response.status_code == 302
    assert response.url == f"/targets/workshops/{workshop.pk}/reprice/?as_of=2027-01-15"
    saved = Workshop.objects.get(pk=workshop.pk)
    assert (saved.venue, saved.pricing_date) == ("Dock 5", datetime.date(2026, 12, 10))


def test_edit_with_the_same_pricing_date_goes_to_the_workshop(facilitator_client, workshop):
    response = facilitator_client.post(
        f"/workshops/{workshop.pk}/edit/", post_data(pricing_date="2026-12-10")
    )
    assert (response.status_code, response.url) == (302, f"/workshops/{workshop.pk}/")


def test_edit_of_the_date_keeps_the_pricing_date(facilitator_client, workshop):
    facilitator_client.post(f"/workshops/{workshop.pk}/edit/", post_data(date="2027-02-01"))
    saved = Workshop.objects.get(pk=workshop.pk)
    assert (saved.date, saved.pricing_date) == (
        datetime.date(2027, 2, 1),
        datetime.date(2026, 12, 10),
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("soon", "Enter the pricing date as a date, for example 2026-12-10."),
        ("2026-13-01", "Enter the pricing date as a date, for example 2026-12-10."),
        ("<script>alert(1)</script>", "Enter the pricing date as a date, for example 2026-12-10."),
        ("-1", "Enter the pricing date as a date, for example 2026-12-10."),
        ("9" * 5000, "Enter the pricing date as a date, for example 2026-12-10."),
        ("1500-01-01", "Enter a pricing date between the years 2000 and 2999."),
    ],
)
def test_create_with_bad_pricing_date_saves_nothing(facilitator_client, value, message):
    response = facilitator_client.post("/workshops/new/", post_data(pricing_date=value))
    assert response.status_code == 422
    assert response.context["form"].errors["pricing_date"] == [message]
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert Workshop.objects.count() == 0


def test_edit_with_bad_pricing_date_changes_nothing(facilitator_client, workshop):
    response = facilitator_client.post(
        f"/workshops/{workshop.pk}/edit/", post_data(venue="Dock 5", pricing_date="tomorrow")
    )
    assert response.status_code == 422
    saved = Workshop.objects.get(pk=workshop.pk)
    assert (saved.venue, saved.pricing_date) == ("Room 1", datetime.date(2026, 12, 10))


def test_console_links_to_repricing(facilitator_client, workshop):
    html = facilitator_client.get(f"/workshops/{workshop.pk}/").content.decode()
    assert f'href="/targets/workshops/{workshop.pk}/reprice/"' in html
    assert "Pricing date 10 Dec 2026" in html


def test_other_facilitator_cannot_edit_the_pricing_date(client, workshop):
    client.force_login(factories.make_user())
    response = client.post(f"/workshops/{workshop.pk}/edit/", post_data(pricing_date="2027-01-15"))
    assert response.status_code == 404
    assert Workshop.objects.get(pk=workshop.pk).pricing_date == datetime.date(2026, 12, 10)
