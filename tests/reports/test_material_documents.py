"""The run sheet and the floor / target / stretch sheets, rendered by the document worker and
cached by what they show (common.documents), end to end through the download URLs."""

import datetime
from io import BytesIO

import pypdf
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from common.documents import Status, run_queued_documents
from reports import documents as report_documents
from reports.models import Document
from tests import factories
from tests.documents import download, is_progress_page
from tests.security.test_csp import inline_problems
from workshops import services as workshop_services
from workshops.models import AgendaItem, Workshop
from workshops.permissions import PARTICIPANT_SESSION_KEY

pytestmark = pytest.mark.django_db

KINDS = {
    "run_sheet": report_documents.RUN_SHEET,
    "target_sheets": report_documents.TARGET_SHEETS,
}


def _url(workshop, name="run_sheet") -> str:
    return reverse(f"reports:{name}", args=[workshop.pk])


def _text(response) -> str:
    reader = pypdf.PdfReader(BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def client_of(client):
    def login(workshop):
        client.force_login(workshop.facilitators.get())
        return client

    return login


@pytest.mark.parametrize("name", ["run_sheet", "target_sheets"])
def test_material_is_rendered_once_for_two_requests(client_of, workshop, name):
    client = client_of(workshop)
    first = client.get(_url(workshop, name))
    assert is_progress_page(first)
    document = Document.objects.get()
    assert (document.kind, document.status, document.workshop_id) == (
        KINDS[name],
        Status.QUEUED,
        workshop.pk,
    )
    assert run_queued_documents() == 1

    one = client.get(_url(workshop, name))
    two = client.get(_url(workshop, name))

    assert one["Content-Type"] == "application/pdf"
    assert two.content == one.content
    assert run_queued_documents() == 0
    assert Document.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_run_sheet_file_is_named_and_shows_the_agenda(client_of, workshop):
    response = download(client_of(workshop), _url(workshop))
    assert response["Content-Disposition"] == (
        'attachment; filename="run-sheet-acme-freight-2026-12-10.pdf"'
    )
    assert "09:00-09:15 0:00-0:15 15 Welcome & Context Setting" in _text(response)


def test_agenda_minutes_change_renders_the_run_sheet_again(client_of, workshop):
    client = client_of(workshop)
    before = download(client, _url(workshop))
    item = AgendaItem.objects.get(workshop=workshop, position=1)

    workshop_services.agenda_item_update(
        item=item, planned_minutes=20, facilitator_notes=item.facilitator_notes
    )

    assert is_progress_page(client.get(_url(workshop)))
    assert run_queued_documents() == 1
    after = client.get(_url(workshop))
    assert "09:00-09:20 0:00-0:20 20 Welcome & Context Setting" in _text(after)
    assert "09:00-09:15 0:00-0:15 15 Welcome & Context Setting" in _text(before)
    assert Document.objects.filter(kind=report_documents.RUN_SHEET).count() == 2


def test_start_time_set_outside_the_services_renders_the_run_sheet_again(client_of, workshop):
    client = client_of(workshop)
    download(client, _url(workshop))
    # The revision stays: the start time alone moves the key.
    Workshop.objects.filter(pk=workshop.pk).update(start_time=datetime.time(13, 30))

    assert is_progress_page(client.get(_url(workshop)))
    assert run_queued_documents() == 1
    assert "13:30-13:45 0:00-0:15 15 Welcome & Context Setting" in _text(client.get(_url(workshop)))


def test_time_zone_set_outside_the_services_renders_the_run_sheet_again(client_of, workshop):
    client = client_of(workshop)
    download(client, _url(workshop))
    Workshop.objects.filter(pk=workshop.pk).update(time_zone="Asia/Tokyo")

    assert is_progress_page(client.get(_url(workshop)))
    assert run_queued_documents() == 1
    assert "(Asia/Tokyo (JST))" in _text(client.get(_url(workshop)))


def test_material_key_moves_with_what_the_document_shows(workshop):
    def key(changed):
        return report_documents.materials_request(changed, report_documents.RUN_SHEET).key

    base = key(Workshop.objects.get(pk=workshop.pk))
    assert key(Workshop.objects.get(pk=workshop.pk)) == base
    changes = {
        "revision": lambda w: setattr(w, "revision", w.revision + 1),
        "date": lambda w: setattr(w, "date", datetime.date(2026, 12, 11)),
        "start_time": lambda w: setattr(w, "start_time", datetime.time(9, 30)),
        "time_zone": lambda w: setattr(w, "time_zone", "America/New_York"),
    }
    moved = {}
    for field, change in changes.items():
        changed = Workshop.objects.get(pk=workshop.pk)
        change(changed)
        moved[field] = key(changed) != base
    assert moved == {"revision": True, "date": True, "start_time": True, "time_zone": True}
    other_kind = report_documents.materials_request(workshop, report_documents.TARGET_SHEETS)
    assert other_kind.key != base


def test_renamed_facilitator_renders_the_materials_again(workshop):
    before = report_documents.materials_request(workshop, report_documents.TARGET_SHEETS).key
    get_user_model().objects.filter(pk=workshop.facilitators.get().pk).update(
        first_name="Renamed", last_name="Host"
    )
    after = report_documents.materials_request(workshop, report_documents.TARGET_SHEETS).key
    assert after != before


def test_progress_page_while_the_run_sheet_is_queued(client_of, workshop):
    client = client_of(workshop)
    page = client.get(_url(workshop)).content.decode()
    document = Document.objects.get()
    assert "Preparing the run sheet" in page
    assert 'hx-trigger="every 2s"' in page
    assert f"document={document.key}" in page
    assert reverse("reports:materials", args=[workshop.pk]) in page
    assert inline_problems(page) == []
    poll = f"{_url(workshop)}?document={document.key}&state={document.pk}-queued-0-"
    assert client.get(poll, headers={"HX-Request": "true"}).status_code == 204


def test_progress_page_while_the_target_sheets_are_queued(client_of, workshop):
    page = client_of(workshop).get(_url(workshop, "target_sheets")).content.decode()
    assert "Preparing the floor, target and stretch sheets" in page


@pytest.fixture
def templates_missing(settings):
    """A server whose project templates folder is gone: rendering a material fails."""
    working = settings.TEMPLATES

    def missing():
        settings.TEMPLATES = [{**working[0], "DIRS": []}]

    def restored():
        settings.TEMPLATES = working

    return missing, restored


@pytest.mark.parametrize("name", ["run_sheet", "target_sheets"])
def test_failed_material_shows_its_error_and_a_post_restarts_it(
    client_of, workshop, templates_missing, name
):
    missing, restored = templates_missing
    client = client_of(workshop)
    client.get(_url(workshop, name))
    document = Document.objects.get()
    missing()
    assert run_queued_documents() == 1
    restored()
    document.refresh_from_db()
    assert document.status == Status.FAILED
    assert document.error == f"TemplateDoesNotExist: reports/{name}_pdf.html"

    page = client.get(_url(workshop, name)).content.decode()
    assert f"(TemplateDoesNotExist: reports/{name}_pdf.html)" in page
    assert "Try again" in page
    assert run_queued_documents() == 0  # a failure is not retried by itself

    retry = client.post(f"{_url(workshop, name)}?document={document.key}")
    assert retry.status_code == 302
    assert retry["Location"] == f"{_url(workshop, name)}?document={document.key}"
    assert Document.objects.get().status == Status.QUEUED
    assert run_queued_documents() == 1
    file = client.get(_url(workshop, name))
    assert file["Content-Type"] == "application/pdf"
    assert Document.objects.count() == 1


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "x" * 64,
        "' OR 1=1 --",
        "ü" * 64,
        "0" * 10_000,
    ],
)
def test_hostile_document_param_starts_the_run_sheet_of_this_workshop(client_of, workshop, hostile):
    client = client_of(workshop)
    response = client.get(_url(workshop), {"document": hostile})
    assert is_progress_page(response)
    assert "<script>alert(1)" not in response.content.decode()
    assert list(Document.objects.values_list("kind", "workshop_id")) == [
        (report_documents.RUN_SHEET, workshop.pk)
    ]


def test_unknown_params_do_not_make_another_run_sheet(client_of, workshop):
    client = client_of(workshop)
    download(client, _url(workshop))
    response = client.get(_url(workshop), {"blank": "-5", "agent": "9" * 40, "months": "x"})
    assert response["Content-Type"] == "application/pdf"
    assert Document.objects.count() == 1


def test_run_sheet_key_of_another_workshop_serves_nothing_of_it(client, facilitator):
    theirs = factories.make_workshop(client_organisation="Their Client")
    mine = factories.make_workshop(facilitator=facilitator, client_organisation="My Client")
    other = Client()
    other.force_login(theirs.facilitators.get())
    download(other, _url(theirs))
    key = Document.objects.get(workshop=theirs).key

    client.force_login(facilitator)
    response = client.get(_url(mine), {"document": key})

    assert is_progress_page(response)
    assert Document.objects.filter(workshop=mine).count() == 1
    assert client.post(_url(mine) + f"?document={key}").status_code == 302
    assert Document.objects.get(workshop=theirs).status == Status.READY


@pytest.mark.parametrize("name", ["run_sheet", "target_sheets"])
def test_material_refused_to_a_table_and_to_another_facilitator(client, workshop, name):
    participant = factories.make_participant(table=factories.make_table(workshop=workshop))
    session = client.session
    session[PARTICIPANT_SESSION_KEY] = participant.token
    session.save()
    assert client.get(_url(workshop, name)).status_code == 302
    assert client.post(_url(workshop, name)).status_code == 302

    stranger = Client()
    stranger.force_login(factories.make_facilitator())
    assert stranger.get(_url(workshop, name)).status_code == 404
    assert stranger.post(_url(workshop, name)).status_code == 404
    assert Document.objects.exists() is False


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_run_sheet_refuses_other_methods(client_of, workshop, method):
    response = getattr(client_of(workshop), method)(_url(workshop))
    assert response.status_code == 405
    assert Document.objects.exists() is False


def test_run_sheet_of_a_workshop_that_is_not_a_number_is_not_found(client_of, workshop):
    client = client_of(workshop)
    url = _url(workshop).replace(f"/{workshop.pk}/", "/1e3/")
    assert client.get(url).status_code == 404
    assert client.get(_url(workshop).replace(f"/{workshop.pk}/", f"/{2**70}/")).status_code == 404


def test_materials_page_opens_the_materials_as_pages_not_as_downloads(client_of, workshop):
    # A `download` link would save the progress page itself while the worker renders.
    html = client_of(workshop).get(reverse("reports:materials", args=[workshop.pk])).text
    for name in ("run_sheet", "target_sheets"):
        assert f'href="{_url(workshop, name)}">' in html
        assert f'href="{_url(workshop, name)}" download' not in html
