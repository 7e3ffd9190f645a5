"""Every sign-off made here is signed with the server's key; an imported sign-off that is not
verified is shown as such everywhere, neither locks the agent nor counts, and finance can sign
the agent off here; the admin and `signing_key` show the server's public key."""

import datetime
import html
import importlib
import json

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from common import signing
from targets import locks, selectors, services, signatures
from targets.models import FinanceSignOff
from targets.permissions import FinanceRole
from tests import factories

AT = datetime.datetime(2026, 12, 10, 15, 30, 0, 123456, tzinfo=datetime.UTC)


@pytest.fixture
def ready(table):
    return factories.make_ready_agent(table=table, name="Invoice matcher")


@pytest.fixture
def finance_user(live_workshop):
    user = factories.make_user(username="fran", first_name="Fran", last_name="Okafor")
    live_workshop.finance_reviewers.add(user)
    return user


def sign(agent, user, *, now=AT) -> FinanceSignOff:
    return services.signoff_record(
        agent=agent,
        role=FinanceRole(workshop=agent.workshop, name=user.get_full_name(), title="", user=user),
        title="CFO",
        seen_sha256=selectors.agent_finance(agent_id=agent.pk).sha256,
        now=now,
    )


def as_imported_unverified(signoff: FinanceSignOff) -> FinanceSignOff:
    """What the bundle importer stores for a sign-off whose signature it cannot trust."""
    FinanceSignOff.objects.filter(pk=signoff.pk).update(verification="unverified")
    signoff.refresh_from_db()
    return signoff


def text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


# --- Signing ----------------------------------------------------------------------------------


def test_signoff_record_signs_with_the_server_key(ready, finance_user, live_workshop):
    signoff = sign(ready, finance_user)

    assert signoff.verification == "verified"
    assert signoff.public_key == signing.server_public_key()
    assert signatures.signature_trusted(
        signed_message=signoff.signed_message,
        signature=signoff.signature,
        public_key=signoff.public_key,
    )
    parts = signatures.message_parts(signoff.signed_message)
    assert parts == {
        "purpose": "ai-finops-workshop finance sign-off 1",
        "workshop_uid": str(live_workshop.uid),
        "signer_name": "Fran Okafor",
        "signer_title": "CFO",
        "signed_at": AT,
        "values_sha256": signoff.values_sha256,
        "signed_values": signoff.signed_values,
    }
    assert json.loads(parts["signed_values"])["agent"]["id"] == ready.pk


def test_signoff_message_binds_the_moment_to_the_microsecond(ready, finance_user):
    signoff = sign(ready, finance_user)
    signoff.refresh_from_db()
    rebuilt = signatures.signoff_message(
        workshop_uid=ready.workshop.uid,
        signer_name=signoff.signer_name,
        signer_title=signoff.signer_title,
        signed_at=signoff.signed_at,
        values_sha256=signoff.values_sha256,
        signed_values=signoff.signed_values,
    )
    assert rebuilt == signoff.signed_message


def test_signature_of_a_changed_message_does_not_verify(ready, finance_user):
    signoff = sign(ready, finance_user)
    changed = signoff.signed_message.replace("Fran Okafor", "Group CFO")
    assert not signatures.signature_trusted(
        signed_message=changed, signature=signoff.signature, public_key=signoff.public_key
    )


@pytest.mark.parametrize(
    "edit",
    [
        lambda parts: parts.update(purpose="something else"),
        lambda parts: parts.pop("workshop_uid"),
        lambda parts: parts.update(extra="x"),
        lambda parts: parts.update(signer_name=1),
        lambda parts: parts.update(values_sha256="0" * 64),
        lambda parts: parts.update(signed_at="yesterday"),
        lambda parts: parts.update(signed_at="2026-12-10T15:30:00"),
    ],
    ids=["purpose", "missing", "extra", "not text", "sha", "moment", "no offset"],
)
def test_message_parts_refuse_what_is_not_a_signoff_message(ready, finance_user, edit):
    parts = json.loads(sign(ready, finance_user).signed_message)
    edit(parts)
    assert signatures.message_parts(json.dumps(parts)) is None


@pytest.mark.parametrize("message", ["", "not json", "[]", "{" * 5000])
def test_message_parts_refuse_what_is_not_json_of_one(message):
    assert signatures.message_parts(message) is None


def test_sign_existing_signoffs_migration_signs_with_the_server_key(ready, finance_user):
    signoff = sign(ready, finance_user)
    expected = (signoff.signed_message, signoff.signature, signoff.public_key)
    FinanceSignOff.objects.filter(pk=signoff.pk).update(
        signed_message="", signature="", public_key="", verification="unverified"
    )
    migration = importlib.import_module("targets.migrations.0002_signoff_signature")

    migration.sign_existing_signoffs(apps, None)

    signoff.refresh_from_db()
    assert (signoff.signed_message, signoff.signature, signoff.public_key) == expected
    assert signoff.verification == "verified"


# --- An imported sign-off that is not verified ------------------------------------------------


def test_unverified_signoff_neither_locks_nor_counts(ready, finance_user, live_workshop):
    signoff = as_imported_unverified(sign(ready, finance_user))

    assert locks.agent_is_locked(ready) is False
    locks.refuse_if_locked(ready)  # no AgentLocked
    finance = selectors.agent_finance(agent_id=ready.pk)
    assert (finance.signoff, finance.unverified_signoff) == (None, signoff)
    assert (finance.status, finance.status_label) == (
        "unverified",
        "Imported sign-off, not verified",
    )
    assert finance.is_signed_off is False
    assert selectors.workshop_finance(workshop=live_workshop).summary == (
        "Finance validation: 0 of 1 agents signed off"
    )
    kpi = ready.kpis.first()
    services.targets_set(
        kpi=kpi,
        version=kpi.value_target.version,
        values={
            "floor_6m": kpi.value_target.floor_6m,
            "target_6m": kpi.value_target.target_6m,
            "stretch_6m": kpi.value_target.stretch_6m,
            "floor_12m": kpi.value_target.floor_12m,
            "target_12m": kpi.value_target.target_12m,
            "stretch_12m": kpi.value_target.stretch_12m,
            "assumptions": "Changed after the import.",
        },
    )


def test_unverified_signoff_cannot_be_reopened(ready, finance_user, facilitator):
    as_imported_unverified(sign(ready, finance_user))
    with pytest.raises(ValidationError) as caught:
        services.signoff_reopen(agent=ready, reason="Look again", voided_by=facilitator)
    assert caught.value.messages == ["This agent is not signed off, so there is nothing to reopen."]


def test_finance_signs_off_here_after_an_unverified_import(ready, finance_user):
    imported = as_imported_unverified(sign(ready, finance_user, now=AT))

    here = sign(ready, finance_user, now=AT + datetime.timedelta(hours=1))

    finance = selectors.agent_finance(agent_id=ready.pk)
    assert (finance.signoff, finance.status) == (here, "signed")
    assert [s.pk for s in finance.signoffs] == [here.pk, imported.pk]
    assert locks.agent_is_locked(ready) is True


def test_only_one_signoff_in_force_per_agent(ready, finance_user):
    signoff = sign(ready, finance_user)
    with pytest.raises(Exception) as caught:
        FinanceSignOff.objects.create(
            agent=ready,
            signer_name="Second",
            signer_title="CFO",
            signed_at=AT,
            values_sha256=signoff.values_sha256,
            signed_values=signoff.signed_values,
        )
    assert type(caught.value).__name__ == "IntegrityError"


UNVERIFIED_BANNER = (
    "<strong>Imported, not verified.</strong> A workshop bundle says Fran Okafor (CFO) signed"
)


def test_finance_page_shows_the_unverified_signoff_and_offers_signing(
    live_workshop, ready, finance_user
):
    as_imported_unverified(sign(ready, finance_user))
    browser = Client()
    browser.force_login(finance_user)

    page = text(browser.get(reverse("targets:finance_review", args=[live_workshop.pk])))

    assert UNVERIFIED_BANNER in page
    assert "Imported sign-off, not verified" in page
    assert "imported, not verified</span>" in page  # the history
    assert f"Sign off {ready.name}</button>" in page
    assert "Finance validation: 0 of 1 agents signed off" in page


def test_facilitator_status_page_shows_the_unverified_signoff(
    facilitator_client, live_workshop, ready, finance_user
):
    as_imported_unverified(sign(ready, finance_user))

    page = text(facilitator_client.get(reverse("targets:finance_status", args=[live_workshop.pk])))

    assert UNVERIFIED_BANNER in page
    assert "Finance validation: 0 of 1 agents signed off" in page
    assert "Reopen for the table" not in page


def test_table_agent_page_shows_the_unverified_signoff_and_stays_editable(
    table_client, ready, finance_user
):
    as_imported_unverified(sign(ready, finance_user))

    page = text(table_client.get(reverse("targets:agent", args=[ready.pk])))

    assert UNVERIFIED_BANNER in page
    assert 'id="read-only"' not in page


# --- The server's key in the admin and on the command line ------------------------------------


def test_admin_signoff_list_shows_the_server_public_key(client, ready, finance_user):
    sign(ready, finance_user)
    client.force_login(factories.make_user(username="root", superuser=True))
    public_key = signing.server_public_key()

    page = text(client.get(reverse("admin:targets_financesignoff_changelist")))

    assert f"Public key: <code>{public_key}</code>" in page
    assert f"Fingerprint: <code>{signing.fingerprint(public_key)}</code>" in page


def test_admin_signoff_page_shows_its_signature(client, ready, finance_user):
    signoff = sign(ready, finance_user)
    client.force_login(factories.make_user(username="root", superuser=True))

    page = text(client.get(reverse("admin:targets_financesignoff_change", args=[signoff.pk])))

    assert signoff.signature in page
    assert signoff.public_key in page
    assert signing.fingerprint(signoff.public_key) in page
    assert "Verified" in page


def test_signing_key_command_prints_the_public_key(capsys, db):
    call_command("signing_key", "--public")
    assert capsys.readouterr().out == f"{signing.server_public_key()}\n"


def test_signing_key_command_prints_fingerprint_and_trusted_keys(capsys, settings, db):
    other = "A" * 43 + "="
    settings.TRUSTED_SIGNING_KEYS = [other]
    public_key = signing.server_public_key()

    call_command("signing_key")

    assert capsys.readouterr().out == (
        f"Public key:  {public_key}\n"
        f"Fingerprint: {signing.fingerprint(public_key)}\n"
        f"Trusted:     {other} ({signing.fingerprint(other)})\n"
    )


def test_workshop_page_counts_the_unverified_signoff_apart(
    facilitator_client, live_workshop, ready, finance_user
):
    as_imported_unverified(sign(ready, finance_user))

    page = text(facilitator_client.get(reverse("workshops:detail", args=[live_workshop.pk])))

    assert "<strong>Finance validation: 0 of 1 agents signed off</strong>" in page
    assert '<span class="badge warn">1 imported, not verified</span>' in page
