"""Every facilitator console page: login required, and only for the workshop's facilitators."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(workshop):
    """(method, url) of every console page of `workshop`."""
    table = factories.make_table(workshop=workshop)
    agenda_item = workshop.agenda_items.first()
    prework_item = workshop.prework_items.first()
    action = workshop.actions.first()
    w = f"/workshops/{workshop.pk}"
    return [
        ("get", f"{w}/"),
        ("get", f"{w}/edit/"),
        ("post", f"{w}/edit/"),
        ("get", f"{w}/tables/"),
        ("post", f"{w}/tables/"),
        ("get", f"{w}/tables/{table.pk}/rename/"),
        ("post", f"{w}/tables/{table.pk}/rename/"),
        ("get", f"{w}/tables/{table.pk}/delete/"),
        ("post", f"{w}/tables/{table.pk}/delete/"),
        ("get", f"{w}/agenda/"),
        ("post", f"{w}/agenda/{agenda_item.pk}/"),
        ("get", f"{w}/prework/"),
        ("post", f"{w}/prework/{prework_item.pk}/"),
        ("get", f"{w}/actions/"),
        ("get", f"{w}/actions/new/"),
        ("post", f"{w}/actions/new/"),
        ("get", f"{w}/actions/{action.pk}/edit/"),
        ("post", f"{w}/actions/{action.pk}/edit/"),
    ]


def test_console_pages_open_for_the_facilitator(facilitator_client, pages):
    for method, url in pages:
        if method == "get":
            assert facilitator_client.get(url).status_code == 200, url


def test_console_pages_404_for_another_facilitator(client, pages, workshop):
    client.force_login(factories.make_user(username="rival"))
    workshop.refresh_from_db()
    revision = workshop.revision
    for method, url in pages:
        response = getattr(client, method)(url, {"name": "Taken over", "status": "done"})
        assert response.status_code == 404, url
    workshop.refresh_from_db()
    assert workshop.revision == revision
    assert workshop.tables.get().name != "Taken over"


def test_console_pages_redirect_anonymous_to_login(client, pages):
    for method, url in pages:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url == f"/accounts/login/?next={url}", url


def test_console_new_workshop_redirects_anonymous_to_login(client):
    response = client.get("/workshops/new/")
    assert response.url == "/accounts/login/?next=/workshops/new/"


def test_console_workshop_list_redirects_anonymous_to_login(client):
    assert client.get("/workshops/").url == "/accounts/login/?next=/workshops/"


def test_console_missing_workshop_404(facilitator_client):
    assert facilitator_client.get("/workshops/999999/").status_code == 404


def test_console_superuser_may_open_any_workshop(client, workshop):
    client.force_login(factories.make_user(superuser=True))
    assert client.get(f"/workshops/{workshop.pk}/").status_code == 200


def test_console_co_facilitator_may_open_workshop(client, workshop):
    colleague = factories.make_user(username="colleague")
    workshop.facilitators.add(colleague)
    client.force_login(colleague)
    assert client.get(f"/workshops/{workshop.pk}/agenda/").status_code == 200
