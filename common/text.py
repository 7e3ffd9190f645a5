"""The one text rule for every free-text input on every path: forms, imports and bundles.

Text may hold tab and newline (a CRLF pair counts as one newline and is stored as LF), but no
other control character: no C0 control, no DEL, no C1 control. Such characters cannot be
shown, break spreadsheets and PDFs, and PostgreSQL cannot store NUL.

A name (of an agent, a table, a participant, a KPI, a signer, a workshop, a model: anything
that identifies a person or a thing in a list) additionally holds no invisible formatting
character: no bidirectional override or isolate, no zero-width character and no other format
character, so that one name cannot be made to look like another.

`text_problem` and `name_problem` are pure; `validate_text` and `validate_name` wrap them as
Django validators for forms.
"""

import unicodedata

from django.core.exceptions import ValidationError

TAB, NEWLINE, CARRIAGE_RETURN = "\t", "\n", "\r"

# Blank-looking characters that are letters or symbols to Unicode, not format characters.
INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Characters that break a name onto another line.
LINE_SEPARATORS = frozenset("\u2028\u2029")


def normalise_newlines(value: str) -> str:
    """`value` with every CRLF pair as LF (browsers send textarea lines as CRLF)."""
    return value.replace("\r\n", "\n")


def _code(char: str) -> str:
    return f"U+{ord(char):04X}"


def _is_control(char: str) -> bool:
    point = ord(char)
    return point < 0x20 or 0x7F <= point <= 0x9F


def _is_hidden_in_name(char: str) -> bool:
    if char in INVISIBLE_LETTERS or char in LINE_SEPARATORS:
        return True
    # Cf: format characters (bidi overrides and isolates, zero-width characters, BOM, soft
    # hyphen, tags...); Cs: halves of a broken surrogate pair; Co: private use, shown as
    # anything a font likes; Cn: not assigned to any character.
    return unicodedata.category(char) in {"Cf", "Cs", "Co", "Cn"}


def text_problem(value: str) -> str | None:
    """What is wrong with free text, in words a participant can act on, or None.

    Allowed: tab, newline and CR as part of CRLF. Refused: any other C0 control, DEL and the
    C1 controls; the message names the first one and its position (counting from 1)."""
    for index, char in enumerate(value):
        if not _is_control(char) or char in (TAB, NEWLINE):
            continue
        if char == CARRIAGE_RETURN and value[index + 1 : index + 2] == NEWLINE:
            continue
        return f"contains a control character ({_code(char)}) at position {index + 1}; remove it"
    return None


def name_problem(value: str) -> str | None:
    """What is wrong with a name, or None: the text rule, and no invisible formatting
    character that could make one name look like another."""
    if problem := text_problem(value):
        return problem
    for index, char in enumerate(value):
        if _is_hidden_in_name(char):
            label = unicodedata.name(char, "").lower()
            what = f"{_code(char)}, {label}" if label else _code(char)
            return (
                f"contains an invisible formatting character ({what}) at position {index + 1}, "
                "which can make one name look like another; remove it"
            )
    return None


def sentence(problem: str) -> str:
    """A problem as a sentence on its own, beside the field it is about."""
    return f"This text {problem}."


def validate_text(value) -> None:
    """Django validator: the text rule."""
    if isinstance(value, str) and (problem := text_problem(value)):
        raise ValidationError(sentence(problem), code="control_character")


def validate_name(value) -> None:
    """Django validator: the text rule and the stricter rule for names."""
    if isinstance(value, str) and (problem := name_problem(value)):
        raise ValidationError(sentence(problem), code="hidden_character")
