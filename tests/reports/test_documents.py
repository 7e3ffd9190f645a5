"""Documents rendered by the task worker and cached by what they show (common.documents): the
register's downloads end to end, with the database task backend's own worker code."""

import datetime
from io import BytesIO

import pypdf
import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from agents import services as agent_services
from common.documents import Progress, Status, run_queued_documents
from reports import documents as report_documents
from reports import exporters
from reports.models import Document
from targets import services as target_services
from targets.permissions import INVITE_SESSION_KEY
from tests import factories
from tests.documents import download, is_progress_page
from tests.security.test_csp import inline_problems
from workshops.models import Workshop
from workshops.permissions import PARTICIPANT_SESSION_KEY

pytestmark = pytest.mark.django_db


def _xlsx(workshop) -> str:
    return reverse("reports:register_xlsx", args=[workshop.pk])


def _pdf(workshop) -> str:
    return reverse("reports:register_pdf", args=[workshop.pk])


def _join(client, workshop):
    participant = factories.make_participant(table=factories.make_table(workshop=workshop))
    session = client.session
    session[PARTICIPANT_SESSION_KEY] = participant.token
    session.save()


def _rename_agent(agent, name):
    agent.refresh_from_db()
    agent_services.agent_update(agent=agent, version=agent.version, values={"name": name})


@pytest.mark.slow
def test_register_pdf_is_rendered_by_the_worker_and_then_served_from_the_cache(
    facilitator_client, register_workshop
):
    facilitator_client.force_login(register_workshop.facilitators.get())
    first = facilitator_client.get(_pdf(register_workshop))
    assert is_progress_page(first)
    assert "Preparing the register" in first.content.decode()
    document = Document.objects.get()
    assert document.status == Status.QUEUED
    task = DBTaskResult.objects.get()
    assert (task.task_path, task.queue_name, task.status) == (
        "common.documents.render_document",
        "documents",
        "READY",
    )

    assert run_queued_documents() == 1

    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    file = facilitator_client.get(_pdf(register_workshop))
    assert file["Content-Type"] == "application/pdf"
    assert file["Content-Disposition"] == (
        'attachment; filename="agent-economics-register-acme-freight-2026-12-10.pdf"'
    )
    assert "no-store" in file["Cache-Control"]
    reader = pypdf.PdfReader(BytesIO(file.content))
    assert reader.metadata.title == "Agent Economics Register: Acme Freight"
    assert "Invoice Triage Agent" in " ".join(page.extract_text() for page in reader.pages)


def test_unchanged_register_is_the_same_file_without_a_new_render(facilitator_client, workshop):
    first = download(facilitator_client, _xlsx(workshop))
    again = facilitator_client.get(_xlsx(workshop))
    assert again.content == first.content
    assert run_queued_documents() == 0
    assert Document.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_any_change_to_the_workshop_renders_the_register_again(facilitator_client, workshop):
    agent = agent_services.agent_create(workshop=workshop, name="Invoice Triage Agent")
    before = download(facilitator_client, _xlsx(workshop))

    _rename_agent(agent, "Invoice Matching Agent")

    assert is_progress_page(facilitator_client.get(_xlsx(workshop)))
    assert run_queued_documents() == 1
    after = facilitator_client.get(_xlsx(workshop))
    assert after["Content-Type"].startswith("application/vnd.openxmlformats")
    assert after.content != before.content
    assert b"Invoice Matching Agent" not in before.content  # compressed: compare documents
    keys = set(Document.objects.values_list("key", flat=True))
    assert len(keys) == 2


def test_register_key_moves_with_revision_and_pricing_date(workshop):
    workshop.refresh_from_db()
    key = report_documents.register_request(workshop, report_documents.REGISTER_PDF).key
    same = Workshop.objects.get(pk=workshop.pk)
    assert report_documents.register_request(same, report_documents.REGISTER_PDF).key == key
    same.revision += 1
    assert report_documents.register_request(same, report_documents.REGISTER_PDF).key != key
    repriced = Workshop.objects.get(pk=workshop.pk)
    repriced.pricing_date = repriced.pricing_date - datetime.timedelta(days=30)
    assert report_documents.register_request(repriced, report_documents.REGISTER_PDF).key != key
    xlsx = report_documents.register_request(workshop, report_documents.REGISTER_XLSX).key
    assert xlsx != key


def test_rendering_does_not_move_the_workshop_revision(facilitator_client, workshop):
    revision = Workshop.objects.get(pk=workshop.pk).revision
    download(facilitator_client, _xlsx(workshop))
    assert Workshop.objects.get(pk=workshop.pk).revision == revision
    # ... so the cached file is still the one asked for.
    assert run_queued_documents() == 0
    assert facilitator_client.get(_xlsx(workshop))["Content-Type"].startswith("application/vnd")


def test_many_people_asking_at_once_start_one_render(client, facilitator_client, workshop):
    client = Client()  # another browser than facilitator_client's
    finance = factories.make_user()
    workshop.finance_reviewers.add(finance)
    finance_client = Client()
    finance_client.force_login(finance)
    _join(client, workshop)

    for asking in (facilitator_client, finance_client, client):
        assert is_progress_page(asking.get(_xlsx(workshop)))

    assert Document.objects.count() == 1
    assert run_queued_documents() == 1
    for asking in (facilitator_client, finance_client, client):
        assert asking.get(_xlsx(workshop))["Content-Type"].startswith("application/vnd")


@pytest.mark.parametrize("who", ["other_facilitator", "anonymous", "other_participant"])
def test_cached_register_is_refused_to_people_without_access(
    client, facilitator_client, workshop, who
):
    client = Client()  # another browser than facilitator_client's
    download(facilitator_client, _xlsx(workshop))
    assert Document.objects.get().status == Status.READY
    if who == "other_facilitator":
        client.force_login(factories.make_facilitator())
    elif who == "other_participant":
        _join(client, factories.make_workshop())
    response = client.get(_xlsx(workshop))
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == 404
    assert "Content-Disposition" not in response
    assert Document.objects.count() == 1


def test_a_document_key_of_another_workshop_serves_nothing_of_it(client, facilitator_client):
    client = Client()  # another browser than facilitator_client's
    theirs = factories.make_workshop(client_organisation="Their Client")
    mine = factories.make_workshop(client_organisation="My Client")
    facilitator_client.force_login(theirs.facilitators.get())
    download(facilitator_client, _xlsx(theirs))
    key = Document.objects.get(workshop=theirs).key

    client.force_login(mine.facilitators.get())
    response = client.get(_xlsx(mine), {"document": key})

    assert is_progress_page(response)
    assert Document.objects.filter(workshop=mine).count() == 1


def test_one_render_at_a_time_per_person(facilitator, facilitator_client):
    first = factories.make_workshop(facilitator=facilitator)
    second = factories.make_workshop(facilitator=facilitator)
    assert is_progress_page(facilitator_client.get(_xlsx(first)))

    waiting = facilitator_client.get(_xlsx(second))

    assert "Your other document is still being prepared" in waiting.content.decode()
    assert Document.objects.filter(workshop=second).exists() is False
    assert run_queued_documents() == 1
    assert is_progress_page(facilitator_client.get(_xlsx(second)))
    assert Document.objects.filter(workshop=second).get().status == Status.QUEUED


def test_another_person_is_not_held_up_by_my_render(client, facilitator_client, workshop):
    client = Client()  # another browser than facilitator_client's
    other = factories.make_workshop()
    facilitator_client.get(_xlsx(workshop))
    client.force_login(other.facilitators.get())
    assert is_progress_page(client.get(_xlsx(other)))
    assert Document.objects.count() == 2


def test_progress_page_polls_and_answers_204_while_unchanged(facilitator_client, workshop):
    page = facilitator_client.get(_pdf(workshop)).content.decode()
    document = Document.objects.get()
    assert 'hx-trigger="every 2s"' in page
    assert f"document={document.key}" in page
    assert inline_problems(page) == []
    poll = f"{_pdf(workshop)}?document={document.key}&state="
    token = f"{document.pk}-queued-0-"
    assert facilitator_client.get(poll + token, headers={"HX-Request": "true"}).status_code == 204

    Progress(document.pk).step("agents 4 of 10", 45, force=True)
    Document.objects.filter(pk=document.pk).update(status=Status.RENDERING)
    moved = facilitator_client.get(poll + token, headers={"HX-Request": "true"})

    assert moved.status_code == 200
    html = moved.content.decode()
    assert "Preparing the register (agents 4 of 10)" in html
    assert '<progress max="100" value="45"' in html
    assert "<html" not in html


@pytest.mark.slow
def test_progress_page_offers_the_file_when_it_is_ready(facilitator_client, workshop):
    facilitator_client.get(_pdf(workshop))
    document = Document.objects.get()
    run_queued_documents()
    poll = f"{_pdf(workshop)}?document={document.key}&state={document.pk}-queued-0-"
    ready = facilitator_client.get(poll, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in ready
    link = f'href="{_pdf(workshop)}?document={document.key}" download'
    assert link in ready
    file = facilitator_client.get(f"{_pdf(workshop)}?document={document.key}")
    assert file.content.startswith(b"%PDF-")


def test_progress_page_follows_its_document_while_the_workshop_changes(
    facilitator_client, workshop
):
    agent = agent_services.agent_create(workshop=workshop, name="Invoice Triage Agent")
    facilitator_client.get(_xlsx(workshop))
    asked = Document.objects.get()
    _rename_agent(agent, "Renamed meanwhile")

    poll = facilitator_client.get(
        f"{_xlsx(workshop)}?document={asked.key}&state=x", headers={"HX-Request": "true"}
    )

    assert poll.status_code == 200
    assert Document.objects.count() == 1
    run_queued_documents()
    file = facilitator_client.get(f"{_xlsx(workshop)}?document={asked.key}")
    assert file["Content-Type"].startswith("application/vnd")


def test_failed_render_says_so_and_can_be_tried_again(facilitator_client, workshop, monkeypatch):
    def broken(workshop, options=None):
        raise RuntimeError("the spreadsheet library is missing")

    monkeypatch.setattr(exporters, "register_xlsx_export", broken)
    facilitator_client.get(_xlsx(workshop))
    run_queued_documents()
    document = Document.objects.get()
    assert document.status == Status.FAILED
    assert DBTaskResult.objects.get().status == "FAILED"

    page = facilitator_client.get(_xlsx(workshop)).content.decode()
    assert "The register spreadsheet could not be prepared" in page
    assert "RuntimeError: the spreadsheet library is missing" in page
    assert "Try again" in page
    assert run_queued_documents() == 0  # a failure is not retried by itself

    monkeypatch.undo()
    retry = facilitator_client.post(f"{_xlsx(workshop)}?document={document.key}")
    assert retry.status_code == 302
    assert retry["Location"] == f"{_xlsx(workshop)}?document={document.key}"
    assert run_queued_documents() == 1
    assert facilitator_client.get(_xlsx(workshop))["Content-Type"].startswith("application/vnd")


def test_retry_is_refused_to_people_without_access(client, facilitator_client, workshop):
    client = Client()  # another browser than facilitator_client's
    client.force_login(factories.make_facilitator())
    assert client.post(_xlsx(workshop)).status_code == 404
    assert Document.objects.exists() is False


def test_a_render_whose_worker_stopped_is_started_again(facilitator_client, workshop):
    facilitator_client.get(_xlsx(workshop))
    DBTaskResult.objects.update(status="RUNNING")  # its worker was killed mid-render
    Document.objects.update(
        status=Status.RENDERING, started_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )

    assert is_progress_page(facilitator_client.get(_xlsx(workshop)))

    assert Document.objects.get().status == Status.QUEUED
    assert run_queued_documents() == 1
    assert facilitator_client.get(_xlsx(workshop))["Content-Type"].startswith("application/vnd")


def test_finance_invite_holder_downloads_the_register(client, workshop):
    invite, token = factories.make_finance_invite(workshop=workshop)
    target_services.invite_redeem(token=token)
    session = client.session
    session[INVITE_SESSION_KEY] = {str(workshop.pk): invite.pk}
    session.save()
    assert download(client, _xlsx(workshop))["Content-Type"].startswith("application/vnd")


def test_evolution_pdf_is_cached_by_what_it_shows(client):
    factories.make_llm_model(
        provider="Acme", name="old", tier="frontier", prices=(("2023-01-01", "30", "60"),)
    )
    url = reverse("foundation:evolution_pdf")
    first = download(client, url, {"months": "24"})
    assert first["Content-Type"] == "application/pdf"
    assert client.get(url, {"months": "24"}).content == first.content
    assert is_progress_page(client.get(url, {"months": "36"}))
    assert Document.objects.filter(kind="evolution_pdf").count() == 2
