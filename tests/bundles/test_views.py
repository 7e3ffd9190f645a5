import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import formats, timezone

from bundles import export, importer
from bundles.views import EXPIRED
from common.uploads import preview_fetch
from targets.models import FinanceSignOff
from tests import factories
from workshops.models import Workshop

from .conftest import SCRIPT
from .helpers import row_counts

NOW = datetime.datetime(2026, 12, 10, 17, 0, tzinfo=datetime.UTC)
IMPORT = reverse("bundles:import")
CONFIRM = reverse("bundles:import_confirm")


def bundle_of(workshop) -> bytes:
    return export.workshop_bundle(workshop=workshop, now=NOW)[2]


def upload(client, data: bytes, name: str = "acme-freight-2026-12-10.finops.json"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data, "application/json")})


def errors_of(response) -> str:
    return response.content.decode()


# --- Export -----------------------------------------------------------------------------------


def test_export_page_shows_what_the_bundle_holds(facilitator_client, rich_workshop):
    response = facilitator_client.get(reverse("bundles:export_page", args=[rich_workshop.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Download acme-freight-2026-12-10.finops.json" in page
    assert '<tr><th scope="row">Agents</th><td class="num">3</td></tr>' in page
    assert '<th scope="row">Finance sign-offs (valid)</th><td class="num">1</td>' in page


def test_workshop_page_links_to_export(facilitator_client, workshop):
    response = facilitator_client.get(reverse("workshops:detail", args=[workshop.pk]))
    url = reverse("bundles:export_page", args=[workshop.pk])
    assert f'<a class="button" href="{url}">Export / move</a>' in response.content.decode()


def test_export_download_is_the_bundle(facilitator_client, rich_workshop):
    response = facilitator_client.get(reverse("bundles:export_download", args=[rich_workshop.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        'attachment; filename="acme-freight-2026-12-10.finops.json"'
    )
    downloaded = json.loads(response.content)
    assert downloaded["checksum"] == json.loads(bundle_of(rich_workshop))["checksum"]


def test_export_download_refused_when_a_signoff_was_changed_by_hand(
    facilitator_client, rich_workshop
):
    FinanceSignOff.objects.filter(status="valid").update(signed_values="{}")
    url = reverse("bundles:export_download", args=[rich_workshop.pk])
    response = facilitator_client.get(url, follow=True)
    assert response.redirect_chain == [
        (reverse("bundles:export_page", args=[rich_workshop.pk]), 302)
    ]
    assert "its stored values were changed by hand. Nothing was exported." in (
        response.content.decode()
    )


@pytest.mark.parametrize("name", ["bundles:export_page", "bundles:export_download"])
def test_export_of_someone_elses_workshop_is_404(client, workshop, name):
    client.force_login(factories.make_user(username="other"))
    assert client.get(reverse(name, args=[workshop.pk])).status_code == 404


@pytest.mark.parametrize("name", ["bundles:export_page", "bundles:export_download"])
def test_export_needs_sign_in(client, workshop, name):
    url = reverse(name, args=[workshop.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("method", ["get", "post"])
def test_import_needs_sign_in(client, db, method):
    url = IMPORT if method == "get" else CONFIRM
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_export_download_only_by_get(facilitator_client, workshop):
    url = reverse("bundles:export_download", args=[workshop.pk])
    assert facilitator_client.post(url).status_code == 405


# --- Import: upload and preview ---------------------------------------------------------------


def test_import_page_shows_the_upload_form(facilitator_client):
    response = facilitator_client.get(IMPORT)
    assert response.status_code == 200
    assert (
        '<label for="id_file">Workshop bundle (.finops.json)</label>' in response.content.decode()
    )


def test_import_upload_shows_a_preview_and_saves_nothing(facilitator_client, rich_workshop):
    data = bundle_of(rich_workshop)
    rich_workshop.delete()
    before = row_counts()

    response = upload(facilitator_client, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<strong>Acme Freight</strong>: AI FinOps Workshop, Thursday 10 December 2026." in page
    assert '<tr><th scope="row">Agents</th><td class="num">3</td></tr>' in page
    assert '<tr><th scope="row">KPIs</th><td class="num">3</td></tr>' in page
    assert '<td class="num">1 valid, 1 void</td>' in page
    assert "exported 10 Dec 2026, 17:00 UTC." in page
    assert "You become its only facilitator: facilitator. No account of this server" in page
    assert "already exists here" not in page
    assert row_counts() == before


def test_import_preview_shows_the_conflict_choice(facilitator_client, rich_workshop):
    response = upload(facilitator_client, bundle_of(rich_workshop))
    page = response.content.decode()
    when = formats.date_format(
        timezone.localtime(importer.workshop_last_changed(rich_workshop)), "j M Y, H:i T"
    )
    assert (
        f"This workshop already exists here (last changed {when}): replace it, import it as a "
        "copy, or cancel." in page
    )
    assert 'value="replace"' in page
    assert 'value="copy"' in page


def test_import_preview_offers_only_a_copy_to_others(client, rich_workshop):
    client.force_login(factories.make_facilitator(username="stranger"))
    page = upload(client, bundle_of(rich_workshop)).content.decode()
    assert 'value="replace"' not in page
    assert 'value="copy"' in page
    assert "Only one of its facilitators can replace the workshop that is here." in page


def test_import_preview_shows_html_as_text(facilitator_client, facilitator):
    workshop = factories.make_workshop(facilitator=facilitator, client_organisation=SCRIPT)
    data = bundle_of(workshop)
    workshop.delete()
    page = upload(facilitator_client, data).content.decode()
    assert "<strong>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;</strong>" in page
    assert SCRIPT not in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"not json",
            "This file is not a workshop bundle: it is not valid JSON (line 1, column 1).",
        ),
        (b"", "The file is empty."),
        (
            b'{"format": "ai-finops-workshop-bundle", "version": 3}',
            "This bundle was made by a newer version of the app (bundle version 3); this "
            "server reads version 2. Update this server, then import again.",
        ),
    ],
)
def test_import_upload_refuses_a_bad_file(facilitator_client, db, data, message):
    before = row_counts()
    response = upload(facilitator_client, data)
    assert response.status_code == 422
    page = response.content.decode()
    assert f"<p>{message}</p>" in page
    assert "<p>Nothing was imported.</p>" in page
    assert row_counts() == before


def test_import_upload_refuses_an_edited_bundle(facilitator_client, workshop):
    bundle = json.loads(bundle_of(workshop))
    bundle["workshop"]["venue"] = "Somewhere else"
    workshop.delete()
    response = upload(facilitator_client, json.dumps(bundle).encode())
    assert response.status_code == 422
    assert (
        "The bundle was changed after it was exported: its checksum does not match its contents."
        in response.content.decode()
    )


def test_import_upload_refuses_a_bundle_this_server_cannot_hold(facilitator_client, workshop):
    bundle = json.loads(bundle_of(workshop))
    bundle["agenda_items"][0]["planned_minutes"] = -5
    from bundles import format as bundle_format

    bundle["checksum"] = bundle_format.checksum(bundle)
    workshop.delete()
    response = upload(facilitator_client, json.dumps(bundle).encode())
    assert response.status_code == 422
    assert (
        "The bundle has a wrong value at agenda_items[0].planned_minutes: Ensure this value is "
        "greater than or equal to 0." in response.content.decode()
    )
    assert Workshop.objects.count() == 0


def test_import_upload_refuses_a_file_over_20_mb(facilitator_client, db):
    before = row_counts()
    response = upload(facilitator_client, b" " * (25 * 1024 * 1024))
    assert response.status_code == 422
    assert (
        "<p>The file is larger than 20 MB; a workshop bundle is far smaller.</p>"
        in response.content.decode()
    )
    assert row_counts() == before


def test_import_upload_without_a_file(facilitator_client):
    response = facilitator_client.post(IMPORT, {})
    assert response.status_code == 422
    assert "<p>Choose the bundle file to import.</p>" in response.content.decode()


# --- Import: confirm --------------------------------------------------------------------------


def token_of(response) -> str:
    return response.context["token"]


def test_import_confirm_creates_the_workshop(client, rich_workshop):
    data = bundle_of(rich_workshop)
    rich_workshop.delete()
    newcomer = factories.make_facilitator(username="central-admin")
    client.force_login(newcomer)
    token = token_of(upload(client, data))

    response = client.post(CONFIRM, {"token": token, "action": "import"}, follow=True)

    workshop = Workshop.objects.get()
    assert response.redirect_chain == [(reverse("workshops:detail", args=[workshop.pk]), 302)]
    assert "Workshop imported: Acme Freight, AI FinOps Workshop." in response.content.decode()
    assert list(workshop.facilitators.values_list("username", flat=True)) == ["central-admin"]
    # The upload is used once.
    again = client.post(CONFIRM, {"token": token, "action": "import"})
    assert again.status_code == 422
    assert EXPIRED in again.content.decode()
    assert Workshop.objects.count() == 1


def test_import_confirm_replace(facilitator_client, rich_workshop):
    token = token_of(upload(facilitator_client, bundle_of(rich_workshop)))
    response = facilitator_client.post(
        CONFIRM, {"token": token, "action": "import", "on_conflict": "replace"}, follow=True
    )
    workshop = Workshop.objects.get()
    assert workshop.pk != rich_workshop.pk
    assert workshop.uid == rich_workshop.uid
    assert "Workshop replaced the one that was here: Acme Freight" in response.content.decode()


def test_import_confirm_copy(facilitator_client, rich_workshop):
    token = token_of(upload(facilitator_client, bundle_of(rich_workshop)))
    facilitator_client.post(CONFIRM, {"token": token, "action": "import", "on_conflict": "copy"})
    assert sorted(Workshop.objects.values_list("title", flat=True)) == [
        "AI FinOps Workshop",
        "AI FinOps Workshop (copy)",
    ]


def test_import_confirm_without_a_choice_on_conflict_asks_again(facilitator_client, rich_workshop):
    token = token_of(upload(facilitator_client, bundle_of(rich_workshop)))
    before = row_counts()
    response = facilitator_client.post(CONFIRM, {"token": token, "action": "import"})
    assert response.status_code == 409
    page = response.content.decode()
    assert '<div class="form-errors" role="alert"><p>This workshop already exists here' in page
    assert row_counts() == before


def test_import_confirm_replace_by_someone_else_is_refused(client, rich_workshop):
    client.force_login(factories.make_facilitator(username="stranger"))
    token = token_of(upload(client, bundle_of(rich_workshop)))
    before = row_counts()
    response = client.post(CONFIRM, {"token": token, "action": "import", "on_conflict": "replace"})
    assert response.status_code == 422
    assert "you are not one of its facilitators, so you cannot replace it." in (
        response.content.decode()
    )
    assert row_counts() == before


def test_import_confirm_with_an_unknown_choice(facilitator_client, rich_workshop):
    token = token_of(upload(facilitator_client, bundle_of(rich_workshop)))
    response = facilitator_client.post(
        CONFIRM, {"token": token, "action": "import", "on_conflict": "merge"}
    )
    assert response.status_code == 422
    assert "Choose whether to replace it or import a copy." in response.content.decode()
    assert Workshop.objects.count() == 1


def test_import_cancel_forgets_the_upload(facilitator_client, workshop):
    data = bundle_of(workshop)
    workshop.delete()
    token = token_of(upload(facilitator_client, data))
    before = row_counts()

    response = facilitator_client.post(CONFIRM, {"token": token, "action": "cancel"}, follow=True)

    assert response.redirect_chain == [(IMPORT, 302)]
    assert "Import cancelled; nothing was imported." in response.content.decode()
    assert row_counts() == before
    owner = f"bundles:{response.wsgi_request.user.pk}"
    assert preview_fetch(owner=owner, token=token) is None


def test_import_confirm_of_another_users_upload_is_refused(client, workshop):
    data = bundle_of(workshop)
    workshop.delete()
    client.force_login(factories.make_facilitator(username="first"))
    token = token_of(upload(client, data))
    client.force_login(factories.make_facilitator(username="second"))
    response = client.post(CONFIRM, {"token": token, "action": "import"})
    assert response.status_code == 422
    assert EXPIRED in response.content.decode()
    assert Workshop.objects.count() == 0


@pytest.mark.parametrize("token", ["", "short", "x" * 65, "../../etc"])
def test_import_confirm_with_a_bad_token(facilitator_client, token):
    response = facilitator_client.post(CONFIRM, {"token": token, "action": "import"})
    assert response.status_code == 422
    assert EXPIRED in response.content.decode()
