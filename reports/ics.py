"""An iCalendar (RFC 5545) file of all-day events, written by hand.

Pure: no Django import. Text values are escaped (backslash, semicolon, comma, newline), lines end
in CRLF and are folded at 75 octets without splitting a UTF-8 character.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

CRLF = "\r\n"
MAX_OCTETS = 75
PRODID = "-//AI FinOps Workshop//Agent Economics Register//EN"


@dataclass(frozen=True)
class AllDayEvent:
    uid: str
    day: datetime.date
    summary: str
    description: str = ""
    categories: tuple[str, ...] = ()


def escape_text(value: str) -> str:
    """A TEXT value as RFC 5545 section 3.3.11 wants it."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets; continuations start with a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= MAX_OCTETS:
        return line
    pieces = []
    current = b""
    limit = MAX_OCTETS
    for char in line:
        octets = char.encode("utf-8")
        if len(current) + len(octets) > limit:
            pieces.append(current.decode("utf-8"))
            current = b""
            # The leading space of a continuation line counts towards its 75 octets.
            limit = MAX_OCTETS - 1
        current += octets
    pieces.append(current.decode("utf-8"))
    return (CRLF + " ").join(pieces)


def _stamp(moment: datetime.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("The stamp must carry a time zone.")
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(
    events: Iterable[AllDayEvent], *, name: str, stamp: datetime.datetime, zone: str = ""
) -> bytes:
    """The calendar file (UTF-8 bytes) with one all-day VEVENT per event; `zone` (an IANA
    name) is the calendar's own, for clients that show it."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        *([f"X-WR-TIMEZONE:{escape_text(zone)}"] if zone else []),
    ]
    dtstamp = _stamp(stamp)
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape_text(event.uid)}",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{event.day + datetime.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(event.summary)}",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        if event.categories:
            lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in event.categories))
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines).encode("utf-8")
