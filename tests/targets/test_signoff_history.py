"""Sign-off history is append-only: no sign-off is deleted, in the admin or anywhere, except
with its whole workshop; an agent with sign-offs cannot be deleted; the admin shows
sign-offs read-only."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agents import services as agent_services
from agents.models import Agent
from targets import selectors, services
from targets.locks import AGENT_KEEPS_HISTORY
from targets.models import FinanceSignOff, SignOffHistoryKept
from targets.permissions import FinanceRole
from tests import factories
from workshops.models import Workshop


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def signed(table, finance_user):
    agent = factories.make_ready_agent(table=table, name="Invoice matcher")
    role = FinanceRole(workshop=agent.workshop, name="Fran Okafor", title="CFO", user=finance_user)
    services.signoff_record(
        agent=agent,
        role=role,
        title="CFO",
        seen_sha256=selectors.agent_finance(agent_id=agent.pk).sha256,
    )
    return agent


# --- The admin ---------------------------------------------------------------------------------


def test_admin_refuses_to_delete_a_signoff(admin_client, signed):
    signoff = FinanceSignOff.objects.get()
    url = reverse("admin:targets_financesignoff_delete", args=[signoff.pk])
    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert FinanceSignOff.objects.count() == 1


def test_admin_offers_no_bulk_delete_of_signoffs(admin_client, signed):
    signoff = FinanceSignOff.objects.get()
    url = reverse("admin:targets_financesignoff_changelist")
    page = text(admin_client.get(url))
    assert "delete_selected" not in page
    response = admin_client.post(
        url, {"action": "delete_selected", "_selected_action": [signoff.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302)
    assert FinanceSignOff.objects.count() == 1


def test_admin_shows_a_signoff_read_only(admin_client, signed):
    signoff = FinanceSignOff.objects.get()
    url = reverse("admin:targets_financesignoff_change", args=[signoff.pk])
    page = text(admin_client.get(url))
    assert signoff.values_sha256 in page
    assert 'name="_save"' not in page
    response = admin_client.post(url, {"signer_name": "Group CFO", "status": "void"})
    assert response.status_code == 403
    assert FinanceSignOff.objects.get().signer_name == "Fran Okafor"


def test_admin_refuses_to_delete_an_agent_with_signoffs(admin_client, signed):
    url = reverse("admin:agents_agent_delete", args=[signed.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Agent.objects.filter(pk=signed.pk).exists()


def test_admin_offers_no_bulk_delete_of_agents(admin_client, signed):
    url = reverse("admin:agents_agent_changelist")
    admin_client.post(url, {"action": "delete_selected", "_selected_action": [signed.pk]})
    assert Agent.objects.filter(pk=signed.pk).exists()


def test_admin_still_deletes_an_agent_without_signoffs(admin_client, table):
    agent = factories.make_agent(table=table, name="Never signed")
    url = reverse("admin:agents_agent_delete", args=[agent.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Agent.objects.filter(pk=agent.pk).exists()


# --- Code paths ---------------------------------------------------------------------------------


def test_signoff_delete_is_refused(signed):
    with pytest.raises(SignOffHistoryKept):
        FinanceSignOff.objects.get().delete()
    with pytest.raises(SignOffHistoryKept):
        FinanceSignOff.objects.filter(agent=signed).delete()
    assert FinanceSignOff.objects.count() == 1


def test_agent_delete_refused_while_signed(signed):
    with pytest.raises(ValidationError) as raised:
        agent_services.agent_delete(agent=signed)
    assert raised.value.messages == [AGENT_KEEPS_HISTORY]
    assert FinanceSignOff.objects.count() == 1


def test_agent_delete_refused_with_only_voided_signoffs(signed, facilitator):
    services.signoff_reopen(agent=signed, reason="Table revises targets", voided_by=facilitator)
    with pytest.raises(ValidationError):
        agent_services.agent_delete(agent=signed)
    assert FinanceSignOff.objects.get().status == "void"


def test_agent_delete_page_refuses_with_the_reason(facilitator_client, live_workshop, signed):
    url = reverse("agents:delete", args=[live_workshop.pk, signed.pk])
    response = facilitator_client.post(url)
    assert response.status_code == 409
    assert AGENT_KEEPS_HISTORY in text(response)
    assert Agent.objects.filter(pk=signed.pk).exists()


def test_workshop_delete_still_takes_its_signoffs(signed):
    Workshop.objects.get(pk=signed.workshop_id).delete()
    assert FinanceSignOff.objects.count() == 0


def test_reopen_keeps_the_voided_signoff(signed, facilitator):
    services.signoff_reopen(agent=signed, reason="Table revises targets", voided_by=facilitator)
    finance = selectors.agent_finance(agent_id=signed.pk)
    assert finance.signoff is None
    assert [(s.status, s.void_reason, s.voided_by) for s in finance.voided_signoffs] == [
        ("void", "Table revises targets", facilitator)
    ]


def test_admin_still_deletes_a_whole_workshop_with_its_signoffs(admin_client, signed):
    url = reverse("admin:workshops_workshop_delete", args=[signed.workshop_id])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert Workshop.objects.filter(pk=signed.workshop_id).exists() is False
    assert FinanceSignOff.objects.count() == 0
