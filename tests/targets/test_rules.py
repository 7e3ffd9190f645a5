"""targets/rules.py: every target rule in both directions and at both horizons, with the
exact sentence a table reads; and the rules of the other steps."""

from decimal import Decimal

import pytest

from targets import rules

D = Decimal
HIGHER_KPI = "hours saved per week"
LOWER_KPI = "hours spent matching invoices per week"
HIGHER_REASON = f"for '{HIGHER_KPI}' higher is better."
LOWER_REASON = f"for '{LOWER_KPI}' lower is better."


def values(six: tuple, twelve: tuple) -> dict:
    result = {}
    for horizon, triple in ((6, six), (12, twelve)):
        for level, value in zip(("floor", "target", "stretch"), triple, strict=True):
            result[(horizon, level)] = None if value is None else D(str(value))
    return result


def higher(six, twelve, *, baseline="100", assumptions="Volumes as in 2026."):
    return rules.target_errors(
        kpi_name=HIGHER_KPI,
        direction="higher",
        baseline=None if baseline is None else D(baseline),
        values=values(six, twelve),
        assumptions=assumptions,
    )


def lower(six, twelve, *, baseline="120", assumptions="Volumes as in 2026."):
    return rules.target_errors(
        kpi_name=LOWER_KPI,
        direction="lower",
        baseline=None if baseline is None else D(baseline),
        values=values(six, twelve),
        assumptions=assumptions,
    )


# --- Valid sets -------------------------------------------------------------------------------


def test_target_errors_higher_is_better_valid():
    assert higher((100, 120, 140), (130, 160, 200)) == {}


def test_target_errors_lower_is_better_valid():
    assert lower((110, 100, 90), (100, 80, 60)) == {}


def test_target_errors_floor_may_equal_the_baseline():
    assert higher((100, 120, 140), (100, 160, 200)) == {}
    assert lower((120, 100, 90), (120, 80, 60)) == {}


def test_target_errors_twelve_months_may_equal_six_months():
    assert higher((100, 120, 140), (100, 120, 140)) == {}
    assert lower((110, 100, 90), (110, 100, 90)) == {}


# --- Order: floor < target < stretch (reversed when lower is better) --------------------------


def test_target_errors_example_from_the_guide():
    assert higher((150, 120, 160), (150, 170, 200)) == {
        "target_6m": [f"The 6-month target (120) must be above the floor (150): {HIGHER_REASON}"]
    }


def test_target_errors_higher_six_month_target_equal_to_floor():
    assert higher((120, 120, 140), (130, 160, 200)) == {
        "target_6m": [f"The 6-month target (120) must be above the floor (120): {HIGHER_REASON}"]
    }


def test_target_errors_higher_twelve_month_target_below_floor():
    assert higher((100, 120, 140), (160, 150, 200)) == {
        "target_12m": [f"The 12-month target (150) must be above the floor (160): {HIGHER_REASON}"]
    }


def test_target_errors_higher_six_month_stretch_below_target():
    assert higher((100, 120, 115), (130, 160, 200)) == {
        "stretch_6m": [f"The 6-month stretch (115) must be above the target (120): {HIGHER_REASON}"]
    }


def test_target_errors_higher_twelve_month_stretch_equal_to_target():
    assert higher((100, 120, 140), (130, 160, 160)) == {
        "stretch_12m": [
            f"The 12-month stretch (160) must be above the target (160): {HIGHER_REASON}"
        ]
    }


def test_target_errors_lower_six_month_target_above_floor():
    assert lower((110, 115, 90), (100, 80, 60)) == {
        "target_6m": [f"The 6-month target (115) must be below the floor (110): {LOWER_REASON}"]
    }


def test_target_errors_lower_twelve_month_target_above_floor():
    assert lower((110, 100, 90), (95, 98, 60)) == {
        "target_12m": [f"The 12-month target (98) must be below the floor (95): {LOWER_REASON}"]
    }


def test_target_errors_lower_six_month_stretch_above_target():
    assert lower((110, 100, 100), (100, 80, 60)) == {
        "stretch_6m": [f"The 6-month stretch (100) must be below the target (100): {LOWER_REASON}"]
    }


def test_target_errors_lower_twelve_month_stretch_above_target():
    assert lower((110, 100, 90), (100, 80, 85)) == {
        "stretch_12m": [f"The 12-month stretch (85) must be below the target (80): {LOWER_REASON}"]
    }


# --- Every value improves on the baseline (the floor may equal it) ----------------------------


def test_target_errors_higher_six_month_floor_below_baseline():
    assert higher((90, 120, 140), (130, 160, 200)) == {
        "floor_6m": [f"The 6-month floor (90) must be at least the baseline (100): {HIGHER_REASON}"]
    }


def test_target_errors_higher_twelve_month_floor_below_baseline():
    assert higher((90, 120, 140), (95, 160, 200)) == {
        "floor_6m": [
            f"The 6-month floor (90) must be at least the baseline (100): {HIGHER_REASON}"
        ],
        "floor_12m": [
            f"The 12-month floor (95) must be at least the baseline (100): {HIGHER_REASON}"
        ],
    }


def test_target_errors_higher_target_not_above_baseline():
    assert higher((90, 100, 140), (130, 160, 200)) == {
        "floor_6m": [
            f"The 6-month floor (90) must be at least the baseline (100): {HIGHER_REASON}"
        ],
        "target_6m": [
            f"The 6-month target (100) must be above the baseline (100): {HIGHER_REASON}"
        ],
    }


def test_target_errors_higher_twelve_month_stretch_not_above_baseline():
    assert higher((80, 90, 95), (85, 92, 99)) == {
        "floor_6m": [
            f"The 6-month floor (80) must be at least the baseline (100): {HIGHER_REASON}"
        ],
        "target_6m": [f"The 6-month target (90) must be above the baseline (100): {HIGHER_REASON}"],
        "stretch_6m": [
            f"The 6-month stretch (95) must be above the baseline (100): {HIGHER_REASON}"
        ],
        "floor_12m": [
            f"The 12-month floor (85) must be at least the baseline (100): {HIGHER_REASON}"
        ],
        "target_12m": [
            f"The 12-month target (92) must be above the baseline (100): {HIGHER_REASON}"
        ],
        "stretch_12m": [
            f"The 12-month stretch (99) must be above the baseline (100): {HIGHER_REASON}"
        ],
    }


def test_target_errors_lower_six_month_floor_above_baseline():
    assert lower((125, 100, 90), (100, 80, 60)) == {
        "floor_6m": [f"The 6-month floor (125) must be at most the baseline (120): {LOWER_REASON}"]
    }


def test_target_errors_lower_twelve_month_values_not_below_baseline():
    assert lower((130, 125, 121), (130, 124, 120.5)) == {
        "floor_6m": [f"The 6-month floor (130) must be at most the baseline (120): {LOWER_REASON}"],
        "target_6m": [f"The 6-month target (125) must be below the baseline (120): {LOWER_REASON}"],
        "stretch_6m": [
            f"The 6-month stretch (121) must be below the baseline (120): {LOWER_REASON}"
        ],
        "floor_12m": [
            f"The 12-month floor (130) must be at most the baseline (120): {LOWER_REASON}"
        ],
        "target_12m": [
            f"The 12-month target (124) must be below the baseline (120): {LOWER_REASON}"
        ],
        "stretch_12m": [
            f"The 12-month stretch (120.5) must be below the baseline (120): {LOWER_REASON}"
        ],
    }


# --- 12 months at least as ambitious as 6 months ----------------------------------------------


def test_target_errors_higher_twelve_month_floor_below_six_month_floor():
    assert higher((110, 120, 140), (105, 160, 200)) == {
        "floor_12m": [
            f"The 12-month floor (105) must be at least the 6-month floor (110): {HIGHER_REASON}"
        ]
    }


def test_target_errors_higher_twelve_month_target_below_six_month_target():
    assert higher((100, 120, 140), (105, 110, 200)) == {
        "target_12m": [
            f"The 12-month target (110) must be at least the 6-month target (120): {HIGHER_REASON}"
        ]
    }


def test_target_errors_higher_twelve_month_stretch_below_six_month_stretch():
    assert higher((100, 120, 140), (130, 135, 138)) == {
        "stretch_12m": [
            f"The 12-month stretch (138) must be at least the 6-month stretch (140): "
            f"{HIGHER_REASON}"
        ]
    }


def test_target_errors_lower_twelve_month_floor_above_six_month_floor():
    assert lower((110, 100, 90), (112, 80, 60)) == {
        "floor_12m": [
            f"The 12-month floor (112) must be at most the 6-month floor (110): {LOWER_REASON}"
        ]
    }


def test_target_errors_lower_twelve_month_target_above_six_month_target():
    assert lower((110, 100, 90), (108, 104, 60)) == {
        "target_12m": [
            f"The 12-month target (104) must be at most the 6-month target (100): {LOWER_REASON}"
        ]
    }


def test_target_errors_lower_twelve_month_stretch_above_six_month_stretch():
    assert lower((110, 100, 90), (100, 95, 92.5)) == {
        "stretch_12m": [
            f"The 12-month stretch (92.5) must be at most the 6-month stretch (90): {LOWER_REASON}"
        ]
    }


def test_target_errors_numbers_are_written_as_people_write_them():
    errors = higher((1000, 1200.5, 1100), (1000, 1300, 1400), baseline="950.0000")
    assert errors == {
        "stretch_6m": [
            f"The 6-month stretch (1,100) must be above the target (1,200.5): {HIGHER_REASON}"
        ]
    }


# --- Missing and bad values, assumptions, baseline --------------------------------------------


def test_target_errors_every_value_and_the_assumptions_required():
    errors = higher((None,) * 3, (None,) * 3, assumptions="  ")
    assert errors == {
        "floor_6m": ["Enter the 6-month floor."],
        "target_6m": ["Enter the 6-month target."],
        "stretch_6m": ["Enter the 6-month stretch."],
        "floor_12m": ["Enter the 12-month floor."],
        "target_12m": ["Enter the 12-month target."],
        "stretch_12m": ["Enter the 12-month stretch."],
        "assumptions": [rules.ASSUMPTIONS_MISSING],
    }


def test_target_errors_assumptions_required_with_valid_values():
    assert higher((100, 120, 140), (130, 160, 200), assumptions="") == {
        "assumptions": [rules.ASSUMPTIONS_MISSING]
    }


def test_target_errors_assumptions_too_long():
    assert higher((100, 120, 140), (130, 160, 200), assumptions="x" * 2001) == {
        "assumptions": ["Keep the assumptions to at most 2000 characters (this has 2001)."]
    }


def test_target_errors_negative_and_huge_values():
    errors = higher((-1, 120, 140), (130, 160, 10**13))
    assert errors == {
        "floor_6m": ["The 6-month floor cannot be negative."],
        "stretch_12m": [
            "That number is too large for the 12-month stretch. Check the unit and the digits."
        ],
    }


def test_target_errors_not_a_number():
    errors = rules.target_errors(
        kpi_name=HIGHER_KPI,
        direction="higher",
        baseline=D("100"),
        values={**values((100, 120, 140), (130, 160, 200)), (6, "floor"): D("NaN")},
        assumptions="ok",
    )
    assert errors == {"floor_6m": ["Enter the 6-month floor as a number, e.g. 95 or 4.5."]}


def test_target_errors_without_baseline_cannot_be_confirmed():
    assert higher((100, 120, 140), (130, 160, 200), baseline=None) == {
        "__all__": [rules.NO_BASELINE]
    }


# --- Benchmarks, adoption, economics, comments ------------------------------------------------


def benchmark(**changes):
    values = {
        "kind": "vendor",
        "description": "Vendor case study",
        "improvement_percent": D("60"),
        "source": "Vendor website",
        "discount_percent": D("40"),
    }
    values.update(changes)
    return rules.benchmark_errors(**values)


def test_benchmark_errors_valid():
    assert benchmark() == {}
    assert benchmark(kind="peer", discount_percent=None) == {}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"kind": "rumour"},
            {"kind": "Say whether this is a similar organisation or a vendor case study."},
        ),
        (
            {"description": " "},
            {"description": "Say who achieved it, e.g. 'Mid-size European freight forwarder'."},
        ),
        (
            {"description": "x" * 201},
            {"description": "Keep the description to at most 200 characters (this has 201)."},
        ),
        (
            {"improvement_percent": None},
            {
                "improvement_percent": (
                    "Enter the improvement they report, in percent of their starting point "
                    "(e.g. 35) or in the KPI's unit (e.g. 120 hours a month saved)."
                )
            },
        ),
        (
            {"improvement_percent": D("-5")},
            {"improvement_percent": "The improvement cannot be negative."},
        ),
        (
            {"improvement_percent": D("0")},
            {
                "improvement_percent": (
                    "An improvement of 0 % is not evidence. Enter what they report."
                )
            },
        ),
        (
            {"improvement_percent": D("1500")},
            {
                "improvement_percent": (
                    "An improvement above 1,000 % is not credible. Check the figure."
                )
            },
        ),
        (
            {"source": ""},
            {"source": "Say where the figure comes from (report, article, reference call)."},
        ),
        (
            {"discount_percent": D("20")},
            {"discount_percent": "Discount vendor claims by 30 to 50 % (you chose 20 %)."},
        ),
        (
            {"discount_percent": D("55")},
            {"discount_percent": "Discount vendor claims by 30 to 50 % (you chose 55 %)."},
        ),
        (
            {"discount_percent": None},
            {"discount_percent": "Choose a discount between 30 and 50 %."},
        ),
    ],
)
def test_benchmark_errors(changes, expected):
    assert benchmark(**changes) == expected


def adoption(six="40", twelve="75", notes="", other=False):
    return rules.adoption_errors(
        adoption_6m_percent=None if six is None else D(six),
        adoption_12m_percent=None if twelve is None else D(twelve),
        constraints={"other": other},
        notes=notes,
    )


def test_adoption_errors_valid():
    assert adoption() == {}
    assert adoption("0", "100") == {}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            (None, "75"),
            {
                "adoption_6m_percent": (
                    "Enter the expected adoption at 6 months, in percent (0 to 100)."
                )
            },
        ),
        (
            ("40", None),
            {
                "adoption_12m_percent": (
                    "Enter the expected adoption at 12 months, in percent (0 to 100)."
                )
            },
        ),
        (
            ("-1", "75"),
            {"adoption_6m_percent": "The expected adoption at 6 months cannot be negative."},
        ),
        (
            ("40", "100.5"),
            {
                "adoption_12m_percent": (
                    "The expected adoption at 12 months cannot be above 100 % (you entered 100.5)."
                )
            },
        ),
        (
            ("60", "50"),
            {
                "adoption_12m_percent": (
                    "Adoption at 12 months (50 %) cannot be below adoption at 6 months (60 %)."
                )
            },
        ),
    ],
)
def test_adoption_errors(args, expected):
    assert adoption(*args) == expected


def test_adoption_errors_other_constraint_needs_notes():
    assert adoption(other=True) == {
        "notes": "You ticked 'Other': say in the notes what else limits adoption."
    }
    assert adoption(other=True, notes="Works council approval") == {}


def test_economics_errors_all_missing():
    errors = rules.economics_errors(
        value_kpi_chosen=False,
        value_per_unit=None,
        period="fortnight",
        build_cost=None,
        other_monthly_cost=D("0"),
        model_cost_monthly=None,
        tasks_per_month=None,
        workload_known=False,
        value_basis="",
    )
    assert errors == {
        "value_kpi": "Choose the KPI that carries the agent's value.",
        "value_per_unit": (
            "Enter what one unit of the KPI is worth, e.g. the loaded hourly cost for hours saved."
        ),
        "period": "Say what period the KPI is counted in (per week, per month, ...).",
        "build_cost": "Enter the one-off build cost (0 if there is none).",
        "model_cost_monthly": (
            "Enter the agent's monthly AI run cost (models and tokens), e.g. from the Block 1 "
            "calculator."
        ),
    }


def test_economics_errors_with_a_workload_ask_for_tasks_per_month():
    errors = rules.economics_errors(
        value_kpi_chosen=True,
        value_per_unit=D("45"),
        period="week",
        build_cost=D("0"),
        other_monthly_cost=D("-1"),
        model_cost_monthly=None,
        tasks_per_month=None,
        workload_known=True,
        value_basis="",
    )
    assert errors == {
        "other_monthly_cost": "The other monthly cost cannot be negative.",
        "tasks_per_month": "Enter how many tasks the agent handles a month, to price its workload.",
    }


def test_comment_and_reason_errors():
    assert rules.comment_error(" ") == (
        "Say what the table should change: the comment appears on their screen."
    )
    assert rules.comment_error("Lower the stretch") is None
    assert rules.reason_error("") == (
        "Give the reason for reopening: it stays in the sign-off history."
    )
    assert rules.reason_error("x" * 201) == (
        "Keep the reason to at most 200 characters (this has 201)."
    )


def test_economics_errors_with_a_workload_still_check_a_given_run_cost():
    errors = rules.economics_errors(
        value_kpi_chosen=True,
        value_per_unit=D("45"),
        period="week",
        build_cost=D("0"),
        other_monthly_cost=D("0"),
        model_cost_monthly=D("-1"),
        tasks_per_month=D("2000"),
        workload_known=True,
        value_basis="",
    )
    assert errors == {"model_cost_monthly": "The monthly AI run cost cannot be negative."}


def test_economics_errors_without_a_workload_still_check_given_tasks():
    errors = rules.economics_errors(
        value_kpi_chosen=True,
        value_per_unit=D("45"),
        period="week",
        build_cost=D("0"),
        other_monthly_cost=D("0"),
        model_cost_monthly=D("1500"),
        tasks_per_month=D("-1"),
        workload_known=False,
        value_basis="",
    )
    assert errors == {"tasks_per_month": "The tasks per month cannot be negative."}
