"""Whoever runs a workshop never signs it off: a facilitator (or a superuser, who can run every
workshop) cannot be added as its finance reviewer, holds no finance role on it by any path, and
its sign-off is refused by the service and over HTTP."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from targets import selectors, services
from targets.models import FinanceSignOff
from targets.permissions import INVITE_SESSION_KEY, FinanceRole
from tests import factories
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


def revision(workshop) -> int:
    return Workshop.objects.get(pk=workshop.pk).revision


def role_for(user, workshop) -> FinanceRole:
    return FinanceRole(workshop=workshop, name=user.get_username(), title="CFO", user=user)


def sign(user, workshop, agent):
    return services.signoff_record(
        agent=agent,
        role=role_for(user, workshop),
        title="CFO",
        seen_sha256=selectors.agent_finance(agent_id=agent.pk).sha256,
    )


@pytest.fixture
def ready(table):
    return factories.make_ready_agent(table=table, name="Invoice matcher")


# --- Adding reviewers -----------------------------------------------------------------------------


def test_reviewer_add_facilitator_of_the_workshop_refused_by_the_service(
    live_workshop, facilitator
):
    before = revision(live_workshop)
    with pytest.raises(ValidationError) as refused:
        services.reviewer_add(workshop=live_workshop, user=facilitator)
    assert refused.value.messages == [
        "facilitator facilitates this workshop, so it cannot also review it for finance. Add a "
        "finance representative's own account, or send an invite link."
    ]
    assert list(live_workshop.finance_reviewers.all()) == []
    assert revision(live_workshop) == before


def test_reviewer_add_superuser_refused_by_the_service(live_workshop):
    root = factories.make_user(username="root", superuser=True)
    with pytest.raises(ValidationError) as refused:
        services.reviewer_add(workshop=live_workshop, user=root)
    assert refused.value.messages == [
        "root is a superuser, who can run every workshop, so it cannot review one for finance. "
        "Add a finance representative's own account."
    ]
    assert list(live_workshop.finance_reviewers.all()) == []


def test_reviewer_add_facilitator_of_another_workshop_is_allowed(live_workshop):
    elsewhere = factories.make_facilitator(username="elsewhere")
    factories.make_workshop(facilitator=elsewhere)
    services.reviewer_add(workshop=live_workshop, user=elsewhere)
    assert list(live_workshop.finance_reviewers.all()) == [elsewhere]


def test_reviewer_add_form_refuses_the_facilitator_itself(facilitator_client, live_workshop):
    url = reverse("targets:reviewer_add", args=[live_workshop.pk])
    response = facilitator_client.post(url, {"username": "facilitator"})
    assert response.status_code == 422
    assert (
        "facilitator facilitates this workshop, so it cannot also review it for finance."
        in html.unescape(response.text)
    )
    assert list(live_workshop.finance_reviewers.all()) == []


def test_reviewer_add_form_refuses_a_co_facilitator(facilitator_client, live_workshop):
    co_host = factories.make_facilitator(username="co-host")
    live_workshop.facilitators.add(co_host)
    url = reverse("targets:reviewer_add", args=[live_workshop.pk])
    response = facilitator_client.post(url, {"username": "co-host"})
    assert response.status_code == 422
    assert "co-host facilitates this workshop" in html.unescape(response.text)
    assert list(live_workshop.finance_reviewers.all()) == []


def test_reviewer_create_account_gets_no_facilitator_role(facilitator_client, live_workshop):
    url = reverse("targets:reviewer_create", args=[live_workshop.pk])
    response = facilitator_client.post(
        url,
        {
            "username": "fran",
            "full_name": "Fran Okafor",
            "email": "",
            "password": "a-long-unusual-passphrase-42",
        },
    )
    assert response.status_code == 302
    fran = live_workshop.finance_reviewers.get()
    assert (fran.username, fran.is_staff, fran.is_superuser) == ("fran", False, False)
    assert list(fran.groups.all()) == []
    assert fran.has_perm("workshops.add_workshop") is False
    browser = Client()
    browser.force_login(fran)
    assert browser.get(reverse("workshops:create")).status_code == 403


# --- Signing off ----------------------------------------------------------------------------------


def test_signoff_by_a_facilitator_of_the_workshop_refused_by_the_service(
    live_workshop, facilitator, ready
):
    # A reviewer row left from before the rule, or put there by hand.
    live_workshop.finance_reviewers.add(facilitator)
    before = revision(live_workshop)
    with pytest.raises(ValidationError) as refused:
        sign(facilitator, live_workshop, ready)
    assert refused.value.messages == [services.FACILITATOR_CANNOT_SIGN]
    assert FinanceSignOff.objects.count() == 0
    assert revision(live_workshop) == before


def test_signoff_by_a_superuser_refused_by_the_service(live_workshop, ready):
    root = factories.make_user(username="root", superuser=True)
    Workshop.finance_reviewers.through.objects.create(workshop=live_workshop, user=root)
    with pytest.raises(ValidationError) as refused:
        sign(root, live_workshop, ready)
    assert refused.value.messages == [services.FACILITATOR_CANNOT_SIGN]
    assert FinanceSignOff.objects.count() == 0


def test_signoff_by_a_facilitator_refused_over_http(
    facilitator_client, live_workshop, facilitator, ready
):
    live_workshop.finance_reviewers.add(facilitator)
    sha = selectors.agent_finance(agent_id=ready.pk).sha256
    response = facilitator_client.post(
        reverse("targets:signoff", args=[live_workshop.pk, ready.pk]),
        {f"s{ready.pk}-title": "CFO", f"s{ready.pk}-values_sha256": sha},
    )
    assert response.status_code == 404
    assert FinanceSignOff.objects.count() == 0
    review = reverse("targets:finance_review", args=[live_workshop.pk])
    assert facilitator_client.get(review).status_code == 404


def test_facilitator_holding_an_invite_in_the_same_browser_gets_no_finance_role(
    facilitator_client, live_workshop, ready
):
    invite, token = factories.make_finance_invite(workshop=live_workshop)
    services.invite_redeem(token=token)
    session = facilitator_client.session
    session[INVITE_SESSION_KEY] = {str(live_workshop.pk): invite.pk}
    session.save()
    sha = selectors.agent_finance(agent_id=ready.pk).sha256
    response = facilitator_client.post(
        reverse("targets:signoff", args=[live_workshop.pk, ready.pk]),
        {f"s{ready.pk}-title": "CFO", f"s{ready.pk}-values_sha256": sha},
    )
    assert response.status_code == 404
    assert FinanceSignOff.objects.count() == 0


def test_signoff_by_a_facilitator_of_another_workshop_who_reviews_this_one_is_recorded(
    live_workshop, ready
):
    elsewhere = factories.make_facilitator(username="elsewhere")
    factories.make_workshop(facilitator=elsewhere)
    services.reviewer_add(workshop=live_workshop, user=elsewhere)
    browser = Client()
    browser.force_login(elsewhere)
    sha = selectors.agent_finance(agent_id=ready.pk).sha256
    response = browser.post(
        reverse("targets:signoff", args=[live_workshop.pk, ready.pk]),
        {f"s{ready.pk}-title": "CFO", f"s{ready.pk}-values_sha256": sha},
    )
    assert response.status_code == 302
    assert list(FinanceSignOff.objects.values_list("signer_user__username", flat=True)) == [
        "elsewhere"
    ]
