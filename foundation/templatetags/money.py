"""Money and number display for the Block 1 tools: USD amounts shown in the workshop's currency."""

import re
from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}


def _group(value: Decimal, places: int) -> str:
    quantum = Decimal(1).scaleb(-places)
    return f"{value.quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"


def format_amount(value: Decimal) -> str:
    """Enough digits to read a small per-task cost, none wasted on a yearly total."""
    value = Decimal(value)
    size = abs(value)
    if size >= 100:
        return _group(value, 0)
    if size >= 1 or size == 0:
        return _group(value, 2)
    # Under one unit: four significant digits (0.01350, 0.0001234).
    places = max(2, 3 - size.adjusted())
    return _group(value, min(places, 10))


@register.filter
def money(value_usd, currency=None):
    """`{{ cost|money:currency }}`: a USD amount converted and formatted; `currency` is a
    foundation.currency.Currency (USD when missing)."""
    if value_usd is None or value_usd == "":
        return "–"
    value = Decimal(value_usd)
    code = "USD"
    if currency is not None:
        value = value * currency.rate
        code = currency.code
    symbol = SYMBOLS.get(code)
    amount = format_amount(value)
    if symbol:
        return f"-{symbol}{amount[1:]}" if amount.startswith("-") else f"{symbol}{amount}"
    return f"{code} {amount}"


_USD_AMOUNT = re.compile(r"\$(\d[\d,]*(?:\.\d+)?)")


@register.filter
def usd_amounts(text, currency=None):
    """`{{ example|usd_amounts:currency }}`: every "$1,250.50" in a text shown in the
    workshop's currency, converted at its rate; unchanged for USD or without a currency."""
    if not text or currency is None or currency.is_usd:
        return text
    return _USD_AMOUNT.sub(lambda m: money(Decimal(m[1].replace(",", "")), currency), text)


@register.filter
def usd_price(value):
    """A list price in USD per million tokens ($0.15, $2.50, $75.00)."""
    if value is None or value == "":
        return "–"
    value = Decimal(value)
    if value == 0 or abs(value) >= 1:
        return f"${_group(value, 2)}"
    text = format_amount(value).rstrip("0")
    whole, _, decimals = text.partition(".")
    return f"${whole}.{decimals.ljust(2, '0')}"


@register.filter
def tokens(value):
    """A token count grouped by thousands; millions and billions shortened."""
    if value is None or value == "":
        return "–"
    value = Decimal(value)
    for limit, suffix in (
        (Decimal(10) ** 12, "T"),
        (Decimal(10) ** 9, "B"),
        (Decimal(10) ** 6, "M"),
    ):
        if abs(value) >= limit:
            return f"{_group(value / limit, 2).rstrip('0').rstrip('.')}{suffix}"
    return _group(value, 0)


@register.filter
def times(value):
    """A ratio as '3.4x' (one decimal under 10, none above)."""
    if value is None or value == "":
        return "–"
    value = Decimal(value)
    return f"{_group(value, 1 if value < 10 else 0)}x"


@register.filter
def percent(value):
    """A share 0..1 as a whole percentage."""
    if value is None or value == "":
        return "–"
    return f"{_group(Decimal(value) * 100, 0)}%"


@register.filter
def plain(value):
    """A decimal without trailing zeros (0.920000 -> 0.92)."""
    if value is None or value == "":
        return "–"
    return f"{Decimal(value).normalize():f}"
