"""Reading and writing numbers in a workshop's number format: "1,234.56", "1.234,56" or
"1 234,56". One reader for every number a person types or imports, so "2,50" means the same
everywhere: two and a half where a comma is the decimal mark, refused (never 250) where a comma
separates thousands.

A number is refused when it does not fit the format: the message says how it was read and
how to write what was probably meant.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# Spaces people type or paste between thousands: space, no-break space, narrow no-break space.
SPACES = " \u00a0\u202f"
MINUS_SIGNS = "-\u2212"
FULL_WIDTH = {0xFF10 + i: ord("0") + i for i in range(10)} | {
    0xFF0C: ord(","),
    0xFF0E: ord("."),
    0xFF0D: ord("-"),
}


@dataclass(frozen=True)
class NumberFormat:
    key: str
    label: str  # how the format writes 1234.56
    group: str  # thousands separator
    decimal: str  # decimal mark

    def describe(self) -> str:
        group = "a space" if self.group == " " else f"“{self.group}”"
        return f"“{self.label}”: {group} between thousands, “{self.decimal}” before decimals"


COMMA_POINT = NumberFormat("comma-point", "1,234.56", ",", ".")
POINT_COMMA = NumberFormat("point-comma", "1.234,56", ".", ",")
SPACE_COMMA = NumberFormat("space-comma", "1 234,56", " ", ",")
FORMATS = {f.key: f for f in (COMMA_POINT, POINT_COMMA, SPACE_COMMA)}
DEFAULT = COMMA_POINT
CHOICES_BY_KEY = [(f.key, f.label) for f in FORMATS.values()]


class NumberError(ValueError):
    """The text is not a number in the format; the message says why, in words."""


def number_format(key: str | None) -> NumberFormat:
    return FORMATS.get(key or "", DEFAULT)


_GROUPED = re.compile(r"^\d{1,3}(?:G\d{3})+$")


def parse_number(text: str, fmt: NumberFormat = DEFAULT, *, example: str = "") -> Decimal:
    """The number `text` means in `fmt`. Raises NumberError for anything else: letters, two
    decimal marks, thousands groups that are not three digits ("2,50" where a comma separates
    thousands), or the other format's decimal mark ("8.5" where a comma is the decimal mark)."""
    original = str(text)
    # Full-width digits and marks ("１２", as some keyboards type them) and the digits of
    # other scripts ("١٢٠") read as the ASCII digits they are.
    raw = "".join(
        str(unicodedata.decimal(char)) if char.isdecimal() and not char.isascii() else char
        for char in original.translate(FULL_WIDTH)
    ).strip()
    if not raw:
        raise NumberError("Enter a number.")
    if len(raw) > 100:
        raise NumberError("That is too long for a number.")
    sign = ""
    if raw[0] in MINUS_SIGNS:
        sign, raw = "-", raw[1:].strip()
    for space in SPACES:
        if fmt.group == " ":
            raw = raw.replace(space, "G")
        elif space in raw:
            raise NumberError(_not_a_number(original, fmt, example, "it has a space in it"))
    other = "." if fmt.decimal == "," else ","
    if (
        fmt.group != " "
        and fmt.decimal in raw
        and fmt.group in raw
        and raw.index(fmt.decimal) < raw.rindex(fmt.group)
    ):
        swapped = raw.translate(str.maketrans({fmt.decimal: "", fmt.group: "."}))
        raise NumberError(
            f"Read in the {fmt.describe()} format, “{original.strip()}” has its decimal "
            "mark before a thousands separator, as in another format. Write "
            f"{_shown(swapped.replace('.', fmt.decimal), fmt)} in this format."
        )
    if fmt.group != " ":
        raw = raw.replace(fmt.group, "G")
    if not raw or not set(raw) <= set("0123456789G" + fmt.decimal + other):
        raise NumberError(_not_a_number(original, fmt, example, "it is not a number"))
    if other in raw and other != fmt.group:
        meant = raw.replace("G", "").replace(other, fmt.decimal)
        raise NumberError(
            f"Read in the {fmt.describe()} format, “{original.strip()}” is not a number. "
            f"Write {_shown(meant, fmt)} for a decimal number in this format."
        )
    whole, _, decimals = raw.partition(fmt.decimal)
    if fmt.decimal in decimals or "G" in decimals:
        raise NumberError(
            f"Read in the {fmt.describe()} format, “{original.strip()}” has separators after "
            "the decimal mark. Write it with one decimal mark, for example "
            f"{format_number(Decimal('1234.5'), fmt)}."
        )
    if "G" in whole and not _GROUPED.match(whole):
        digits = whole.replace("G", "")
        group = "a space" if fmt.group == " " else f"“{fmt.group}”"
        hint = ""
        if whole.count("G") == 1 and not decimals:
            left, right = whole.split("G")
            hint = f" If you meant {left}{fmt.decimal}{right}, write {left}{fmt.decimal}{right}."
        raise NumberError(
            f"Read in the {fmt.describe()} format, “{original.strip()}” is not a number: "
            f"{group} separates thousands, in groups of three digits "
            f"({format_number(Decimal(1234), fmt)}).{hint}"
        )
    digits = whole.replace("G", "")
    if not digits and not decimals:
        raise NumberError(_not_a_number(original, fmt, example, "it has no digits"))
    try:
        value = Decimal(f"{sign}{digits or '0'}.{decimals or '0'}")
    except InvalidOperation:  # pragma: no cover - the characters were checked above
        raise NumberError(_not_a_number(original, fmt, example, "it is not a number")) from None
    return value.normalize() if value == value.to_integral_value() else value


def _shown(plain: str, fmt: NumberFormat) -> str:
    try:
        return format_number(Decimal(plain.replace(fmt.decimal, ".")), fmt)
    except InvalidOperation:
        return plain


def _not_a_number(original: str, fmt: NumberFormat, example: str, why: str) -> str:
    example = example or format_number(Decimal("1234.5"), fmt)
    return (
        f"“{original.strip()[:40]}” is not a number ({why}). Write it in the "
        f"{fmt.describe()} format, for example {example}."
    )


def format_number(value: Decimal, fmt: NumberFormat = DEFAULT, *, places: int | None = None) -> str:
    """`value` written in `fmt`: thousands grouped, `places` decimals (all it has when None)."""
    value = Decimal(value)
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{value:,f}" if places is None else f"{value:,.{places}f}"
    return text.replace(",", "G").replace(".", fmt.decimal).replace("G", fmt.group)


def significant(value: Decimal, digits: int = 2) -> Decimal:
    """`value` rounded to `digits` significant digits for small amounts (0.00513 -> 0.0051),
    to cents for amounts from 1, so a small cost per task never shows as 0.00."""
    value = Decimal(value)
    if value == 0 or abs(value) >= 1:
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    exponent = value.adjusted() - digits + 1
    rounded = value.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP)
    if rounded.adjusted() > value.adjusted():  # 0.0999 -> 0.100: one digit too many
        rounded = rounded.quantize(Decimal(1).scaleb(exponent + 1))
    return rounded
