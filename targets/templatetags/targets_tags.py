"""Block 4 template helpers: numbers and money as people write them, finance's feedback to a
table, and the workshop's finance validation line."""

from decimal import Decimal

from django import template

from common.numbers import significant
from targets import economics
from targets.models import FinanceChangeRequest, FinanceSignOff
from targets.selectors import agent_finance, workshop_finance

register = template.Library()


@register.filter
def plain(value) -> str:
    """1,250.5 rather than 1250.5000; "" for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, int | Decimal):
        return economics.plain(Decimal(value))
    return str(value)


@register.filter
def money(value) -> str:
    """12,500.00; small amounts keep two significant digits (0.0051), never 0.00;
    "" for None."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    if value and abs(value) < 1:
        return f"{significant(value)}"
    return f"{value:,.2f}"


@register.filter
def level_label(level: str) -> str:
    return {"floor": "Floor", "target": "Target", "stretch": "Stretch"}.get(level, level)


@register.inclusion_tag("targets/_finance_feedback_body.html")
def finance_feedback(agent, quiet=False):
    """Finance's sign-off (the lock, or what changed since it), the checklist before it, and
    change requests, for the agent's table. `quiet` (on the targets pages, which show the
    lock and the checklist themselves): only what finance asks, in two queries."""
    if not quiet:
        finance = agent_finance(agent_id=agent.pk)
        return {
            "agent": agent,
            "entry": finance,
            "signoff": finance.signoff,
            "last_void": next(iter(finance.voided_signoffs), None),
            "open_requests": finance.open_requests,
            "quiet": quiet,
        }
    signoffs = list(FinanceSignOff.objects.filter(agent_id=agent.pk).order_by("-signed_at", "-pk"))
    requests = list(
        FinanceChangeRequest.objects.filter(agent_id=agent.pk).order_by("-created_at", "-pk")
    )
    return {
        "agent": agent,
        "signoff": next((s for s in signoffs if s.in_force), None),
        "unverified": next((s for s in signoffs if s.is_valid and not s.is_verified), None),
        "last_void": next((s for s in signoffs if not s.is_valid), None),
        "open_requests": [r for r in requests if r.is_open],
        "quiet": quiet,
    }


@register.inclusion_tag("targets/_finance_status_line.html")
def finance_status(workshop, link: bool = True):
    """ "Finance validation: N of M agents signed off" for the workshop (seven queries)."""
    return {"workshop": workshop, "finance": workshop_finance(workshop=workshop), "link": link}


@register.filter
def dict_get(mapping, key):
    """mapping[key], or None."""
    if not mapping:
        return None
    return mapping.get(key)
