import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from agents.models import Agent
from tests import factories
from workshops.models import AgendaItem, BreakoutTable, Workshop

pytestmark = pytest.mark.django_db


def test_agent_name_unique_in_workshop_ignoring_case(workshop):
    factories.make_agent(workshop=workshop, name="Invoice Triage Agent")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_agent(workshop=workshop, name="INVOICE triage agent")
    assert Agent.objects.filter(workshop=workshop).count() == 1


def test_agent_name_may_repeat_in_another_workshop(workshop):
    other = factories.make_workshop()
    factories.make_agent(workshop=workshop, name="Invoice Triage Agent")
    factories.make_agent(workshop=other, name="Invoice Triage Agent")
    assert Agent.objects.filter(name="Invoice Triage Agent").count() == 2


def test_agent_priority_rank_below_one_refused(workshop):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_agent(workshop=workshop, priority_rank=0)
    assert Agent.objects.count() == 0


def test_agent_without_rank_allowed_and_listed_last(workshop):
    factories.make_agent(workshop=workshop, name="Unranked", priority_rank=None)
    factories.make_agent(workshop=workshop, name="Ranked", priority_rank=2)
    assert [a.name for a in Agent.objects.filter(workshop=workshop)] == ["Ranked", "Unranked"]


def test_agenda_item_zero_minutes_refused(workshop):
    item = workshop.agenda_items.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.filter(pk=item.pk).update(planned_minutes=0)
    item.refresh_from_db()
    assert item.planned_minutes == 15


def test_agenda_item_position_unique_in_workshop(workshop):
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(
            workshop=workshop, block=1, position=1, title="Twice", planned_minutes=5
        )
    assert workshop.agenda_items.count() == 13


def test_agenda_item_block_outside_one_to_four_refused(workshop):
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(
            workshop=workshop, block=5, position=99, title="Block five", planned_minutes=5
        )


def test_agenda_item_duration_includes_adjustment_never_negative(workshop):
    item = workshop.agenda_items.get(position=2)
    item.adjustment_seconds = 90
    assert item.duration_seconds == 30 * 60 + 90
    item.adjustment_seconds = -99_999
    assert item.duration_seconds == 0


def test_table_name_unique_in_workshop(workshop):
    factories.make_table(workshop=workshop, name="Table A")
    with pytest.raises(IntegrityError), transaction.atomic():
        BreakoutTable.objects.create(workshop=workshop, name="Table A", join_code="XYZ")
    assert workshop.tables.count() == 1


def test_table_name_may_repeat_in_another_workshop(workshop):
    factories.make_table(workshop=workshop, name="Table A")
    factories.make_table(workshop=factories.make_workshop(), name="Table A")
    assert BreakoutTable.objects.filter(name="Table A").count() == 2


def test_table_join_code_shown_in_groups(workshop):
    table = BreakoutTable(workshop=workshop, name="T", join_code="ABCDEFGHJK")
    assert table.join_code_display == "ABCDE-FGHJK"


@pytest.mark.parametrize("rate", [Decimal("0"), Decimal("-1.5")])
def test_workshop_exchange_rate_must_be_positive(workshop, rate):
    with pytest.raises(IntegrityError), transaction.atomic():
        Workshop.objects.filter(pk=workshop.pk).update(usd_exchange_rate=rate)
    workshop.refresh_from_db()
    assert workshop.usd_exchange_rate == Decimal("1")


def test_workshop_status_outside_choices_refused(workshop):
    with pytest.raises(IntegrityError), transaction.atomic():
        Workshop.objects.filter(pk=workshop.pk).update(status="paused")


def test_workshop_is_live_only_when_live(workshop):
    assert workshop.is_live is False
    workshop.status = Workshop.Status.LIVE
    assert workshop.is_live is True


def test_workshop_str_names_client_title_and_date(workshop):
    assert str(workshop) == "Acme Freight: AI FinOps Workshop (2026-12-10)"
    assert workshop.date == datetime.date(2026, 12, 10)
