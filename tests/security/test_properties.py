"""Properties the economics and the form rules must keep for any input, beyond those in
tests/foundation/test_economics.py, tests/targets/test_economics.py and
tests/agents/test_classification.py (token costs grow with tokens and calls, caching never
costs more, break-even is where the costs meet, payback crosses zero and comes no sooner with
a dearer build, ROI grows with the 12-month value, no value at the baseline).

Here: the rules answer every text and number a form can pass with messages (never an
exception), accept only text that fits its database column, accept only thresholds ordered the
way the KPI improves, and ROI and payback move the right way with value and cost."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from agents import classification
from kpis import rules as kpi_rules
from targets import economics
from targets import rules as target_rules

# Each property tries 150 inputs: seconds, not milliseconds.
pytestmark = pytest.mark.slow

D = Decimal
FAST = settings(max_examples=150, deadline=None)

# Any text a browser can send: every code point, controls, right-to-left marks, long runs.
any_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=400)
# Text a form's CharField lets through (it refuses NUL); also much longer.
form_text = st.one_of(
    any_text.filter(lambda text: "\x00" not in text),
    st.text(alphabet="ab ", min_size=150, max_size=3000),
)
# What Django's DecimalField passes on: finite, of any size and sign.
finite = st.decimals(allow_nan=False, allow_infinity=False)
maybe_finite = st.none() | finite
choice_or_text = st.sampled_from(["", "higher", "lower", "bottom_line", "top_line", "other"])
dates = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31))


def _messages(errors: dict) -> list[str]:
    found = []
    for value in errors.values():
        found.extend(value if isinstance(value, list) else [value])
    return found


def assert_messages(errors: dict) -> None:
    assert all(isinstance(m, str) and m.strip() for m in _messages(errors)), errors


# --- Block 2: the classification and thesis rules ------------------------------------------------


@FAST
@given(
    economic_class=choice_or_text | any_text,
    value_driver=st.sampled_from(["", "labour_savings", "other", "revenue_growth"]) | any_text,
    other=form_text,
    subject=form_text,
    mechanism=form_text,
)
def test_classification_rules_answer_any_text_with_messages(
    economic_class, value_driver, other, subject, mechanism
):
    errors = classification.classification_errors(
        economic_class=economic_class,
        value_driver=value_driver,
        value_driver_other=other,
        subject=subject,
        mechanism=mechanism,
    )
    assert_messages(errors)
    sentence, complete = classification.thesis_preview(economic_class, subject, mechanism)
    assert sentence.startswith("This agent exists to ") and isinstance(complete, bool)
    if not errors:
        # What is accepted fits the agent's columns once normalised, as the service stores it.
        assert 0 < len(classification.normalise_part(subject)) <= classification.MAX_PART_LENGTH
        mechanism_saved = classification.normalise_mechanism(mechanism)
        assert 0 < len(mechanism_saved) <= classification.MAX_PART_LENGTH
        if value_driver == classification.OTHER_DRIVER:
            saved = classification.normalise_part(other)
            assert 0 < len(saved) <= classification.MAX_OTHER_DRIVER_LENGTH
        assert complete


# --- Block 3: the vague-KPI rules ----------------------------------------------------------------


@FAST
@given(
    name=form_text,
    unit=form_text,
    system=form_text,
    owner=form_text,
    source=form_text,
    baseline=maybe_finite,
    as_of=st.none() | dates,
    no_baseline=st.booleans(),
    category=st.sampled_from(["efficiency", "capacity", "quality", "economic", "x", ""]),
    direction=choice_or_text,
    frequency=st.sampled_from(["weekly", "monthly", "", "hourly"]),
    feasibility=st.sampled_from(["measurable", "instrument", "not_yet", ""]),
)
def test_kpi_rules_answer_any_input_with_messages(
    name, unit, system, owner, source, baseline, as_of, no_baseline, category, direction,
    frequency, feasibility,
):  # fmt: skip
    errors = kpi_rules.kpi_errors(
        name=name,
        unit=unit,
        category=category,
        direction=direction,
        measurement_frequency=frequency,
        feasibility=feasibility,
        data_source_system=system,
        data_source_owner=owner,
        baseline_value=baseline,
        baseline_as_of=as_of,
        baseline_source=source,
        no_baseline=no_baseline,
        today=datetime.date(2026, 12, 10),
    )
    assert_messages(errors)
    if "name" not in errors:
        tidy = " ".join(name.split())
        assert 0 < len(tidy) <= kpi_rules.MAX_NAME_LENGTH
        assert not kpi_rules.is_vague_kpi_name(tidy)
    if "unit" not in errors:
        assert 0 < len(" ".join(unit.split())) <= kpi_rules.MAX_UNIT_LENGTH
    if "baseline_value" not in errors and baseline is not None:
        assert 0 <= baseline < kpi_rules.MAX_BASELINE
    for field, text in (("data_source_owner", owner), ("baseline_source", source)):
        if field not in errors:
            assert len(" ".join(text.split())) <= 200


@FAST
@given(name=any_text)
def test_vague_kpi_message_quotes_any_name_as_typed(name):
    message = kpi_rules.vague_kpi_message(name)
    assert message.endswith('is better)".')
    assert " ".join(name.split())[1:] in message


# --- Block 4: the target rules -------------------------------------------------------------------
small = st.integers(min_value=0, max_value=12).map(D)
direction = st.sampled_from([economics.HIGHER, economics.LOWER])


def _values(numbers: list[Decimal]) -> dict[tuple[int, str], Decimal]:
    keys = [(h, level) for h in economics.HORIZONS for level in economics.LEVELS]
    return dict(zip(keys, numbers, strict=True))


@settings(max_examples=400, deadline=None)
@given(direction=direction, baseline=small, numbers=st.lists(small, min_size=6, max_size=6))
def test_thresholds_the_rules_accept_are_ordered_the_way_the_kpi_improves(
    direction, baseline, numbers
):
    values = _values(numbers)
    errors = target_rules.target_errors(
        kpi_name="Invoices per week",
        direction=direction,
        baseline=baseline,
        values=values,
        assumptions="Volumes stay flat.",
    )
    assert_messages(errors)
    sign = 1 if direction == economics.HIGHER else -1
    ordered = all(
        sign * values[(h, "floor")] >= sign * baseline
        and sign * values[(h, "target")] > sign * values[(h, "floor")]
        and sign * values[(h, "stretch")] > sign * values[(h, "target")]
        for h in economics.HORIZONS
    ) and all(sign * values[(12, level)] >= sign * values[(6, level)] for level in economics.LEVELS)
    # Accepted exactly when ordered: no ordered set refused, no disordered set let through.
    assert (errors == {}) == ordered


@FAST
@given(
    direction=direction,
    baseline=st.decimals(min_value=0, max_value=D("1e9"), places=4),
    steps=st.lists(
        st.decimals(min_value=D("0.0001"), max_value=D("1e6"), places=4), min_size=5, max_size=5
    ),  # fmt: skip
)
def test_any_strictly_improving_thresholds_are_accepted(direction, baseline, steps):
    sign = 1 if direction == economics.HIGHER else -1
    floor_6 = baseline + sign * steps[0]
    target_6, stretch_6 = floor_6 + sign * steps[1], floor_6 + sign * (steps[1] + steps[2])
    values = _values(
        [
            floor_6,
            target_6,
            stretch_6,
            floor_6 + sign * steps[3],
            target_6 + sign * steps[3],
            stretch_6 + sign * (steps[3] + steps[4]),
        ]  # fmt: skip
    )
    assume(all(value >= 0 for value in values.values()))
    errors = target_rules.target_errors(
        kpi_name="Hours per week",
        direction=direction,
        baseline=baseline,
        values=values,
        assumptions="Volumes stay flat.",
    )
    assert errors == {}


@FAST
@given(
    numbers=st.lists(maybe_finite, min_size=6, max_size=6),
    assumptions=form_text,
    direction=direction,
    baseline=st.none() | st.decimals(min_value=0, max_value=D("1e12")),
)
def test_target_rules_answer_any_numbers_and_text_with_messages(
    numbers, assumptions, direction, baseline
):
    keys = [(h, level) for h in economics.HORIZONS for level in economics.LEVELS]
    errors = target_rules.target_errors(
        kpi_name="KPI",
        direction=direction,
        baseline=baseline,
        values=dict(zip(keys, numbers, strict=True)),
        assumptions=assumptions,
    )
    assert_messages(errors)
    if "assumptions" not in errors:
        assert 0 < len(" ".join(assumptions.split())) <= target_rules.MAX_LONG_TEXT
    if not errors:
        assert all(0 <= value < target_rules.MAX_VALUE for value in numbers)


@FAST
@given(
    kind=st.sampled_from(["peer", "vendor", "", "other"]),
    description=form_text,
    source=form_text,
    improvement=maybe_finite,
    discount=maybe_finite,
    adoption=st.tuples(maybe_finite, maybe_finite),
    notes=form_text,
    other=st.booleans(),
    money=st.tuples(maybe_finite, maybe_finite, maybe_finite, maybe_finite, maybe_finite),
    basis=form_text,
    period=st.sampled_from([*economics.PERIODS, "", "fortnight"]),
    workload_known=st.booleans(),
    comment=form_text,
)
def test_block4_rules_answer_any_input_with_messages(
    kind, description, source, improvement, discount, adoption, notes, other, money, basis,
    period, workload_known, comment,
):  # fmt: skip
    benchmark = target_rules.benchmark_errors(
        kind=kind,
        description=description,
        improvement_percent=improvement,
        source=source,
        discount_percent=discount,
    )
    assert_messages(benchmark)
    if not benchmark:
        assert len(" ".join(description.split())) <= target_rules.MAX_TEXT
        assert len(" ".join(source.split())) <= target_rules.MAX_TEXT
        assert 0 < improvement <= target_rules.MAX_IMPROVEMENT_PERCENT
        if kind == economics.VENDOR:
            assert economics.DISCOUNT_MIN <= discount <= economics.DISCOUNT_MAX
    constraints = target_rules.adoption_errors(
        adoption_6m_percent=adoption[0],
        adoption_12m_percent=adoption[1],
        constraints={"other": other},
        notes=notes,
    )
    assert_messages(constraints)
    if not constraints:
        assert 0 <= adoption[0] <= adoption[1] <= 100
    inputs = target_rules.economics_errors(
        value_kpi_chosen=True,
        value_per_unit=money[0],
        period=period,
        build_cost=money[1],
        other_monthly_cost=money[2],
        model_cost_monthly=money[3],
        tasks_per_month=money[4],
        workload_known=workload_known,
        value_basis=basis,
    )
    assert_messages(inputs)
    if not inputs:
        assert all(v is None or 0 <= v < target_rules.MAX_MONEY for v in money)
        assert len(" ".join(basis.split())) <= target_rules.MAX_TEXT
    for check in (target_rules.comment_error, target_rules.reason_error):
        message = check(comment)
        assert message is None or message.strip()


# --- Block 4: ROI and payback move the right way -------------------------------------------------
money = st.decimals(min_value=D("0"), max_value=D("20000"), places=2)


@FAST
@given(build=money, value_6=money, value_12=money, run=money, more_6=money, more_12=money)
def test_more_value_never_delays_payback_nor_lowers_roi(
    build, value_6, value_12, run, more_6, more_12
):
    low = economics.scenario(
        level="target", value_6=value_6, value_12=value_12, run_cost=run, build_cost=build
    )
    high = economics.scenario(
        level="target",
        value_6=value_6 + more_6,
        value_12=value_12 + more_12,
        run_cost=run,
        build_cost=build,
    )
    if low.payback is not None:
        assert high.payback is not None and high.payback <= low.payback
    if low.roi is not None:
        assert high.roi >= low.roi
    assert high.year_value >= low.year_value


@FAST
@given(build=money, value_6=money, value_12=money, run=money, extra=money)
def test_a_dearer_run_never_speeds_payback_nor_raises_roi(build, value_6, value_12, run, extra):
    cheap = economics.scenario(
        level="target", value_6=value_6, value_12=value_12, run_cost=run, build_cost=build
    )
    dear = economics.scenario(
        level="target", value_6=value_6, value_12=value_12, run_cost=run + extra, build_cost=build
    )
    if dear.payback is not None:
        assert cheap.payback is not None and cheap.payback <= dear.payback
    if cheap.roi is not None and dear.roi is not None:
        assert dear.roi <= cheap.roi


@FAST
@given(
    baseline=st.decimals(min_value=0, max_value=D("100000"), places=2),
    direction=direction,
    improvement=st.decimals(min_value=D("0.01"), max_value=D("1000"), places=2),
    adoption_6=st.decimals(min_value=0, max_value=100, places=2),
    more_adoption=st.decimals(min_value=0, max_value=100, places=2),
)
def test_suggested_thresholds_are_ordered_the_way_the_kpi_improves(
    baseline, direction, improvement, adoption_6, more_adoption
):
    adoption_12 = min(D(100), adoption_6 + more_adoption)
    suggested = economics.suggested_thresholds(
        baseline=baseline,
        direction=direction,
        improvement_percent=improvement,
        adoption={6: adoption_6, 12: adoption_12},
    )
    sign = 1 if direction == economics.HIGHER else -1
    for horizon in economics.HORIZONS:
        floor, target, stretch = (suggested[(horizon, level)] for level in economics.LEVELS)
        assert sign * baseline <= sign * floor <= sign * target <= sign * stretch
        assert floor >= 0
    for level in economics.LEVELS:
        assert sign * suggested[(12, level)] >= sign * suggested[(6, level)]


@FAST
@given(
    baseline=st.decimals(min_value=0, max_value=D("100000"), places=2),
    value=st.decimals(min_value=0, max_value=D("100000"), places=2),
    better=st.decimals(min_value=0, max_value=D("1000"), places=2),
    per_unit=money,
    period=st.sampled_from(list(economics.PERIODS)),
    direction=direction,
)
def test_monthly_value_grows_as_the_kpi_improves(
    baseline, value, better, per_unit, period, direction
):
    sign = 1 if direction == economics.HIGHER else -1
    common = {"baseline": baseline, "direction": direction, "value_per_unit": per_unit}
    before = economics.monthly_value(value=value, period=period, **common)
    after = economics.monthly_value(value=value + sign * better, period=period, **common)
    assert after >= before
