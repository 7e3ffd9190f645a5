"""Notices the presenter shows above the run controls, from the apps that know about them.

A higher app provides a function from its `AppConfig.ready()`:

    from workshops import notices
    notices.provide(finance_presence_notice)

called with the workshop, its run state (`live.run_state`) and the time; it returns None or a
`Notice`. The presenter lists the notices of every provider in the order they were provided.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Notice:
    title: str
    text: str
    # "blocking": the facilitator should act before going on (shown as an alert).
    level: str = "warning"
    link: str = ""
    link_text: str = ""
    key: str = ""  # an id for the notice's element


PROVIDERS: list[Callable[..., Notice | None]] = []


def provide(function: Callable[..., Notice | None]) -> None:
    if function not in PROVIDERS:
        PROVIDERS.append(function)


def for_presenter(*, workshop, run: dict, now: datetime.datetime) -> list[Notice]:
    found = (provider(workshop=workshop, run=run, now=now) for provider in PROVIDERS)
    return [notice for notice in found if notice is not None]
