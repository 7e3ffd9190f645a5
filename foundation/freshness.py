"""How old the catalogue's prices are against the day they are used for. No Django here: the
pages, the register and its exports all say it the same way."""

import datetime
from dataclasses import dataclass

# Prices change every few weeks; past this the catalogue misses published prices.
STALE_AFTER_DAYS = 90


@dataclass(frozen=True)
class PriceFreshness:
    """`as_of`: the newest date the catalogue's prices are known for (None: no prices).
    `reference`: the day they are used for (the workshop's date, or today)."""

    as_of: datetime.date | None
    reference: datetime.date
    reference_is_workshop: bool = False

    @property
    def days_old(self) -> int | None:
        return None if self.as_of is None else (self.reference - self.as_of).days

    @property
    def stale(self) -> bool:
        """More than STALE_AFTER_DAYS older than the day the prices are used for."""
        return self.days_old is not None and self.days_old > STALE_AFTER_DAYS

    def known_on(self, day: datetime.date) -> datetime.date:
        """The date a price looked up for `day` is actually known for: never later than what
        the catalogue reaches."""
        return day if self.as_of is None or day <= self.as_of else self.as_of

    def sentence(self) -> str:
        """'Prices as of 21 Aug 2026 (newest price in the catalogue).', plain text."""
        if self.as_of is None:
            return "The catalogue holds no prices."
        return f"Prices as of {_day(self.as_of)} (newest price in the catalogue)."

    def warning(self) -> str:
        """Why the prices may be out of date, or '' when they are not."""
        if not self.stale:
            return ""
        against = "the workshop's date" if self.reference_is_workshop else "today"
        return (
            f"The newest price in the catalogue is {self.days_old} days older than {against} "
            f"({_day(self.reference)}): prices published since are not in it, so costs may be "
            "overstated or understated. Import a fresh catalogue before relying on them."
        )


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"
