"""Template helpers of the live room: clocks, overruns, QR codes for the join screen."""

from django import template
from django.template.loader import render_to_string
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
def board_agents(row: dict, steps, large=False) -> str:
    """A table's agents x steps on the board, rendered once per table revision: kept with
    the table's rows (progress.TableRows), so a board re-rendered after work at one table
    renders that table's grid only."""
    key = ("board_agents", bool(large))
    html = row["fragments"].get(key)
    if html is None:
        context = {"row": row, "steps": steps, "large": large}
        html = row["fragments"][key] = render_to_string(
            "workshops/room/_board_agents.html", context
        )
    return html  # the template engine's SafeString: escaped when rendered
