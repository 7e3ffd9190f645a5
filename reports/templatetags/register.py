"""Filters for the register's documents."""

from decimal import Decimal

from django import template

from reports.charts import format_number

register = template.Library()


@register.filter
def number(value) -> str:
    """A Decimal or int as an exact, readable label ("12,500", "0.25"); "" for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, int | Decimal):
        return format_number(Decimal(value))
    return str(value)


@register.filter
def hash_prefix(value: str, length: int = 12) -> str:
    """The first characters of a SHA-256 digest, enough to compare with the signed record."""
    return (value or "")[: int(length)]


@register.simple_tag
def suggestion(entry, horizon, level) -> str:
    """The suggested value of a KPI entry (targets.selectors.KpiTargets) at a horizon and level,
    as an exact label; "" when there is none."""
    return number(entry.suggestions.get((int(horizon), level)))


@register.filter
def forecast_month(rows, month):
    """The forecast row of `month` (1-based), or None."""
    month = int(month)
    return rows[month - 1] if 0 < month <= len(rows) else None


@register.filter
def forecast_total(totals, month):
    month = int(month)
    return totals[month - 1] if 0 < month <= len(totals) else None
