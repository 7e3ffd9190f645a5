import datetime
from decimal import Decimal

import pytest

from tests import factories
from workshops import guide, services
from workshops.concurrency import EditConflict
from workshops.models import ActionItem, AgendaItem, BreakoutTable, Participant, Workshop

pytestmark = pytest.mark.django_db


def revision(workshop) -> int:
    return Workshop.objects.get(pk=workshop.pk).revision


# --- workshop_create / workshop_touch / actions_schedule_guide --------------------------------


def test_workshop_create_seeds_agenda_prework_and_actions(facilitator):
    workshop = services.workshop_create(
        facilitator=facilitator,
        client_organisation="Acme Freight",
        date=datetime.date(2026, 12, 10),
        currency="EUR",
        usd_exchange_rate=Decimal("0.92"),
    )
    assert list(workshop.facilitators.all()) == [facilitator]
    assert workshop.status == "draft"
    assert workshop.agenda_items.count() == len(guide.AGENDA) == 13
    assert sum(workshop.agenda_items.values_list("planned_minutes", flat=True)) == 240
    assert list(workshop.prework_items.values_list("key", "status")) == [
        ("read-pillar-5", "open"),
        ("pillar-1-outputs", "open"),
        ("baseline-metrics", "open"),
        ("invite-finance", "open"),
    ]
    assert list(workshop.actions.values_list("origin_key", "due_date")) == [
        ("guide:register", datetime.date(2026, 12, 13)),
        ("guide:leadership", datetime.date(2026, 12, 17)),
        ("guide:forecast", datetime.date(2026, 12, 24)),
        ("guide:observability", datetime.date(2026, 12, 24)),
    ]


def test_workshop_touch_bumps_revision_by_one(workshop):
    before = revision(workshop)
    services.workshop_touch(workshop_id=workshop.pk)
    assert revision(workshop) == before + 1


def test_actions_schedule_guide_twice_adds_no_copies(workshop):
    services.actions_schedule_guide(workshop=workshop)
    assert workshop.actions.count() == 4


def test_actions_schedule_guide_keeps_done_actions_date(workshop):
    done = workshop.actions.get(origin_key="guide:register")
    ActionItem.objects.filter(pk=done.pk).update(status="done")
    workshop.date = datetime.date(2027, 1, 20)
    workshop.save()
    services.actions_schedule_guide(workshop=workshop)
    assert workshop.actions.get(pk=done.pk).due_date == datetime.date(2026, 12, 13)
    assert workshop.actions.get(origin_key="guide:leadership").due_date == datetime.date(
        2027, 1, 27
    )


# --- workshop_update -----------------------------------------------------------------------------


def test_workshop_update_saves_details_and_bumps_revision(workshop):
    before = revision(workshop)
    saved = services.workshop_update(
        workshop=workshop,
        values={"venue": "Harbour House", "status": "live", "usd_exchange_rate": Decimal("0.9")},
    )
    assert (saved.venue, saved.status, saved.usd_exchange_rate) == (
        "Harbour House",
        "live",
        Decimal("0.9"),
    )
    assert saved.revision > before


def test_workshop_update_new_date_redates_guide_actions(workshop):
    services.workshop_update(workshop=workshop, values={"date": datetime.date(2027, 2, 1)})
    assert list(workshop.actions.values_list("due_date", flat=True)) == [
        datetime.date(2027, 2, 4),
        datetime.date(2027, 2, 8),
        datetime.date(2027, 2, 15),
        datetime.date(2027, 2, 15),
    ]


def test_workshop_update_new_date_leaves_manual_actions(workshop):
    manual = services.action_create(
        workshop=workshop, owner="Ana", action="Send slides", due_date=datetime.date(2026, 12, 11)
    )
    services.workshop_update(workshop=workshop, values={"date": datetime.date(2027, 2, 1)})
    manual.refresh_from_db()
    assert manual.due_date == datetime.date(2026, 12, 11)


def test_workshop_update_refuses_unknown_field(workshop):
    with pytest.raises(ValueError, match="Not editable here: revision"):
        services.workshop_update(workshop=workshop, values={"revision": 99})
    assert revision(workshop) != 99


# --- tables -----------------------------------------------------------------------------------


def test_table_create_gives_code_and_next_position(workshop):
    first = services.table_create(workshop=workshop, name="Table A")
    second = services.table_create(workshop=workshop, name="Table B")
    assert (first.position, second.position) == (1, 2)
    assert len(first.join_code) == 10
    assert first.join_code != second.join_code


def test_table_rotate_code_replaces_code(workshop):
    table = factories.make_table(workshop=workshop)
    old = table.join_code
    services.table_rotate_code(table=table)
    table.refresh_from_db()
    assert table.join_code != old


def test_table_rename_keeps_code_and_bumps_revision(workshop):
    table = factories.make_table(workshop=workshop, name="Table A")
    code = table.join_code
    before = revision(workshop)
    services.table_rename(table=table, name="Tisch Ä")
    table.refresh_from_db()
    assert (table.name, table.join_code) == ("Tisch Ä", code)
    assert revision(workshop) == before + 1


def test_table_delete_unassigns_agents_and_removes_participants(workshop):
    table = factories.make_table(workshop=workshop, name="Table A")
    other = factories.make_table(workshop=workshop, name="Table B")
    seated = [factories.make_agent(table=table) for _ in range(3)]
    elsewhere = factories.make_agent(table=other)
    factories.make_participant(table=table)
    before = revision(workshop)
    assert services.table_delete(table=table) == 3
    assert not BreakoutTable.objects.filter(name="Table A").exists()
    assert [a.table_id for a in workshop.agents.filter(pk__in=[a.pk for a in seated])] == [None] * 3
    elsewhere.refresh_from_db()
    assert elsewhere.table_id == other.pk
    assert Participant.objects.filter(table__workshop=workshop).count() == 0
    assert revision(workshop) == before + 1


# --- agenda and pre-work ----------------------------------------------------------------------


def test_agenda_item_update_saves_minutes_and_notes(workshop):
    item = workshop.agenda_items.get(position=1)
    before = revision(workshop)
    services.agenda_item_update(item=item, planned_minutes=20, facilitator_notes="Start on time.")
    item.refresh_from_db()
    assert (item.planned_minutes, item.facilitator_notes) == (20, "Start on time.")
    assert revision(workshop) == before + 1


@pytest.mark.parametrize("minutes", [0, -5])
def test_agenda_item_update_refuses_minutes_below_one(workshop, minutes):
    item = workshop.agenda_items.get(position=1)
    with pytest.raises(ValueError, match="at least 1"):
        services.agenda_item_update(item=item, planned_minutes=minutes, facilitator_notes="x")
    assert AgendaItem.objects.get(pk=item.pk).planned_minutes == 15


def test_prework_update_marks_done_with_note(workshop):
    item = workshop.prework_items.get(key="invite-finance")
    before = revision(workshop)
    services.prework_update(item=item, status="done", note="CFO confirmed for 3pm.")
    item.refresh_from_db()
    assert (item.status, item.note) == ("done", "CFO confirmed for 3pm.")
    assert revision(workshop) == before + 1


def test_prework_update_refuses_unknown_status(workshop):
    item = workshop.prework_items.get(key="invite-finance")
    with pytest.raises(ValueError, match="Unknown pre-work status"):
        services.prework_update(item=item, status="maybe", note="")
    item.refresh_from_db()
    assert item.status == "open"


# --- actions ----------------------------------------------------------------------------------


def test_action_create_adds_manual_open_action(workshop):
    before = revision(workshop)
    item = services.action_create(
        workshop=workshop, owner="Ana", action="Send slides", due_date=datetime.date(2026, 12, 11)
    )
    assert (item.origin, item.status, item.origin_key, item.version) == ("manual", "open", "", 1)
    assert revision(workshop) == before + 1


def test_action_update_saves_and_moves_version(workshop):
    item = workshop.actions.get(origin_key="guide:register")
    saved = services.action_update(item=item, version=1, values={"status": "done"})
    assert (saved.status, saved.version) == ("done", 2)


def test_action_update_with_stale_version_raises_conflict_and_keeps_saved(workshop):
    item = workshop.actions.get(origin_key="guide:register")
    services.action_update(item=item, version=1, values={"owner": "First"})
    with pytest.raises(EditConflict) as raised:
        services.action_update(item=item, version=1, values={"owner": "Second"})
    assert raised.value.current.owner == "First"
    item.refresh_from_db()
    assert (item.owner, item.version) == ("First", 2)


def test_action_update_refuses_unknown_field(workshop):
    item = workshop.actions.first()
    with pytest.raises(ValueError, match="Not editable here: origin"):
        services.action_update(item=item, version=1, values={"origin": "manual"})
