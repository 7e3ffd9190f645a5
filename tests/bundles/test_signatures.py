"""Sign-offs that cannot be forged through a bundle: the forgery of issue 11 step by step,
genuine bundles from this server and from trusted servers, tampered signatures, laundering a
void sign-off through a second export, version 1 bundles, and no account ever linked."""

import datetime
import html
import json
from io import BytesIO

import pypdf
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bundles import export, importer
from bundles import format as bundle_format
from bundles.format import BundleError
from common import signing
from reports import exporters
from reports.selectors import register_for
from targets import services as target_services
from targets.models import FinanceInvite, FinanceSignOff
from targets.selectors import agent_finance
from tests import factories
from tests.reports.conftest import make_signed_workshop
from workshops.models import Workshop

from .helpers import as_version_1, parse, row_counts, seal

NOW = datetime.datetime(2026, 12, 10, 17, 0, tzinfo=datetime.UTC)
SIGNED_AT = datetime.datetime(2026, 12, 10, 15, 30, tzinfo=datetime.UTC)
FINAL = "Final: every agent signed off by finance"
DRAFT = "Draft: 0 of 1 agent signed off"
UNVERIFIED = "Imported sign-off, not verified"
OTHER_KEY = Ed25519PrivateKey.generate()
OTHER_PEM = signing.private_key_pem(OTHER_KEY)
OTHER_PUBLIC = signing.public_key_text(OTHER_KEY.public_key())


@pytest.fixture
def signed(db):
    return make_signed_workshop()


@pytest.fixture
def ben(signed):
    return signed.facilitators.get()


@pytest.fixture
def gregor(db):
    """A real finance account of another workshop on this server."""
    other = factories.make_workshop(
        facilitator=factories.make_user(username="dora"), client_organisation="Other Co"
    )
    gregor = factories.make_user(username="gregor", first_name="Gregor", last_name="Grant")
    other.finance_reviewers.add(gregor)
    return gregor


def bundle_of(workshop) -> bytes:
    return export.workshop_bundle(workshop=workshop, now=NOW)[2]


def import_bytes(data: bytes, *, user, on_conflict=importer.REFUSE):
    return importer.workshop_bundle_import(
        bundle=importer.bundle_read(data), importer=user, on_conflict=on_conflict
    )


def register_page(client, user, workshop) -> str:
    client.force_login(user)
    response = client.get(reverse("reports:register", args=[workshop.pk]))
    assert response.status_code == 200
    return response.content.decode()


def pdf_text(workshop) -> str:
    reader = pypdf.PdfReader(BytesIO(exporters.register_pdf(workshop).content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def forge(data: bytes) -> dict:
    """The issue's forgery: the sign-off now names "Group CFO"; the plain SHA-256 checksum is
    recomputed by `seal`."""
    bundle = parse(data)
    bundle["signoffs"][-1]["signer_name"] = "Group CFO"
    return bundle


# --- The forgery of issue 11 ------------------------------------------------------------------


def test_forged_bundle_naming_an_account_of_this_server_is_refused(signed, ben, gregor):
    bundle = forge(bundle_of(signed))
    bundle["signoffs"][-1]["signer_user"] = "gregor"
    before = row_counts()

    with pytest.raises(BundleError) as caught:
        import_bytes(seal(bundle), user=ben, on_conflict=importer.COPY)

    assert caught.value.message == (
        "The bundle has a field this server does not know at signoffs[0]: “signer_user”."
    )
    assert row_counts() == before


@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize("on_conflict", [importer.COPY, importer.REPLACE])
def test_forged_bundle_is_not_final_and_links_no_account(
    client, signed, ben, gregor, version, on_conflict
):
    bundle = forge(bundle_of(signed))
    if version == 1:
        # Version 1 named accounts by username: the forger points them at Gregor.
        bundle = as_version_1(
            bundle, facilitators=["gregor"], finance_reviewers=["gregor"], signer_user="gregor"
        )

    result = import_bytes(seal(bundle), user=ben, on_conflict=on_conflict)

    workshop = result.workshop
    signoff = FinanceSignOff.objects.get(agent__workshop=workshop)
    assert (signoff.signer_name, signoff.status) == ("Group CFO", "valid")
    assert signoff.verification == "unverified"
    assert signoff.signer_user is None
    assert list(workshop.facilitators.all()) == [ben]
    assert list(workshop.finance_reviewers.all()) == []
    finance = agent_finance(agent_id=signoff.agent_id)
    assert (finance.status, finance.signoff, finance.is_signed_off) == ("unverified", None, False)
    page = register_page(client, ben, workshop)
    assert FINAL not in page
    assert DRAFT in page
    assert UNVERIFIED in page
    assert "Group CFO" in page
    assert Workshop.objects.filter(pk=signed.pk).exists() is (on_conflict == importer.COPY)
    assert result.warnings == [
        "The sign-off of “Order Entry Agent” (Group CFO) cannot be verified: its signature, or "
        "the bundle's seal, does not verify against a key this server trusts. It is kept as "
        "“imported, not verified” and does not count; finance can sign the agent off here."
    ]


@pytest.mark.slow
def test_forged_bundle_register_pdf_is_not_final(signed, ben, gregor):
    result = import_bytes(seal(forge(bundle_of(signed))), user=ben, on_conflict=importer.REPLACE)

    text = pdf_text(result.workshop)

    assert FINAL not in text
    assert f"Status {DRAFT}" in text
    assert UNVERIFIED in text


def test_forged_bundle_with_the_message_edited_too_is_not_verified(signed, ben):
    bundle = forge(bundle_of(signed))
    signoff = bundle["signoffs"][-1]
    message = json.loads(signoff["signed_message"])
    message["signer_name"] = "Group CFO"
    signoff["signed_message"] = json.dumps(message, sort_keys=True, separators=(",", ":"))

    result = import_bytes(seal(bundle), user=ben, on_conflict=importer.REPLACE)

    assert FinanceSignOff.objects.get(agent__workshop=result.workshop).verification == (
        "unverified"
    )


def test_forged_signature_of_the_forgers_own_key_is_not_verified(signed, ben):
    """A forger who signs the message with a key of their own (and seals the bundle with it)
    is not trusted here."""
    bundle = forge(bundle_of(signed))
    signoff = bundle["signoffs"][-1]
    message = json.loads(signoff["signed_message"])
    message["signer_name"] = "Group CFO"
    text = json.dumps(message, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    signoff["signed_message"] = text
    signoff["signature"] = signing.sign_with(OTHER_KEY, text.encode())
    signoff["public_key"] = OTHER_PUBLIC
    bundle["checksum"] = bundle_format.checksum(bundle)
    bundle["seal"] = {
        "public_key": OTHER_PUBLIC,
        "signature": signing.sign_with(OTHER_KEY, bundle_format.seal_message(bundle["checksum"])),
    }

    result = import_bytes(json.dumps(bundle).encode(), user=ben, on_conflict=importer.REPLACE)

    assert FinanceSignOff.objects.get(agent__workshop=result.workshop).verification == (
        "unverified"
    )


# --- Genuine bundles --------------------------------------------------------------------------


@pytest.mark.parametrize("on_conflict", [importer.REFUSE, importer.COPY])
def test_genuine_bundle_of_this_server_imports_verified_and_final(client, signed, ben, on_conflict):
    data = bundle_of(signed)
    if on_conflict == importer.REFUSE:
        signed.delete()

    result = import_bytes(data, user=ben, on_conflict=on_conflict)

    signoff = FinanceSignOff.objects.get(agent__workshop=result.workshop)
    assert (signoff.verification, signoff.signer_name) == ("verified", "Carla Cash")
    assert signoff.signer_user is None
    assert result.warnings == []
    assert FINAL in register_page(client, ben, result.workshop)


@pytest.mark.slow
def test_genuine_bundle_register_pdf_is_final(signed, ben):
    data = bundle_of(signed)
    signed.delete()

    result = import_bytes(data, user=ben)

    assert f"Status {FINAL}" in pdf_text(result.workshop)


def test_bundle_of_another_server_verifies_only_with_its_key_trusted(client, settings, db):
    settings.SIGNING_KEY = OTHER_PEM
    workshop = make_signed_workshop()
    data = bundle_of(workshop)
    ben = workshop.facilitators.get()
    workshop.delete()
    settings.SIGNING_KEY = ""  # back to this server's own key

    untrusted = import_bytes(data, user=ben)

    signoff = FinanceSignOff.objects.get(agent__workshop=untrusted.workshop)
    assert signoff.verification == "unverified"
    assert signoff.public_key == OTHER_PUBLIC
    assert FINAL not in register_page(client, ben, untrusted.workshop)

    untrusted.workshop.delete()
    settings.TRUSTED_SIGNING_KEYS = [OTHER_PUBLIC]
    trusted = import_bytes(data, user=ben)

    assert FinanceSignOff.objects.get(agent__workshop=trusted.workshop).verification == ("verified")
    assert FINAL in register_page(client, ben, trusted.workshop)


def test_trusted_key_may_be_listed_in_hex(settings, db):
    settings.SIGNING_KEY = OTHER_PEM
    workshop = make_signed_workshop()
    data = bundle_of(workshop)
    ben = workshop.facilitators.get()
    workshop.delete()
    settings.SIGNING_KEY = ""
    raw = signing.public_key_from_text(OTHER_PUBLIC).public_bytes_raw()
    settings.TRUSTED_SIGNING_KEYS = [raw.hex()]

    result = import_bytes(data, user=ben)

    assert FinanceSignOff.objects.get(agent__workshop=result.workshop).verification == ("verified")


# --- Tampering --------------------------------------------------------------------------------


def _reseal_as_this_server(bundle: dict) -> bytes:
    """The bundle with its checksum recomputed and sealed by this server, so that only the
    sign-off's own signature decides."""
    bundle["checksum"] = bundle_format.checksum(bundle)
    signature, public_key = signing.sign(bundle_format.seal_message(bundle["checksum"]))
    bundle["seal"] = {"public_key": public_key, "signature": signature}
    return json.dumps(bundle).encode()


def test_tampered_signed_values_with_the_original_signature_do_not_verify(signed, ben):
    bundle = parse(bundle_of(signed))
    signed.delete()
    signoff = bundle["signoffs"][-1]
    message = json.loads(signoff["signed_message"])
    values = json.loads(message["signed_values"])
    values["economics"]["build_cost"] = "1"
    signoff["signed_values"]["economics"]["build_cost"] = "1"
    signoff["signed_values_sha256"] = bundle_format.sha256(signoff["signed_values"])
    message["signed_values"] = bundle_format.canonical_json(values)
    message["values_sha256"] = bundle_format.sha256(values)
    signoff["signed_message"] = bundle_format.canonical_json(message)

    result = import_bytes(_reseal_as_this_server(bundle), user=ben)

    assert FinanceSignOff.objects.get(agent__workshop=result.workshop).verification == (
        "unverified"
    )


def test_resealed_bundle_with_genuine_parts_still_verifies(signed, ben):
    """The positive control of the tampering tests: resealing alone changes nothing."""
    bundle = parse(bundle_of(signed))
    signed.delete()

    result = import_bytes(_reseal_as_this_server(bundle), user=ben)

    assert FinanceSignOff.objects.get(agent__workshop=result.workshop).verification == ("verified")


def test_signature_moved_to_another_workshop_does_not_verify(signed, ben):
    bundle = parse(bundle_of(signed))
    signed.delete()
    bundle["workshop"]["uid"] = "0f6b0221-ecc3-4aac-9399-bfef1192771e"

    result = import_bytes(_reseal_as_this_server(bundle), user=ben)

    assert FinanceSignOff.objects.get(agent__workshop=result.workshop).verification == (
        "unverified"
    )


def test_signed_values_not_the_ones_carried_do_not_verify(signed, ben):
    bundle = parse(bundle_of(signed))
    signed.delete()
    signoff = bundle["signoffs"][-1]
    signoff["signed_values"]["agent"]["thesis"] = "Something finance never saw"
    signoff["signed_values_sha256"] = bundle_format.sha256(signoff["signed_values"])

    result = import_bytes(_reseal_as_this_server(bundle), user=ben)

    assert FinanceSignOff.objects.get(agent__workshop=result.workshop).verification == (
        "unverified"
    )


def test_unsealed_bundle_signoffs_are_not_verified(signed, ben):
    bundle = parse(bundle_of(signed))
    signed.delete()
    bundle["seal"] = None

    result = import_bytes(json.dumps(bundle).encode(), user=ben)

    assert FinanceSignOff.objects.get(agent__workshop=result.workshop).verification == (
        "unverified"
    )


def test_void_signoff_made_valid_again_stays_unverified_through_a_second_export(signed, ben):
    """Voiding is not signed per sign-off: the seal covers it, and a sign-off this server holds
    as unverified is exported as such, so a second export cannot launder it."""
    agent = signed.agents.get()
    target_services.signoff_reopen(agent=agent, reason="Check the volumes", voided_by=ben)
    bundle = parse(bundle_of(signed))
    bundle["signoffs"][0].update(status="valid", void_reason="", voided_at=None)

    first = import_bytes(seal(bundle), user=ben, on_conflict=importer.REPLACE)
    assert FinanceSignOff.objects.get(agent__workshop=first.workshop).verification == ("unverified")
    again = bundle_of(first.workshop)
    first.workshop.delete()
    second = import_bytes(again, user=ben)

    signoff = FinanceSignOff.objects.get(agent__workshop=second.workshop)
    assert (signoff.status, signoff.verification) == ("valid", "unverified")
    assert agent_finance(agent_id=signoff.agent_id).is_signed_off is False


# --- Version 1 --------------------------------------------------------------------------------


def test_version_1_bundle_imports_with_signoffs_not_verified(client, signed, ben, gregor):
    bundle = as_version_1(
        parse(bundle_of(signed)), facilitators=["ben", "gregor"], signer_user="carla"
    )
    signed.delete()

    result = import_bytes(seal(bundle), user=gregor)

    signoff = FinanceSignOff.objects.get(agent__workshop=result.workshop)
    assert (signoff.status, signoff.verification) == ("valid", "unverified")
    assert (signoff.signature, signoff.public_key, signoff.signed_message) == ("", "", "")
    assert signoff.signer_user is None
    assert list(result.workshop.facilitators.all()) == [gregor]
    page = register_page(client, gregor, result.workshop)
    assert FINAL not in page
    assert UNVERIFIED in page


def test_export_import_export_keeps_signatures_byte_for_byte(signed, ben):
    data = bundle_of(signed)
    original = FinanceSignOff.objects.get(agent__workshop=signed)
    signed.delete()

    result = import_bytes(data, user=ben)

    assert bundle_of(result.workshop) == data
    imported = FinanceSignOff.objects.get(agent__workshop=result.workshop)
    assert (imported.signed_message, imported.signature, imported.public_key) == (
        original.signed_message,
        original.signature,
        original.public_key,
    )


# --- In the browser ---------------------------------------------------------------------------


def test_import_preview_and_confirm_say_the_forged_signoff_is_not_verified(client, signed, ben):
    client.force_login(ben)
    data = seal(forge(bundle_of(signed)))

    preview = client.post(
        reverse("bundles:import"),
        {"file": SimpleUploadedFile("beta.finops.json", data, "application/json")},
    )

    page = html.unescape(preview.content.decode())
    assert preview.status_code == 200
    assert "The sign-off of “Order Entry Agent” (Group CFO) cannot be verified" in page
    token = preview.context["token"]
    confirmed = client.post(
        reverse("bundles:import_confirm"),
        {"token": token, "action": "import", "on_conflict": "copy"},
        follow=True,
    )
    assert "(Group CFO) cannot be verified" in html.unescape(confirmed.content.decode())
    copy = Workshop.objects.exclude(pk=signed.pk).get()
    assert FinanceSignOff.objects.get(agent__workshop=copy).verification == "unverified"


def test_forged_used_invite_is_not_a_finance_representative(signed, ben):
    bundle = parse(bundle_of(signed))
    bundle["finance_invites"].append(
        {
            "ref": "invite-forged",
            "name": "Group CFO",
            "title": "CFO",
            "created_at": "2026-12-10T09:00:00+00:00",
            "expires_at": "2026-12-11T09:00:00+00:00",
            "revoked_at": None,
            "used_at": "2026-12-10T10:00:00+00:00",
        }
    )

    result = import_bytes(seal(bundle), user=ben, on_conflict=importer.COPY)

    copy = register_for(result.workshop).finance_representatives
    # The edit breaks the seal, so the copy's sign-off (by Carla Cash) is not verified either.
    assert register_for(signed).finance_representatives == ["Carla Cash"]
    assert copy == []


def test_finance_representatives_name_invites_made_here_and_verified_signers(db):
    workshop = factories.make_workshop()
    facilitator = workshop.facilitators.get()
    here, _ = factories.make_finance_invite(workshop=workshop, name="Fran Ledger", title="CFO")
    FinanceInvite.objects.filter(pk=here.pk).update(created_by=facilitator, used_at=NOW)
    imported, _ = factories.make_finance_invite(workshop=workshop, name="Group CFO", title="CFO")
    FinanceInvite.objects.filter(pk=imported.pk).update(created_by=None, used_at=NOW)

    agent = factories.make_agent(workshop=workshop)
    for name, verification in (("Vera Verified", "verified"), ("Una Unverified", "unverified")):
        FinanceSignOff.objects.create(
            agent=agent,
            signer_name=name,
            signer_title="Controller",
            signed_at=NOW,
            values_sha256="0" * 64,
            signed_values="{}",
            status="void",
            verification=verification,
        )

    assert register_for(workshop).finance_representatives == [
        "Fran Ledger (CFO)",
        "Vera Verified (Controller)",
    ]
