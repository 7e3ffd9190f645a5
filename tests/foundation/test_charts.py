"""The break-even chart's canvas and its marker's label, on the page and on the projector."""

from decimal import Decimal as D

from foundation import charts
from foundation import economics as e

# One GPU: 460 tokens/s x 3,600 x 730 x 0.6 = 725.3M tokens a month for $1,825, plus $10,000.
HOSTING = e.SelfHosting(
    gpu_price_per_hour=D("2.50"),
    tokens_per_second_per_gpu=D(460),
    utilisation=D("0.6"),
    fixed_cost_per_month=D(10000),
)


def _result(price: str) -> e.BreakEven:
    return e.break_even(
        input_share=D("0.75"),
        input_price_per_mtok=D(price),
        output_price_per_mtok=D(price),
        hosting=HOSTING,
    )


def test_break_even_chart_draws_on_the_canvas_asked_for():
    result = _result("20")
    page = charts.break_even_chart(result, volume=D(300_000_000))
    screen = charts.break_even_chart(
        result, volume=D(300_000_000), size=charts.BREAK_EVEN_PROJECTOR
    )
    assert (page.width, page.height) == charts.BREAK_EVEN_PAGE == (760, 420)
    assert (screen.width, screen.height) == charts.BREAK_EVEN_PROJECTOR == (520, 250)
    assert (page.font_size, screen.font_size) == (17, 17)


def test_break_even_label_reads_leftwards_where_there_is_room():
    # $5 a million: six GPUs ($20,950) break even at 4.19B tokens, on a scale to 8B.
    result = _result("5")
    assert (result.volume, result.gpus_at_break_even) == (D("4190000000"), 6)
    chart = charts.break_even_chart(result, volume=D(900_000_000))
    [(_x, _y, label, anchor, dx, dy)] = chart.markers
    assert (label, anchor, dx, dy) == ("Break-even 4.19B", "end", -10, -14)


def test_break_even_label_moves_right_of_a_marker_near_the_left_edge():
    # $40 a million: break-even at 295.6M tokens, on a scale to past three GPUs' 2.2B.
    result = _result("40")
    chart = charts.break_even_chart(result, volume=D(100_000_000))
    [(_x, _y, label, anchor, dx, dy)] = chart.markers
    assert (label, anchor, dx, dy) == ("Break-even 295.62M", "start", 12, 26)
