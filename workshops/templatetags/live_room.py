"""Template helpers of the live room: clocks, overruns, QR codes for the join screen."""

import hashlib
import threading
from collections import OrderedDict

from django import template
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode

from workshops import timer

register = template.Library()


@register.filter
def clock(seconds) -> str:
    """Seconds as m:ss (or h:mm:ss), "-" prefixed when over time."""
    if seconds is None or seconds == "":
        return ""
    return timer.clock_text(int(seconds))


@register.filter
def overrun(seconds) -> str:
    """An activity's overrun: "+4 min", "−2 min", "on plan"; empty when it has not run."""
    if seconds is None or seconds == "":
        return ""
    minutes = round(int(seconds) / 60)
    if minutes == 0:
        return "on plan"
    return f"+{minutes} min" if minutes > 0 else f"−{-minutes} min"


@register.filter
def with_steps(progress: dict, steps) -> list[tuple]:
    """An agent's progress ({step key: status}) as (step, status) pairs in board order, so a
    cell can carry its step's label (shown beside it when the table stacks on a phone)."""
    return [(step, progress.get(step.key)) for step in steps]


@register.simple_tag
def join_link(join_url: str, code: str) -> str:
    """The join page with the table's code filled in (what the QR code opens)."""
    return f"{join_url}?{urlencode({'code': code})}"


@register.simple_tag
def join_qr(join_url: str, code: str) -> str:
    """A data: URI of an SVG QR code opening the join page with the code filled in."""
    import segno

    qr = segno.make(join_link(join_url, code), error="m")
    return qr.svg_data_uri(border=2, dark="#000", light="#fff")


@register.simple_tag
def board_agents(row: dict, steps) -> str:
    """A table's agents x steps on the board, rendered once per table revision: kept with
    the table's rows (progress.TableRows), so a board re-rendered after work at one table
    renders that table's grid only."""
    key = "board_agents"
    html = row["fragments"].get(key)
    if html is None:
        context = {"row": row, "steps": steps}
        html = row["fragments"][key] = render_to_string(
            "workshops/room/_board_agents.html", context
        )
    return html  # the template engine's SafeString: escaped when rendered


# Join cards rendered for a facilitator's browser, by what they show (see board_join_card).
_JOIN_CARDS: OrderedDict[str, str] = OrderedDict()
_JOIN_CARDS_LOCK = threading.Lock()
JOIN_CARDS_KEPT = 512


@register.simple_tag(takes_context=True)
def board_join_card(context, row: dict) -> str:
    """A table's card under "Tables and joining" on the board: its code, lock and people with
    their presence. Rendered once per what it shows and per browser (its forms carry that
    browser's CSRF token), then kept: a board re-rendered after work at one table renders only
    the cards that changed."""
    request = context["request"]
    get_token(request)  # the browser's CSRF secret, made now when it has none yet
    table = row["table"]
    shown = (
        request.META["CSRF_COOKIE"],
        timezone.get_current_timezone_name(),
        context["workshop"].pk,
        table.pk,
        table.name,
        table.locked,
        table.join_code,
        tuple(
            (
                person.pk,
                person.display_name,
                person.present,
                person.last_seen_at.replace(second=0, microsecond=0)
                if person.last_seen_at
                else None,
            )
            for person in row["participants"]
        ),
    )
    key = hashlib.sha256(repr(shown).encode()).hexdigest()
    with _JOIN_CARDS_LOCK:
        html = _JOIN_CARDS.get(key)
        if html is not None:
            _JOIN_CARDS.move_to_end(key)
            return html
    html = render_to_string(
        "workshops/room/_board_join_card.html",
        {"row": row, "workshop": context["workshop"], "csrf_token": context["csrf_token"]},
    )
    with _JOIN_CARDS_LOCK:
        _JOIN_CARDS[key] = html
        while len(_JOIN_CARDS) > JOIN_CARDS_KEPT:
            _JOIN_CARDS.popitem(last=False)
    return html
