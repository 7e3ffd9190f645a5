"""Upload pages (common.uploads): the whole body capped before it is read, one file in one
field, and what waits for the confirm step capped. Every upload page is tried."""

import hashlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from agents.import_files import MAX_FILE_BYTES
from bundles import format as bundle_format
from common.uploads import (
    TOO_MANY_FIELDS,
    PreviewTooLarge,
    body_limit,
    one_field_message,
    preview_drop,
    preview_fetch,
    preview_keep,
    too_large_message,
)
from foundation import imports as catalogue_imports
from foundation.views.catalogue_import import PENDING_MAX_ROWS
from tests.security.conftest import db_snapshot, snapshot_diff

pytestmark = pytest.mark.django_db

# Upload page -> (its file limit, a file name it takes)
PAGES = {
    "bundle": (bundle_format.MAX_BYTES, "w.finops.json"),
    "catalogue": (catalogue_imports.MAX_BYTES, "prices.json"),
    "pillar 1": (MAX_FILE_BYTES, "agents.csv"),
}
ONE_FIELD = one_field_message("file")


def _url(page: str, workshop) -> str:
    if page == "bundle":
        return reverse("bundles:import")
    if page == "catalogue":
        return reverse("foundation:catalogue_import")
    return reverse("agents:import", args=[workshop.pk])


def _file(name: str, size: int = 1024) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b" " * size, "application/octet-stream")


def _text(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.mark.parametrize("page", sorted(PAGES))
def test_upload_with_thirty_file_fields_is_refused_and_saves_nothing(
    facilitator_client, workshop, page
):
    _, filename = PAGES[page]
    data = {"file": _file(filename), **{f"file{i}": _file(filename) for i in range(29)}}
    before = db_snapshot()

    response = facilitator_client.post(_url(page, workshop), data)

    assert response.status_code == 400
    assert ONE_FIELD in _text(response)
    assert snapshot_diff(before, db_snapshot()) == []


@pytest.mark.parametrize("page", sorted(PAGES))
def test_upload_with_thirty_files_in_the_one_field_is_refused(facilitator_client, workshop, page):
    _, filename = PAGES[page]
    before = db_snapshot()

    response = facilitator_client.post(
        _url(page, workshop), {"file": [_file(filename) for _ in range(30)]}
    )

    assert response.status_code == 400
    assert ONE_FIELD in _text(response)
    assert snapshot_diff(before, db_snapshot()) == []


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("first", ["expected", "unexpected"])
def test_upload_with_a_second_unexpected_file_field_is_refused(
    facilitator_client, workshop, page, first
):
    _, filename = PAGES[page]
    fields = [("file", _file(filename)), ("attachment", _file("notes.txt"))]
    if first == "unexpected":
        fields.reverse()
    before = db_snapshot()

    response = facilitator_client.post(_url(page, workshop), dict(fields))

    assert response.status_code == 400
    assert ONE_FIELD in _text(response)
    assert snapshot_diff(before, db_snapshot()) == []


@pytest.mark.parametrize("page", sorted(PAGES))
def test_upload_in_another_field_alone_is_refused(facilitator_client, workshop, page):
    response = facilitator_client.post(_url(page, workshop), {"upload": _file("x.json")})
    assert response.status_code == 400
    assert ONE_FIELD in _text(response)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_upload_with_thousands_of_form_fields_is_refused(facilitator_client, workshop, page):
    _, filename = PAGES[page]
    data = {"file": _file(filename), **{f"note{i}": "x" for i in range(1_100)}}
    before = db_snapshot()

    response = facilitator_client.post(_url(page, workshop), data)

    assert response.status_code == 400
    assert TOO_MANY_FIELDS in _text(response)
    assert snapshot_diff(before, db_snapshot()) == []


@pytest.mark.parametrize("page", sorted(PAGES))
def test_upload_body_over_the_cap_is_413_before_it_is_read(facilitator_client, workshop, page):
    """The test client's body is small and says it is large: reading it would fail the test
    (the fake input refuses to read past its end), so a 413 proves it was never read."""
    limit, filename = PAGES[page]
    before = db_snapshot()

    response = facilitator_client.post(
        _url(page, workshop),
        {"file": _file(filename)},
        CONTENT_LENGTH=str(body_limit(limit) + 1),
    )

    assert response.status_code == 413
    assert too_large_message(limit) in _text(response)
    assert snapshot_diff(before, db_snapshot()) == []


def test_upload_body_cap_is_the_file_limit_and_half_again_plus_the_form():
    assert body_limit(20 * 1024 * 1024) == 30 * 1024 * 1024 + 64 * 1024
    assert too_large_message(20 * 1024 * 1024) == (
        "The upload is far larger than this page accepts (at most 20 MB for the file). "
        "Nothing was read or saved; choose the right file and upload it again."
    )


@pytest.mark.parametrize("page", sorted(PAGES))
def test_upload_pages_still_check_csrf(facilitator, workshop, page):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(facilitator)
    _, filename = PAGES[page]
    response = browser.post(_url(page, workshop), {"file": _file(filename)})
    assert response.status_code == 403


def test_upload_refused_page_has_no_inline_script(facilitator_client, workshop):
    response = facilitator_client.post(
        reverse("bundles:import"), {"file": _file("a.json"), "other": _file("b.json")}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "<script>" not in page and "style=" not in page
    assert f'<a href="{reverse("bundles:import")}">Back to the upload page</a>' in page


# --- What waits for the confirm step ----------------------------------------------------------


def test_preview_keep_returns_what_was_kept_to_its_owner_only(db):
    token = preview_keep(owner="bundles:1", content=b"bundle bytes")
    assert preview_fetch(owner="bundles:1", token=token) == b"bundle bytes"
    assert preview_fetch(owner="bundles:2", token=token) is None
    preview_drop(owner="bundles:1", token=token)
    assert preview_fetch(owner="bundles:1", token=token) is None


MB = 1024 * 1024


def _incompressible(size: int) -> bytes:
    digests = (hashlib.sha256(str(i).encode()).digest() for i in range(size // 32 + 1))
    return b"".join(digests)[:size]


def test_preview_keep_refuses_more_than_its_limit(db):
    with pytest.raises(PreviewTooLarge) as refused:
        preview_keep(owner="bundles:1", content=_incompressible(1024 * 1024 + 1), max_bytes=MB)
    assert str(refused.value) == (
        "This file holds too much to keep for the confirm step (more than 1 MB once "
        "compressed). Split it into smaller files and import them one after another."
    )


def test_catalogue_with_too_many_models_for_the_confirm_step_is_refused(facilitator_client):
    entry = {"mode": "chat", "input_cost_per_token": 0.000001, "output_cost_per_token": 0.000002}
    document = {
        f"model-{i}": {**entry, "litellm_provider": "acme"} for i in range(PENDING_MAX_ROWS + 1)
    }
    upload = SimpleUploadedFile("prices.json", json.dumps(document).encode())
    before = db_snapshot()

    response = facilitator_client.post(reverse("foundation:catalogue_import"), {"file": upload})

    assert response.status_code == 422
    assert response.context["form"].errors["file"] == [
        "This catalogue lists 10,001 models to import, more than can wait for the confirm "
        "step (at most 10,000 models and 2 MB). Choose only the providers you need and upload "
        "it again. Nothing was imported."
    ]
    assert "token" not in response.context
    assert snapshot_diff(before, db_snapshot()) == []
