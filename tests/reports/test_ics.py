import datetime

import icalendar
import pytest

from reports import exporters, ics
from tests import factories
from workshops import services
from workshops.models import ActionItem

STAMP = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)


def _lines(content: bytes) -> list[bytes]:
    assert content.endswith(b"\r\n")
    return content[:-2].split(b"\r\n")


def test_escape_text_escapes_backslash_semicolon_comma_and_newlines():
    assert ics.escape_text("a\\b;c,d\ne\r\nf\rg") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"


def test_fold_keeps_short_lines():
    assert ics.fold("SUMMARY:short") == "SUMMARY:short"


def test_fold_splits_at_75_octets_without_breaking_characters():
    line = "SUMMARY:" + "é" * 100
    folded = ics.fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(piece[1:] if i else piece for i, piece in enumerate(pieces)) == line


def test_calendar_lines_end_in_crlf_and_stay_within_75_octets():
    events = [
        ics.AllDayEvent(
            uid="action-1@ai-finops-workshop",
            day=datetime.date(2026, 12, 13),
            summary="Validate targets, with leadership; then report\nback " + "x" * 120,
            description="Line one\nLine two, with a comma; and a semicolon \\ backslash",
        )
    ]
    content = ics.calendar(events, name="Acme: actions", stamp=STAMP)
    assert b"\n" not in content.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in _lines(content))


def test_calendar_parses_with_exact_values():
    summary = "Validate targets, with leadership; then report\nback " + "ü" * 60
    events = [
        ics.AllDayEvent(
            uid="action-7@ai-finops-workshop",
            day=datetime.date(2026, 12, 13),
            summary=summary,
            description="Owner: Client Finance",
            categories=("Post-workshop action",),
        )
    ]
    calendar = icalendar.Calendar.from_ical(ics.calendar(events, name="Acme", stamp=STAMP))
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == "action-7@ai-finops-workshop"
    assert str(event["SUMMARY"]) == summary
    assert str(event["DESCRIPTION"]) == "Owner: Client Finance"
    assert event.decoded("DTSTART") == datetime.date(2026, 12, 13)
    assert event.decoded("DTEND") == datetime.date(2026, 12, 14)
    assert event.decoded("DTSTAMP") == STAMP
    assert str(calendar["VERSION"]) == "2.0"


def test_calendar_refuses_a_naive_stamp():
    with pytest.raises(ValueError):
        ics.calendar([], name="x", stamp=datetime.datetime(2026, 1, 1))


def test_actions_ics_has_one_event_per_open_action(workshop):
    done = workshop.actions.get(origin_key="guide:register")
    ActionItem.objects.filter(pk=done.pk).update(status=ActionItem.Status.DONE)
    services.action_create(
        workshop=workshop,
        owner="Client IT; Ops, EMEA",
        action="Check the =HYPERLINK() export, then\nreport",
        due_date=datetime.date(2026, 12, 31),
        status=ActionItem.Status.IN_PROGRESS,
    )
    export = exporters.actions_ics(workshop)
    assert export.content_type == "text/calendar; charset=utf-8"
    assert export.filename == "post-workshop-actions-acme-freight-2026-12-10.ics"
    calendar = icalendar.Calendar.from_ical(export.content)
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [
        "Validate targets with leadership (Client Finance)",
        "Build cost forecast models (OAIO Team)",
        "Confirm observability tool requirements (Client IT)",
        "Check the =HYPERLINK() export, then\nreport (Client IT; Ops, EMEA)",
    ]
    assert [e.decoded("DTSTART") for e in events] == [
        datetime.date(2026, 12, 17),
        datetime.date(2026, 12, 24),
        datetime.date(2026, 12, 24),
        datetime.date(2026, 12, 31),
    ]
    assert all(len(line) <= 75 for line in _lines(export.content))


def test_actions_ics_uid_is_stable_per_action(workshop):
    first = icalendar.Calendar.from_ical(exporters.actions_ics(workshop).content)
    action = workshop.actions.get(origin_key="guide:leadership")
    services.action_update(
        item=action, version=action.version, values={"due_date": datetime.date(2027, 1, 5)}
    )
    second = icalendar.Calendar.from_ical(exporters.actions_ics(workshop).content)
    uids = [str(e["UID"]) for e in first.walk("VEVENT")]
    assert sorted(uids) == sorted(str(e["UID"]) for e in second.walk("VEVENT"))
    assert f"action-{action.pk}@ai-finops-workshop" in uids
    assert len(set(uids)) == 4


def test_actions_ics_with_no_open_actions_is_an_empty_calendar(db):
    workshop = factories.make_workshop()
    workshop.actions.update(status=ActionItem.Status.DONE)
    calendar = icalendar.Calendar.from_ical(exporters.actions_ics(workshop).content)
    assert calendar.walk("VEVENT") == []
