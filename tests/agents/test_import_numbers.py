"""Pillar 1 priority ranks written as absurd numbers are refused in words, at once."""

import pytest

from agents.imports import HEADERS, check_rows


def _row(*cells):
    return list(cells) + [None] * (len(HEADERS) - len(cells))


def _problems(rows):
    return [problem.message for row in rows for problem in row.problems]


@pytest.mark.parametrize(
    ("rank", "message"),
    [
        ("1e999999999", "Row 2: priority rank must be 100000 or less, not '1e999999999'"),
        ("1E21", "Row 2: priority rank must be 100000 or less, not '1E21'"),
        (
            "-1e999999999",
            "Row 2: priority rank must be a whole number of 1 or more, not '-1e999999999'",
        ),
        ("Infinity", "Row 2: priority rank must be a whole number of 1 or more, not 'Infinity'"),
        ("sNaN", "Row 2: priority rank must be a whole number of 1 or more, not 'sNaN'"),
        (float("inf"), "Row 2: priority rank must be a whole number of 1 or more, not 'inf'"),
    ],
)
def test_check_rows_absurd_rank_refused(rank, message):
    rows, _ = check_rows([(1, HEADERS), (2, _row("A", "", "", rank))])
    assert _problems(rows) == [message]


def test_check_rows_rank_in_exponent_form_accepted():
    rows, _ = check_rows([(1, HEADERS), (2, _row("A", "", "", "1e2"))])
    assert (rows[0].values["priority_rank"], _problems(rows)) == (100, [])
