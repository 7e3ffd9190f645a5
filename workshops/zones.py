"""The workshop's own clock: where it happens (an IANA time zone) and when it starts. Every time
a page or document of a workshop shows is in its zone: the view (or document render) that has
resolved the workshop activates it; `common.middleware.TimeZoneMiddleware` puts the server's
zone back around every request."""

import datetime
import functools
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone


@functools.cache
def names() -> list[str]:
    """Every IANA zone this machine knows, sorted, for the workshop form."""
    return sorted(zoneinfo.available_timezones() - {"Factory", "localtime"})


def default_name() -> str:
    """The server's zone (settings.TIME_ZONE, from FINOPS_TIME_ZONE) for a new workshop."""
    return settings.TIME_ZONE


def validate_name(value: str) -> None:
    if value not in set(names()):
        raise ValidationError(
            f"“{value[:64]}” is not a time zone; choose one such as Europe/Berlin or "
            "America/New_York.",
            code="time_zone",
        )


def zone(workshop) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(workshop.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):  # a zone this machine lacks
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def activate(workshop) -> None:
    """Show every time of this request in the workshop's zone."""
    timezone.activate(zone(workshop))


def starts_at(workshop) -> datetime.datetime:
    """The workshop's planned start: its date and start time in its zone."""
    return datetime.datetime.combine(workshop.date, workshop.start_time, tzinfo=zone(workshop))


def label(workshop, moment: datetime.datetime | None = None) -> str:
    """The zone as people read it: "Europe/Berlin (CET)", the abbreviation of `moment` (default:
    the workshop's start)."""
    moment = moment or starts_at(workshop)
    short = moment.astimezone(zone(workshop)).tzname() or ""
    name = zone(workshop).key
    return name if short in ("", name) or short.startswith(("+", "-")) else f"{name} ({short})"
