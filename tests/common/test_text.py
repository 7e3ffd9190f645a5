"""The one text rule (common.text): which characters free text and names may hold."""

import pytest
from django.core.exceptions import ValidationError

from common.text import (
    name_problem,
    normalise_newlines,
    text_problem,
    validate_name,
    validate_text,
)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "Invoice matcher",
        "Line one\nline two",
        "Line one\r\nline two",
        "Column\tcolumn",
        "Zoë Ødegaard, 東京, Ωmega, café",
        "<script>alert(1)</script>",
        "=1+1",
        "save money 💰",
    ],
)
def test_text_problem_none_for_ordinary_text(value):
    assert text_problem(value) is None
    assert name_problem(value) is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("abcd\x07e", "contains a control character (U+0007) at position 5; remove it"),
        ("\x1b[31mred", "contains a control character (U+001B) at position 1; remove it"),
        ("nul\x00", "contains a control character (U+0000) at position 4; remove it"),
        ("old mac\rline", "contains a control character (U+000D) at position 8; remove it"),
        ("ends in CR\r", "contains a control character (U+000D) at position 11; remove it"),
        ("vertical\x0btab", "contains a control character (U+000B) at position 9; remove it"),
        ("unit\x1fsep", "contains a control character (U+001F) at position 5; remove it"),
        ("del\x7f", "contains a control character (U+007F) at position 4; remove it"),
        ("c1\x85next line", "contains a control character (U+0085) at position 3; remove it"),
        ("c1\x9fend", "contains a control character (U+009F) at position 3; remove it"),
    ],
)
def test_text_problem_names_the_first_control_character_and_its_position(value, problem):
    assert text_problem(value) == problem
    assert name_problem(value) == problem


@pytest.mark.parametrize(
    ("value", "code_and_name", "position"),
    [
        ("Sam\u202e", "U+202E, right-to-left override", 4),
        ("\u202aSam", "U+202A, left-to-right embedding", 1),
        ("S\u2066am", "U+2066, left-to-right isolate", 2),
        ("Sa\u2069m", "U+2069, pop directional isolate", 3),
        ("Sam\u200b", "U+200B, zero width space", 4),
        ("S\u200cam", "U+200C, zero width non-joiner", 2),
        ("S\u200dam", "U+200D, zero width joiner", 2),
        ("S\u2060am", "U+2060, word joiner", 2),
        ("\ufeffSam", "U+FEFF, zero width no-break space", 1),
        ("S\u00adam", "U+00AD, soft hyphen", 2),
        ("Sam\u200f", "U+200F, right-to-left mark", 4),
        ("Sam\u3164", "U+3164, hangul filler", 4),
        ("Sam\u2028Pat", "U+2028, line separator", 4),
        ("Sam\U000e0041", "U+E0041, tag latin capital letter a", 4),
        ("Sam\ue000", "U+E000", 4),
    ],
)
def test_name_problem_refuses_invisible_formatting_characters(value, code_and_name, position):
    assert text_problem(value) is None
    assert name_problem(value) == (
        f"contains an invisible formatting character ({code_and_name}) at position {position}, "
        "which can make one name look like another; remove it"
    )


def test_normalise_newlines_turns_crlf_into_lf_only():
    assert normalise_newlines("a\r\nb\r\n\nc") == "a\nb\n\nc"
    assert normalise_newlines("a\rb") == "a\rb"


def test_validate_text_raises_a_sentence():
    with pytest.raises(ValidationError) as refused:
        validate_text("a\x07b")
    assert refused.value.messages == [
        "This text contains a control character (U+0007) at position 2; remove it."
    ]
    assert refused.value.code == "control_character"


def test_validate_name_raises_a_sentence():
    with pytest.raises(ValidationError) as refused:
        validate_name("Group\u202eCFO")
    assert refused.value.messages == [
        "This text contains an invisible formatting character (U+202E, right-to-left "
        "override) at position 6, which can make one name look like another; remove it."
    ]
    assert refused.value.code == "hidden_character"


def test_validators_pass_ordinary_text_and_other_types():
    assert validate_text("Fine\r\ntext") is None
    assert validate_name("Dana Whitfield") is None
    assert validate_text(None) is None
    assert validate_name(42) is None
