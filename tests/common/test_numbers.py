"""One reader for every number: the three workshop formats, ambiguous input refused with how it
was read, and values written back in the format."""

from decimal import Decimal as D

import pytest

from common.numbers import (
    COMMA_POINT,
    POINT_COMMA,
    SPACE_COMMA,
    NumberError,
    format_number,
    parse_number,
    significant,
)


@pytest.mark.parametrize(
    ("fmt", "text", "value"),
    [
        (COMMA_POINT, "1,234.56", D("1234.56")),
        (COMMA_POINT, "20,000", D("20000")),
        (COMMA_POINT, "2.50", D("2.50")),
        (COMMA_POINT, "0.0051", D("0.0051")),
        (COMMA_POINT, "1,234,567", D("1234567")),
        (COMMA_POINT, " -3.5 ", D("-3.5")),
        (COMMA_POINT, "−3.5", D("-3.5")),
        (COMMA_POINT, ".5", D("0.5")),
        (POINT_COMMA, "1.234,56", D("1234.56")),
        (POINT_COMMA, "2,50", D("2.50")),
        (POINT_COMMA, "8,5", D("8.5")),
        (POINT_COMMA, "20.000", D("20000")),
        (SPACE_COMMA, "1 234,56", D("1234.56")),
        (SPACE_COMMA, "1\u00a0234,56", D("1234.56")),
        (SPACE_COMMA, "1\u202f234", D("1234")),
        (SPACE_COMMA, "8,5", D("8.5")),
        (COMMA_POINT, "１２", D("12")),
    ],
)
def test_parse_number_in_each_format(fmt, text, value):
    assert parse_number(text, fmt) == value


def test_a_european_price_in_the_comma_point_format_is_refused_not_250():
    with pytest.raises(NumberError) as error:
        parse_number("2,50", COMMA_POINT)
    assert str(error.value) == (
        "Read in the “1,234.56”: “,” between thousands, “.” before decimals format, “2,50” is "
        "not a number: “,” separates thousands, in groups of three digits (1,234). "
        "If you meant 2.50, write 2.50."
    )


@pytest.mark.parametrize(
    ("fmt", "text", "says"),
    [
        (COMMA_POINT, "8,5", "If you meant 8.5, write 8.5."),
        (POINT_COMMA, "8.5", "If you meant 8,5, write 8,5."),
        (POINT_COMMA, "2.50", "If you meant 2,50, write 2,50."),
        (SPACE_COMMA, "8.5", "Write 8,5 for a decimal number in this format."),
        (COMMA_POINT, "1.234,56", "as in another format. Write 1,234.56 in this format."),
        (POINT_COMMA, "1,234.56", "as in another format. Write 1.234,56 in this format."),
        (COMMA_POINT, "1 234", "it has a space in it"),
        (COMMA_POINT, "1.2.3", "has separators after the decimal mark"),
        (COMMA_POINT, "12,34,567", "separates thousands, in groups of three digits"),
    ],
)
def test_ambiguous_input_is_refused_with_how_it_was_read(fmt, text, says):
    with pytest.raises(NumberError) as error:
        parse_number(text, fmt)
    assert says in str(error.value)
    assert f"Read in the “{fmt.label}”" in str(error.value) or "is not a number" in str(error.value)


@pytest.mark.parametrize(
    "text", ["", "   ", "abc", "1e5", "NaN", "Infinity", "12%", "$5", "<script>", "1" * 101]
)
def test_not_numbers_are_refused(text):
    with pytest.raises(NumberError):
        parse_number(text, COMMA_POINT)


@pytest.mark.parametrize(
    ("fmt", "text"),
    [(COMMA_POINT, "1,234.5"), (POINT_COMMA, "1.234,5"), (SPACE_COMMA, "1 234,5")],
)
def test_format_number_writes_back_what_was_read(fmt, text):
    assert format_number(D("1234.5"), fmt) == text
    assert parse_number(format_number(D("1234.5"), fmt), fmt) == D("1234.5")


def test_format_number_with_places():
    assert format_number(D("1234567.891"), POINT_COMMA, places=2) == "1.234.567,89"
    assert format_number(D("0.5"), SPACE_COMMA, places=2) == "0,50"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (D("0.0051234"), D("0.0051")),
        (D("0.003"), D("0.0030")),
        (D("0.0999"), D("0.10")),
        (D("1.604"), D("1.60")),
        (D("1234.5678"), D("1234.57")),
        (D("0"), D("0.00")),
    ],
)
def test_significant_keeps_small_amounts_readable(value, shown):
    assert significant(value) == shown
    assert str(significant(value)) == str(shown)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("0.0051234"), "0.0051"),
        (D("0.003"), "0.0030"),
        (D("0.5"), "0.50"),
        (D("12500"), "12,500.00"),
        (D("-0.0042"), "-0.0042"),
    ],
)
def test_register_money_keeps_small_amounts(value, text):
    from targets.templatetags.targets_tags import money

    assert money(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(D("0.011"), "0.0110"), (D("0.0000512"), "0.000051"), (D("3.5"), "3.50")],
)
def test_workload_money_text_never_shows_zero_for_a_small_cost(value, text):
    from agents.block2_selectors import money_text

    assert money_text(value) == text


@pytest.mark.parametrize(
    ("value", "label"),
    [(1.6, "$1.60"), (3.5, "$3.50"), (4.375, "$4.38"), (0.544, "$0.544"), (11.25, "$11.2"),
     (100, "$100"), (0.01, "$0.01")],
)  # fmt: skip
def test_chart_labels_keep_the_digits_that_tell_them_apart(value, label):
    from foundation.charts import _price_label

    assert _price_label(value) == label


def test_tool_money_shows_significant_digits_for_a_small_cost():
    from foundation.templatetags.money import money

    assert money(D("0.0051234")) == "$0.005123"
    assert money(D("0.003")) == "$0.003000"


def test_a_form_shows_its_numbers_in_its_format_and_reads_them_back():
    from targets.forms import ThresholdForm

    form = ThresholdForm(initial={"floor_6m": "1234.5"}, number_format="point-comma")
    assert form["floor_6m"].value() == "1.234,5"
    bound = ThresholdForm({"floor_6m": "1.234,5"}, number_format="point-comma")
    bound.is_valid()
    assert bound.cleaned_data["floor_6m"] == D("1234.5")


@pytest.mark.parametrize(
    ("text", "number"), [("٣", "3"), ("١٢٠", "120"), ("१२.५", "12.5"), ("１２.５", "12.5")]
)
def test_digits_of_other_scripts_read_as_the_number_they_are(text, number):
    assert parse_number(text) == D(number)
