"""The cost evolution story, three ways, with worked examples from the bundled price list
(data README, "Headlines"; N = 2026-08-21)."""

import datetime
from decimal import Decimal as D

import pytest

from foundation import economics as e
from foundation import evolution, selectors
from foundation.capability import capability_classes

N = datetime.date(2026, 8, 21)
# 3 input : 1 output tokens, one call, nothing cached: the workload's cost is the blended price.
BLENDED = e.Workload(input_tokens=3_000_000, output_tokens=1_000_000)


@pytest.fixture
def points(db):
    return selectors.dated_prices()


def _lens(points, months, **kwargs):
    return evolution.lens(
        points, BLENDED, key="k", label=kwargs.pop("label", "x"), anchor=N, months=months, **kwargs
    )


def test_cheapest_frontier_tier_24_months(points):
    lens = _lens(points, 24, among=lambda p: p.tier == "frontier")
    c = lens.chosen
    assert (c.then_date, c.then.point.model, c.now.point.model) == (
        datetime.date(2024, 8, 21),
        "OpenAI gpt-4o-2024-08-06",
        "DeepSeek deepseek-v4-pro",
    )
    assert (c.then.blended, c.now.blended) == (D("4.375"), D("0.54375"))
    assert c.then.blended_arithmetic == "(3 x 2.5 + 10) / 4 = 4.375"
    assert c.now.blended_arithmetic == "(3 x 0.435 + 0.87) / 4 = 0.54375"
    assert c.factor_arithmetic == "4.375 / 0.54375 = 8.0x"
    assert c.change_text == "8.0x cheaper"
    assert lens.note == ""


def test_cheapest_frontier_tier_18_months(points):
    c = _lens(points, 18, among=lambda p: p.tier == "frontier").chosen
    assert c.then.point.model == "DeepSeek deepseek-reasoner"
    assert c.factor_arithmetic == "0.96 / 0.54375 = 1.8x"


def test_gpt4_class_floor_24_and_18_months(points):
    gpt4 = capability_classes()["gpt-4-class"]
    lens = _lens(points, 24, among=lambda p: p.model in gpt4.models, label=gpt4.label)
    c = lens.chosen
    assert (c.then.point.model, c.now.point.model) == ("OpenAI gpt-4o-mini", "OpenAI gpt-5-nano")
    assert c.factor_arithmetic == "0.2625 / 0.1375 = 1.9x"
    c18 = next(w for w in lens.windows if w.months == 18)
    assert c18.then.point.model == "Google gemini-2.0-flash"
    assert c18.factor_arithmetic == "0.175 / 0.1375 = 1.3x"


def test_gpt4_class_leaves_out_models_judged_below_it():
    models = capability_classes()["gpt-4-class"].models
    assert "OpenAI gpt-4" in models
    for name in ("OpenAI gpt-3.5-turbo-0125", "Anthropic claude-3-haiku-20240307",
                 "Google gemini-1.5-flash-8b", "Mistral open-mistral-nemo"):  # fmt: skip
        assert name not in models


def test_same_model_over_time_price_cut(points):
    # o3: $10/$40 to $2/$8 on 2025-06-10; 12 months before N the cut was in force.
    lens = _lens(points, 18, model="OpenAI o3")
    c = lens.chosen
    assert c.factor_arithmetic == "17.5 / 3.5 = 5.0x"
    assert c.change_text == "5.0x cheaper"


def test_same_model_price_rise_is_shown_as_dearer(points):
    # deepseek-chat's promotional price ended on 2025-02-08: 0.175 to 0.4775.
    lens = evolution.lens(
        points,
        BLENDED,
        key="model",
        label="deepseek-chat",
        anchor=datetime.date(2025, 8, 1),
        months=6,
        model="DeepSeek deepseek-chat",
    )
    c = lens.chosen
    assert c.factor_arithmetic == "0.175 / 0.4775 = 0.4x"
    assert c.change_text == "2.7x dearer"
    assert c.direction == "dearer"


def test_a_window_without_change_says_so_and_points_to_the_change(points):
    # deepseek-chat has cost the same since 2025-02-08: no change over 18 months; over 24
    # months (from its first price) it became dearer.
    lens = _lens(points, 18, model="DeepSeek deepseek-chat", label="deepseek-chat")
    assert lens.chosen.direction == "same"
    assert lens.note == (
        "No change over 18 months: about the same price. Over 24 months: 2.7x dearer."
    )


def test_a_model_without_a_price_then_is_compared_from_its_first_price(points):
    c = _lens(points, 18, model="OpenAI gpt-5-nano").chosen
    assert c.since_first_price is True
    assert c.then_date == datetime.date(2025, 8, 7)
    assert c.direction == "same"


def test_retired_models_do_not_count_after_their_shutdown(points):
    # gemini-2.0-flash was shut down on 2026-06-01.
    flash = "Google gemini-2.0-flash"
    for anchor, on_sale in ((datetime.date(2026, 5, 31), True), (datetime.date(2026, 6, 1), False)):
        c = evolution.compare(
            points, BLENDED, lens="class", label="x", anchor=anchor, months=6,
            among=lambda p: p.model == flash,
        )  # fmt: skip
        assert (c.now is not None) is on_sale
    # Gone from sale without a date (Gemini 1.5): on sale in the history, not at the anchor.
    efficient = _lens(points, 18, among=lambda p: p.tier == "efficient").chosen
    assert efficient.then.point.model == "Google gemini-1.5-flash-8b"
    assert efficient.now.point.model == "OpenAI gpt-5-nano"


def test_tier_steps_follow_retirements_and_stop_at_the_anchor(points):
    steps = e.tier_price_steps(points, tier="mid-tier", until=N)
    assert steps[-1][0] <= N
    assert steps[-1][1].model != "Google gemini-2.0-flash"
    assert all(step[1].effective_date <= N for step in steps)
