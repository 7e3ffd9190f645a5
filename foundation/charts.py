"""Server-drawn SVG charts (coordinates here, markup in templates), so the page, the projector
and the PDF show the same picture. Colours are SVG presentation attributes, never style
attributes, so the strict Content-Security-Policy holds."""

import datetime
import math
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from common.charts import nice_step, round_to, spread, tick_values

from . import economics

TIER_COLOURS = {"frontier": "#7b2cbf", "mid-tier": "#0b5cad", "efficient": "#1c7c3a"}
TIER_LABELS = {"frontier": "Frontier", "mid-tier": "Mid-tier", "efficient": "Efficient"}


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class Series:
    key: str
    label: str
    colour: str
    path: str
    dash: str = ""
    points: list = field(default_factory=list)  # [(x, y, title)]
    end_label: tuple | None = None  # (x, y, text)


@dataclass
class Chart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    series: list[Series]
    x_title: str
    y_title: str
    font_size: int = 14
    markers: list = field(default_factory=list)  # [(x, y, label, text-anchor, dx, dy)]
    vlines: list = field(default_factory=list)  # [(x, label)]

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def plot_bottom(self) -> int:
        return self.height - self.bottom


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def _price_label(value: float) -> str:
    """Three significant digits, so labels that differ read differently ($1.60, $3.50,
    $11.3, $0.544); whole dollars from 100."""
    if value >= 100:
        return f"${value:,.0f}"
    text = f"{value:.3g}"
    if "e" in text:
        text = f"{value:.6f}".rstrip("0")
    if value >= 1 and "." in text and len(text.split(".")[1]) == 1 and value < 10:
        text += "0"
    return f"${text}"


# --- Price per million tokens over time, log scale ------------------------------------------
# Canvas sizes in SVG units. The projector draws on a smaller canvas with the same type, so
# scaled to the screen the labels read from the back of the room.
EVOLUTION_PAGE = (960, 460)
EVOLUTION_PROJECTOR = (400, 210)
BREAK_EVEN_PAGE = (760, 420)
BREAK_EVEN_PROJECTOR = (520, 250)


def evolution_chart(
    points: list[economics.DatedPrice],
    *,
    today: datetime.date,
    start: datetime.date | None = None,
    size: tuple[int, int] = EVOLUTION_PAGE,
) -> Chart | None:
    """Each tier's cheapest blended price (3 input : 1 output) as a step line from its first
    price to today, with every model's price point as a dot, on a canvas of `size` (width,
    height); None without prices."""
    points = [p for p in points if p.effective_date <= today]
    if not points:
        return None
    (width, height), left, right, top, bottom = size, 78, 150, 24, 56
    first = start or min(p.effective_date for p in points)
    span = max(1, (today - first).days)
    blended = [
        float(economics.blended_price_per_mtok(p.prices))
        for p in points
        if economics.blended_price_per_mtok(p.prices) > 0
    ]
    if not blended:
        return None
    low = 10 ** math.floor(math.log10(min(blended)))
    high = 10 ** math.ceil(math.log10(max(blended)))
    if high == low:
        high = low * 10

    def x(day: datetime.date) -> float:
        return left + (width - left - right) * max(0, (day - first).days) / span

    def y(price: float) -> float:
        price = max(price, low)
        ratio = (math.log10(price) - math.log10(low)) / (math.log10(high) - math.log10(low))
        return height - bottom - (height - top - bottom) * ratio

    y_ticks = []
    value = low
    while value <= high * 1.0001:
        y_ticks.append(Tick(y(value), _price_label(value)))
        value *= 10
    x_ticks = [
        Tick(x(datetime.date(year, 1, 1)), str(year))
        for year in range(first.year + 1, today.year + 1)
    ]
    series = []
    for tier in economics.TIERS:
        steps = economics.tier_price_steps(points, tier=tier, until=today)
        if not steps:
            continue
        commands = []
        for i, (day, _point, price) in enumerate(steps):
            px, py = x(day), y(float(price))
            if i == 0:
                commands.append(f"M{_fmt(px)},{_fmt(py)}")
            else:
                commands.append(f"H{_fmt(px)}V{_fmt(py)}")
        commands.append(f"H{_fmt(x(today))}")
        dots = [
            (
                _fmt(x(p.effective_date)),
                _fmt(y(float(economics.blended_price_per_mtok(p.prices)))),
                f"{p.model}, {p.effective_date:%b %Y}: "
                f"{_price_label(float(economics.blended_price_per_mtok(p.prices)))} per Mtok",
            )
            for p in points
            if p.tier == tier and p.effective_date >= first
        ]
        last_price = float(steps[-1][2])
        series.append(
            Series(
                key=tier,
                label=TIER_LABELS[tier],
                colour=TIER_COLOURS[tier],
                path=" ".join(commands),
                points=dots,
                end_label=(
                    _fmt(x(today) + 8),
                    _fmt(y(last_price) + 5),
                    f"{TIER_LABELS[tier]} {_price_label(last_price)}",
                ),
            )
        )
    _spread_end_labels(series)
    return Chart(
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        series=series,
        x_title="Date the price took effect",
        y_title="USD per million tokens (3 input : 1 output), log scale",
    )


def _spread_end_labels(series: list[Series], gap: float = 22) -> None:
    """Move the labels at the right end apart so they do not overlap."""
    labelled = [s for s in series if s.end_label]
    ys = spread([float(s.end_label[1]) for s in labelled], gap)
    for s, ly in zip(labelled, ys, strict=True):
        lx, _, text = s.end_label
        s.end_label = (lx, _fmt(ly), text)


# --- API vs self-hosted, linear scale -------------------------------------------------------
MAX_STEPS = 200


def _axis(top: float) -> tuple[float, float, list[float]]:
    """A round step giving about five intervals, `top` rounded up to a whole step, and the
    tick values from zero to it."""
    exact = Decimal(repr(top))
    step = nice_step(exact, intervals=5)
    rounded = round_to(exact, step, ROUND_CEILING)
    return float(step), float(rounded), [float(v) for v in tick_values(Decimal(0), rounded, step)]


def _volume_label(tokens: float) -> str:
    for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if tokens >= limit:
            return f"{tokens / limit:,.2f}".rstrip("0").rstrip(".") + suffix
    return f"{tokens:,.0f}"


def _money_label(value: float, symbol: str) -> str:
    if value >= 1_000_000:
        return f"{symbol}{value / 1_000_000:,.1f}M".replace(".0M", "M")
    if value >= 10_000:
        return f"{symbol}{value / 1000:,.0f}k"
    return f"{symbol}{value:,.0f}"


def break_even_chart(
    result: economics.BreakEven,
    *,
    volume: Decimal,
    rate: Decimal = Decimal(1),
    symbol: str = "$",
    size: tuple[int, int] = BREAK_EVEN_PAGE,
) -> Chart:
    """Monthly cost of the API (a line) and of self-hosting (a staircase, one step per GPU)
    over volumes from zero to past the break-even point and the current volume, on a canvas
    of `size` (width, height)."""
    (width, height), left, right, top, bottom = size, 80, 135, 28, 60
    capacity = float(result.hosting.tokens_per_gpu_month)
    candidates = [float(volume) * 1.5, capacity * 3]
    if result.volume is not None:
        candidates.append(float(result.volume) * 1.6)
    x_max = max(max(candidates), 1.0)
    rate_f = float(rate)

    def api(v: float) -> float:
        return float(result.api_cost(Decimal(str(v)))) * rate_f

    def hosted(v: float) -> float:
        return float(result.self_hosted_cost(Decimal(str(v)))) * rate_f

    _, y_max, y_values = _axis(max(api(x_max), hosted(x_max), 1.0) * 1.08)
    _, x_max, x_values = _axis(x_max)

    def x(v: float) -> float:
        return left + (width - left - right) * v / x_max

    def y(c: float) -> float:
        return height - bottom - (height - top - bottom) * min(c, y_max) / y_max

    api_path = f"M{_fmt(x(0))},{_fmt(y(api(0)))} L{_fmt(x(x_max))},{_fmt(y(api(x_max)))}"
    steps = [f"M{_fmt(x(0))},{_fmt(y(hosted(0)))}"]
    if x_max / capacity <= MAX_STEPS:
        gpus = 1
        while gpus * capacity < x_max:
            edge = gpus * capacity
            steps.append(f"H{_fmt(x(edge))}V{_fmt(y(hosted(edge * 1.000001 + 1)))}")
            gpus += 1
        steps.append(f"H{_fmt(x(x_max))}")
    else:  # too many GPUs to draw each step: the staircase is a line at this scale
        steps.extend(
            f"L{_fmt(x(x_max * i / MAX_STEPS))},{_fmt(y(hosted(x_max * i / MAX_STEPS)))}"
            for i in range(1, MAX_STEPS + 1)
        )
    markers, vlines = [], []
    if result.volume is not None and float(result.volume) <= x_max:
        bv = float(result.volume)
        # Above left of the marker (where no line runs), or below right, under the
        # self-hosted step, where the left is too short for the label.
        room = x(bv) - left > (width - left - right) * 0.4
        place = ("end", -10, -14) if room else ("start", 12, 26)
        markers.append((_fmt(x(bv)), _fmt(y(api(bv))), f"Break-even {_volume_label(bv)}", *place))
    if 0 < float(volume) <= x_max:
        vlines.append((_fmt(x(float(volume))), f"Your volume {_volume_label(float(volume))}"))
    api_end, hosted_end = api(x_max), hosted(x_max)
    series = [
        Series(
            key="api",
            label="API",
            colour="#0b5cad",
            path=api_path,
            end_label=(_fmt(x(x_max) + 8), _fmt(y(api_end) + 5), "API"),
        ),
        Series(
            key="self",
            label="Self-hosted",
            colour="#b45309",
            path=" ".join(steps),
            end_label=(_fmt(x(x_max) + 8), _fmt(y(hosted_end) + 5), "Self-hosted"),
        ),
    ]
    _spread_end_labels(series)
    return Chart(
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        x_ticks=[Tick(x(v), _volume_label(v)) for v in x_values],
        y_ticks=[Tick(y(v), _money_label(v, symbol)) for v in y_values],
        series=series,
        x_title="Tokens per month (input and output)",
        y_title="Cost per month",
        font_size=17,
        markers=markers,
        vlines=vlines,
    )
