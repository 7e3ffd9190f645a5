"""Finance in the room for Block 4: the presenter warns while Block 4 runs and nobody from
finance has had the finance review open in the last 30 minutes; the projector's finance view
names who is here."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from targets import services
from targets.models import FinancePresence
from targets.permissions import FinanceRole
from tests import factories
from workshops import live
from workshops.models import AgendaItem, Workshop

pytestmark = pytest.mark.django_db

WARNING = "Block 4 needs finance in the room"


def to_block_4(workshop):
    live.run_start(workshop=workshop)
    while True:
        workshop.refresh_from_db()
        if workshop.current_item.block == AgendaItem.Block.TARGETS:
            return
        live.run_next(workshop=workshop)


def presenter(facilitator_client, workshop) -> str:
    return facilitator_client.get(reverse("workshops:presenter", args=[workshop.pk])).text


def test_block_4_without_finance_shows_the_blocking_warning_with_the_invite_link(
    facilitator_client, live_workshop
):
    to_block_4(live_workshop)
    page = presenter(facilitator_client, live_workshop)
    assert WARNING in page
    assert 'id="notice-finance-absent"' in page
    assert 'role="alert"' in page
    status = reverse("targets:finance_status", args=[live_workshop.pk])
    assert f'href="{status}#invites-heading">Invite finance now</a>' in page


def test_no_warning_before_block_4(facilitator_client, live_workshop):
    live.run_start(workshop=live_workshop)
    assert WARNING not in presenter(facilitator_client, live_workshop)


def test_finance_account_opening_the_review_clears_the_warning_and_is_named_on_the_projector(
    facilitator_client, live_workshop, finance_client
):
    to_block_4(live_workshop)
    assert WARNING in presenter(facilitator_client, live_workshop)
    review = finance_client.get(reverse("targets:finance_review", args=[live_workshop.pk]))
    assert review.status_code == 200
    assert WARNING not in presenter(facilitator_client, live_workshop)
    live.projector_show(workshop=live_workshop, view="finance")
    projector = facilitator_client.get(reverse("workshops:projector", args=[live_workshop.pk]))
    assert "Finance in the room: <strong>Fran Okafor</strong>" in projector.text


def test_invite_holder_opening_the_review_counts_as_present(facilitator_client, live_workshop):
    to_block_4(live_workshop)
    _invite, token = factories.make_finance_invite(workshop=live_workshop, name="Ana <CFO>")
    browser = Client()
    browser.post(reverse("targets:invite", args=[token]))
    browser.get(reverse("targets:finance_review", args=[live_workshop.pk]))
    assert WARNING not in presenter(facilitator_client, live_workshop)
    live.projector_show(workshop=live_workshop, view="finance")
    projector = facilitator_client.get(reverse("workshops:projector", args=[live_workshop.pk]))
    assert "<strong>Ana &lt;CFO&gt;</strong> (CFO)" in projector.text


def test_presence_older_than_30_minutes_no_longer_counts(
    facilitator_client, live_workshop, finance_user
):
    to_block_4(live_workshop)
    role = FinanceRole(workshop=live_workshop, name="Fran Okafor", title="", user=finance_user)
    services.finance_seen(role=role, now=timezone.now() - datetime.timedelta(minutes=31))
    assert WARNING in presenter(facilitator_client, live_workshop)
    services.finance_seen(role=role, now=timezone.now() - datetime.timedelta(minutes=29))
    assert WARNING not in presenter(facilitator_client, live_workshop)


def test_finance_seen_writes_once_a_minute_and_announces_only_an_arrival(
    live_workshop, finance_user
):
    role = FinanceRole(workshop=live_workshop, name="Fran Okafor", title="", user=finance_user)
    start = timezone.now()

    def revisions():
        return Workshop.objects.values_list("board_revision", "work_revision").get(
            pk=live_workshop.pk
        )

    before = revisions()
    services.finance_seen(role=role, now=start)
    arrived = revisions()
    assert arrived == (before[0] + 1, before[1] + 1)
    services.finance_seen(role=role, now=start + datetime.timedelta(seconds=30))
    assert FinancePresence.objects.get().last_seen_at == start
    services.finance_seen(role=role, now=start + datetime.timedelta(minutes=5))
    assert FinancePresence.objects.get().last_seen_at == start + datetime.timedelta(minutes=5)
    assert revisions() == arrived  # still present: nothing new to show
    services.finance_seen(role=role, now=start + datetime.timedelta(minutes=50))
    assert revisions() == (arrived[0] + 1, arrived[1] + 1)  # back after being away


def test_presence_of_one_workshop_does_not_count_for_another(facilitator_client, live_workshop):
    other = factories.make_workshop()
    reviewer = factories.make_user(username="olga")
    other.finance_reviewers.add(reviewer)
    services.finance_seen(role=FinanceRole(workshop=other, name="Olga", title="", user=reviewer))
    to_block_4(live_workshop)
    assert WARNING in presenter(facilitator_client, live_workshop)
