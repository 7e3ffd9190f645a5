"""The Pillar 5 narrative uploaded as a PDF: the facilitator uploads, replaces and removes it on
the pre-work page; the workshop's readers download it from the pre-work list and the Block 2
pages; bad files are refused with a reason and change nothing; it travels in bundles."""

import base64
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from bundles import export, importer
from common import pdffile
from tests import factories
from tests.bundles.helpers import parse, row_counts, seal
from workshops import services
from workshops.models import Narrative, Workshop

NOW = datetime.datetime(2026, 12, 10, 17, 0, tzinfo=datetime.UTC)
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def upload_url(workshop) -> str:
    return f"/workshops/{workshop.pk}/prework/narrative/"


def prework_url(workshop) -> str:
    return f"/workshops/{workshop.pk}/prework/"


def download_url(workshop) -> str:
    return f"/reports/workshops/{workshop.pk}/pillar-5-narrative.pdf"


def upload(client, workshop, content: bytes = PDF, name: str = "pillar-5.pdf", **extra):
    data = {"file": SimpleUploadedFile(name, content, "application/pdf"), **extra}
    return client.post(upload_url(workshop), data)


def revision(workshop) -> int:
    return Workshop.objects.get(pk=workshop.pk).revision


# --- The check of the bytes (common.pdffile) -----------------------------------------------


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "The file is empty."),
        (b"hello, world", "The file is not a PDF (it does not start as a PDF does). "
                          "Export it as PDF first."),
        (b"<script>alert(1)</script>%PDF-1.7 %%EOF", "The file is not a PDF (it does not start "
                                                    "as a PDF does). Export it as PDF first."),
        (PDF[:40], "The PDF is cut short (it has no end-of-file marker). Upload the whole file "
                   "again."),
        (b"%PDF-1.4\n" + b"x" * pdffile.MAX_BYTES + b"\n%%EOF",
         "The file is 5.0 MB; a narrative PDF may be at most 5.0 MB. Save it smaller "
         "(e.g. “Reduce file size” when exporting)."),
    ],
)  # fmt: skip
def test_pdf_problem_names_the_reason(content, problem):
    assert pdffile.pdf_problem(content) == problem


def test_pdf_problem_accepts_a_pdf_with_trailing_padding():
    assert pdffile.pdf_problem(PDF + b"\r\n" + b"\x00" * 500) is None


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("pillar-5.pdf", "pillar-5.pdf"),
        ("C:\\Users\\ana\\Pillar 5 – Ökonomie.PDF", "Pillar 5 – Ökonomie.PDF"),
        ("../../etc/passwd", "passwd.pdf"),
        ('<script>alert("x")</script>.pdf', "script.pdf"),
        ("report\x00\x1b.pdf", "report.pdf"),
        ("...", "narrative.pdf"),
        ("", "narrative.pdf"),
        ("a" * 300 + ".pdf", "a" * 150 + ".pdf"),
    ],
)
def test_pdf_filename_is_cleaned(name, cleaned):
    assert pdffile.pdf_filename(name) == cleaned


# --- Upload, replace, remove ---------------------------------------------------------------


def test_facilitator_uploads_the_narrative(facilitator_client, workshop):
    before = revision(workshop)
    response = upload(facilitator_client, workshop, name="Pillar 5 – Ökonomie.pdf")
    assert response.status_code == 302
    assert response["Location"] == f"{prework_url(workshop)}#narrative"
    narrative = Narrative.objects.get(workshop=workshop)
    assert (narrative.filename, narrative.size, bytes(narrative.content)) == (
        "Pillar 5 – Ökonomie.pdf",
        len(PDF),
        PDF,
    )
    assert revision(workshop) == before + 1
    html = facilitator_client.get(prework_url(workshop)).text
    assert "Pillar 5 – Ökonomie.pdf" in html
    assert f'href="{download_url(workshop)}"' in html
    assert "Replace the PDF" in html
    assert "No Pillar 5 narrative yet" not in html


def test_a_second_upload_replaces_the_first(facilitator_client, workshop):
    upload(facilitator_client, workshop)
    second = PDF.replace(b"1.7", b"2.0")
    assert upload(facilitator_client, workshop, second, name="v2.pdf").status_code == 302
    assert list(Narrative.objects.values_list("filename", "size")) == [("v2.pdf", len(second))]


def test_facilitator_removes_the_narrative(facilitator_client, workshop):
    upload(facilitator_client, workshop)
    before = revision(workshop)
    response = facilitator_client.post(f"{upload_url(workshop)}remove/")
    assert response.status_code == 302
    assert Narrative.objects.count() == 0
    assert revision(workshop) == before + 1
    assert "No Pillar 5 narrative yet" in facilitator_client.get(prework_url(workshop)).text


def test_removing_when_there_is_none_changes_nothing(facilitator_client, workshop):
    before = revision(workshop)
    assert facilitator_client.post(f"{upload_url(workshop)}remove/").status_code == 302
    assert revision(workshop) == before


def test_get_of_the_upload_address_goes_to_the_form(facilitator_client, workshop):
    response = facilitator_client.get(upload_url(workshop))
    assert (response.status_code, response["Location"]) == (
        302,
        f"{prework_url(workshop)}#narrative",
    )


def test_another_facilitator_cannot_upload(workshop):
    client = Client()
    other = factories.make_facilitator(username="rival")
    client.force_login(other)
    assert upload(client, workshop).status_code == 404
    assert client.post(f"{upload_url(workshop)}remove/").status_code == 404
    assert Narrative.objects.count() == 0


def test_upload_needs_the_csrf_token(workshop, facilitator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(facilitator)
    assert upload(client, workshop).status_code == 403
    assert Narrative.objects.count() == 0


# --- Bad files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.pdf", "The file is empty."),
        (b"PK\x03\x04 word document", "narrative.docx",
         "The file is not a PDF (it does not start as a PDF does). Export it as PDF first. "
         "Nothing was uploaded."),
        (b"<html><script>alert(1)</script></html>", "narrative.pdf",
         "The file is not a PDF (it does not start as a PDF does). Export it as PDF first. "
         "Nothing was uploaded."),
        (PDF[:30], "cut.pdf", "The PDF is cut short (it has no end-of-file marker). Upload the "
                              "whole file again. Nothing was uploaded."),
        ("Ünïcödé ✓".encode(), "ü.pdf", "The file is not a PDF (it does not start as a PDF "
                                       "does). Export it as PDF first. Nothing was uploaded."),
    ],
)  # fmt: skip
def test_bad_file_is_refused_and_nothing_changes(
    facilitator_client, workshop, content, name, message
):
    upload(facilitator_client, workshop)
    before = (revision(workshop), list(Narrative.objects.values_list("filename", "size")))
    response = upload(facilitator_client, workshop, content, name=name)
    assert response.status_code == 422
    assert list(response.context["narrative_form"].errors["file"]) == [message]
    assert escape(message) in response.text
    assert (revision(workshop), list(Narrative.objects.values_list("filename", "size"))) == before


def test_no_file_is_refused(facilitator_client, workshop):
    response = facilitator_client.post(upload_url(workshop), {})
    assert response.status_code == 422
    assert list(response.context["narrative_form"].errors["file"]) == ["Choose the PDF to upload."]
    assert Narrative.objects.count() == 0


def test_a_file_over_the_limit_is_refused(facilitator_client, workshop):
    content = b"%PDF-1.4\n" + b"x" * pdffile.MAX_BYTES + b"\n%%EOF"
    response = upload(facilitator_client, workshop, content)
    assert response.status_code == 422
    assert list(response.context["narrative_form"].errors["file"]) == [
        "The file is larger than 5.0 MB; a narrative PDF may be at most that. Save it smaller "
        "(e.g. “Reduce file size” when exporting). Nothing was uploaded."
    ]
    assert Narrative.objects.count() == 0


def test_a_far_larger_body_is_refused_unread(facilitator_client, workshop):
    response = facilitator_client.post(
        upload_url(workshop),
        data=b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert Narrative.objects.count() == 0


def test_two_files_are_refused(facilitator_client, workshop):
    response = facilitator_client.post(
        upload_url(workshop),
        {
            "file": [
                SimpleUploadedFile("a.pdf", PDF, "application/pdf"),
                SimpleUploadedFile("b.pdf", PDF, "application/pdf"),
            ]
        },
    )
    assert response.status_code == 400
    assert Narrative.objects.count() == 0


def test_a_file_in_another_field_is_refused(facilitator_client, workshop):
    response = facilitator_client.post(
        upload_url(workshop), {"other": SimpleUploadedFile("a.pdf", PDF, "application/pdf")}
    )
    assert response.status_code == 400
    assert Narrative.objects.count() == 0


def test_a_hostile_file_name_is_escaped_in_the_page(facilitator_client, workshop):
    upload(facilitator_client, workshop, name='<img src=x onerror="alert(1)">.pdf')
    name = Narrative.objects.get().filename
    assert name == "img src=x onerror=alert(1).pdf"
    html = facilitator_client.get(prework_url(workshop)).text
    assert "<img src=x" not in html


def test_the_service_refuses_what_the_form_would(workshop):
    with pytest.raises(ValueError, match="The file is empty."):
        services.narrative_upload(workshop=workshop, filename="a.pdf", content=b"", now=NOW)
    assert Narrative.objects.count() == 0


# --- Who reads it, and where ----------------------------------------------------------------


def test_download_is_an_attachment_kept_nowhere(facilitator_client, workshop):
    upload(facilitator_client, workshop, name="Pillar 5 – Ökonomie.pdf")
    response = facilitator_client.get(download_url(workshop))
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Pillar%205%20%E2%80%93%20%C3%96konomie.pdf"
    )
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_download_without_a_narrative_is_404(facilitator_client, workshop):
    assert facilitator_client.get(download_url(workshop)).status_code == 404


def test_the_table_downloads_it_from_the_block2_page(facilitator_client, workshop):
    client = Client()
    upload(facilitator_client, workshop)
    table = factories.make_table(workshop=workshop, name="Table 1")
    agent = factories.make_agent(workshop=workshop, table=table, name="Invoice Triage Agent")
    factories.join_table(client, factories.make_participant(table=table))
    html = client.get(f"/block2/agents/{agent.pk}/classify/").text
    assert f'href="{download_url(workshop)}"' in html
    assert "Download the Pillar 5 narrative" in html
    assert client.get(download_url(workshop)).content == PDF


def test_a_table_of_another_workshop_cannot_download(facilitator, facilitator_client):
    client = Client()
    workshop = factories.make_workshop(facilitator=facilitator)
    upload(facilitator_client, workshop)
    other = factories.make_workshop(facilitator=facilitator, client_organisation="Rival")
    table = factories.make_table(workshop=other, name="Table 1")
    factories.join_table(client, factories.make_participant(table=table))
    assert client.get(download_url(workshop)).status_code == 404


def test_finance_reviewer_downloads_it(facilitator_client, workshop):
    client = Client()
    upload(facilitator_client, workshop)
    reviewer = factories.make_user(username="cfo")
    workshop.finance_reviewers.add(reviewer)
    client.force_login(reviewer)
    assert client.get(download_url(workshop)).content == PDF


def test_prework_page_queries_do_not_read_the_bytes(facilitator_client, workshop):
    upload(facilitator_client, workshop)
    with CaptureQueriesContext(connection) as queries:
        facilitator_client.get(prework_url(workshop))
    narrative_reads = [q["sql"] for q in queries if "workshops_narrative" in q["sql"]]
    assert len(narrative_reads) == 1  # read once for both cards
    assert all('"content"' not in sql for sql in narrative_reads)


# --- Bundles ---------------------------------------------------------------------------------


def test_the_narrative_travels_in_a_bundle(facilitator, facilitator_client, workshop):
    upload(facilitator_client, workshop, name="pillar-5.pdf")
    uploaded_at = Narrative.objects.get().uploaded_at
    data = export.workshop_bundle(workshop=workshop, now=NOW)[2]
    bundle = parse(data)
    assert bundle["narrative"]["filename"] == "pillar-5.pdf"
    assert base64.b64decode(bundle["narrative"]["content"]) == PDF
    Workshop.objects.filter(pk=workshop.pk).delete()
    imported = importer.workshop_bundle_import(
        bundle=importer.bundle_read(data), importer=facilitator, on_conflict=importer.REFUSE
    )
    narrative = Narrative.objects.get(workshop=imported.workshop)
    assert (narrative.filename, bytes(narrative.content), narrative.uploaded_at) == (
        "pillar-5.pdf",
        PDF,
        uploaded_at,
    )


def test_a_bundle_without_a_narrative_section_imports(facilitator, workshop):
    bundle = parse(export.workshop_bundle(workshop=workshop, now=NOW)[2])
    assert bundle["narrative"] is None
    del bundle["narrative"]
    Workshop.objects.filter(pk=workshop.pk).delete()
    imported = importer.workshop_bundle_import(
        bundle=importer.bundle_read(seal(bundle)), importer=facilitator, on_conflict=importer.REFUSE
    )
    assert not Narrative.objects.filter(workshop=imported.workshop).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not base64!!", "The bundle has a wrong value at narrative.content: expected a PDF as "
                         "base64 text."),
        (12, "The bundle has a wrong value at narrative.content: expected a PDF as base64 text, "
             "found a whole number."),
        (base64.b64encode(b"<script>alert(1)</script>").decode(),
         "The bundle has a wrong value at narrative.content: The file is not a PDF (it does not "
         "start as a PDF does). Export it as PDF first."),
        ("", "The bundle has a wrong value at narrative.content: The file is empty."),
        ("ü" * 10, "The bundle has a wrong value at narrative.content: expected a PDF as base64 "
                   "text."),
    ],
)  # fmt: skip
def test_a_bundle_with_a_bad_narrative_is_refused(facilitator, workshop, content, message):
    bundle = parse(export.workshop_bundle(workshop=workshop, now=NOW)[2])
    bundle["narrative"] = {
        "filename": "x.pdf",
        "content": content,
        "uploaded_at": "2026-12-01T09:00:00+00:00",
    }
    Workshop.objects.filter(pk=workshop.pk).delete()
    before = row_counts()
    from bundles.format import BundleError

    with pytest.raises(BundleError) as caught:
        importer.workshop_bundle_import(
            bundle=importer.bundle_read(seal(bundle)),
            importer=facilitator,
            on_conflict=importer.REFUSE,
        )
    assert caught.value.message == message
    assert row_counts() == before
