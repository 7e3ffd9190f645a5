"""Cache-Control: no-store on every page seen through a session and on every download, from
one middleware; public pages stay cacheable."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_no_store_on_a_facilitator_page(facilitator_client, workshop):
    response = facilitator_client.get(reverse("workshops:detail", args=[workshop.pk]))
    assert response.status_code == 200
    assert no_store(response)


def test_no_store_on_a_table_page(client, workshop):
    participant = factories.make_participant(table=factories.make_table(workshop=workshop))
    browser = factories.join_table(client, participant)
    response = browser.get(reverse("workshops:workspace"))
    assert response.status_code == 200
    assert no_store(response)


def test_no_store_on_a_public_page_seen_by_a_signed_in_account(facilitator_client):
    assert no_store(facilitator_client.get(reverse("foundation:glossary")))


def test_no_store_on_an_anonymous_download(db):
    response = Client().get(reverse("foundation:calculator_xlsx"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert no_store(response)


def test_no_store_on_a_bundle_download(facilitator_client, workshop):
    response = facilitator_client.get(reverse("bundles:export_download", args=[workshop.pk]))
    assert response.status_code == 200
    assert no_store(response)


def test_no_store_on_the_sign_in_answer_that_starts_a_session(facilitator):
    response = Client().post(
        reverse("login"), {"username": "facilitator", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert no_store(response)


def test_public_page_for_a_visitor_without_session_is_not_marked(db):
    response = Client().get(reverse("foundation:glossary"))
    assert response.status_code == 200
    assert not no_store(response)


def test_no_store_on_a_poll_answer_without_content(facilitator_client, workshop):
    url = reverse("workshops:board", args=[workshop.pk])
    response = facilitator_client.get(
        f"{url}?rev={workshop.revision}", headers={"HX-Request": "true"}
    )
    assert response.status_code in (200, 204)
    assert no_store(response)
