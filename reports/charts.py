"""Geometry of the target chart (floor / target / stretch at 6 and 12 months against the
baseline), drawn as SVG by templates/reports/_target_chart.html.

Pure: no Django import, Decimal throughout; the template only places what this computes, so the
browser preview and the PDF show the same picture.
"""

from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, Decimal

from common.charts import axis_bounds, nice_step, round_to, spread, tick_values

WIDTH = 460
HEIGHT = 130
LEFT = 64
RIGHT = 78
TOP = 12
BOTTOM = 28
HORIZONS = (6, 12)
LEVELS = ("floor", "target", "stretch")
_PLACES = Decimal("0.1")
# End labels ("floor", "target", "stretch") at least this far apart, so they never overlap.
LABEL_GAP = Decimal(11)


@dataclass(frozen=True)
class Point:
    x: Decimal
    y: Decimal


# Colour and dash per level, so the lines stay apart in colour and in grey print alike.
LEVEL_STYLE = {
    "floor": ("#9a5b00", "5 3"),
    "target": ("#0b5cad", ""),
    "stretch": ("#1c7c3a", "1.5 2.5"),
}


@dataclass(frozen=True)
class Series:
    level: str
    points: tuple[Point, ...]
    label_y: Decimal

    @property
    def svg_points(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)

    @property
    def dots_path(self) -> str:
        """One dot per point as a single path: zero-length segments drawn with round caps."""
        return " ".join(f"M{p.x} {p.y}h0" for p in self.points)

    @property
    def colour(self) -> str:
        return LEVEL_STYLE[self.level][0]

    @property
    def dash(self) -> str:
        return LEVEL_STYLE[self.level][1]

    @property
    def last(self) -> Point:
        return self.points[-1]


@dataclass(frozen=True)
class Tick:
    value: Decimal
    label: str
    y: Decimal


@dataclass(frozen=True)
class TargetChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    x_labels: tuple[tuple[str, Decimal], ...]
    ticks: tuple[Tick, ...]
    series: tuple[Series, ...]
    baseline_y: Decimal | None
    title: str = ""
    levels: tuple[str, ...] = field(default=LEVELS)

    @property
    def grid_path(self) -> str:
        """Every tick's gridline as a single path (one drawing operation, not one per line)."""
        return " ".join(f"M{self.plot_left} {t.y}H{self.plot_right}" for t in self.ticks)

    @property
    def tick_label_x(self) -> int:
        return self.plot_left - 6

    @property
    def x_label_y(self) -> int:
        return self.plot_bottom + 18

    @property
    def end_label_x(self) -> int:
        return self.plot_right + 8


def format_number(value: Decimal) -> str:
    """A short, exact label: thousands separators, no trailing zeros ("12,500", "0.25")."""
    normalised = value.normalize()
    if normalised == normalised.to_integral():
        return f"{normalised.quantize(Decimal(1)):,}"
    return f"{normalised:,f}"


def target_chart(
    *, baseline: Decimal | None, values: dict[tuple[int, str], Decimal | None], title: str = ""
) -> TargetChart | None:
    """The chart for one KPI: `values` maps (horizon_months, level) to a value.

    Each level is a line from the baseline (when known) through its 6- and 12-month values.
    None when there is nothing to draw.
    """
    known = [v for v in values.values() if v is not None]
    if not known:
        return None
    everything = [*known, *([baseline] if baseline is not None else [])]
    low, high = min(everything), max(everything)
    if low == high:
        pad = abs(low) / 10 if low else Decimal(1)
        low, high = low - pad, high + pad
    step = nice_step(high - low)
    low, high = axis_bounds(low, high, step)

    plot_left, plot_right = LEFT, WIDTH - RIGHT
    plot_top, plot_bottom = TOP, HEIGHT - BOTTOM

    def y_of(value: Decimal) -> Decimal:
        share = (value - low) / (high - low)
        return (plot_bottom - share * (plot_bottom - plot_top)).quantize(_PLACES)

    inner = Decimal(plot_right - plot_left)
    x_at = {
        0: Decimal(plot_left),
        6: (plot_left + inner / 2).quantize(_PLACES),
        12: Decimal(plot_right),
    }
    ticks = [Tick(value=v, label=format_number(v), y=y_of(v)) for v in tick_values(low, high, step)]

    series = []
    for level in LEVELS:
        points = []
        if baseline is not None:
            points.append(Point(x_at[0], y_of(baseline)))
        for horizon in HORIZONS:
            v = values.get((horizon, level))
            if v is not None:
                points.append(Point(x_at[horizon], y_of(v)))
        if len(points) >= 2 or (points and baseline is None):
            series.append(Series(level=level, points=tuple(points), label_y=points[-1].y))
    label_ys = spread([s.label_y for s in series], LABEL_GAP)
    series = [replace(s, label_y=y) for s, y in zip(series, label_ys, strict=True)]
    return TargetChart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        x_labels=(("Baseline", x_at[0]), ("6 months", x_at[6]), ("12 months", x_at[12])),
        ticks=tuple(ticks),
        series=tuple(series),
        baseline_y=y_of(baseline) if baseline is not None else None,
        title=title,
    )


# --- The cost forecast: the portfolio's monthly cost --------------------------------------------
FORECAST_WIDTH = 460
FORECAST_HEIGHT = 150


@dataclass(frozen=True)
class ForecastChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    points: str
    ticks: tuple[Tick, ...]
    x_labels: tuple[tuple[str, Decimal], ...]
    title: str

    @property
    def grid_path(self) -> str:
        return " ".join(f"M{self.plot_left} {t.y}H{self.plot_right}" for t in self.ticks)

    @property
    def tick_label_x(self) -> int:
        return self.plot_left - 6

    @property
    def x_label_y(self) -> int:
        return self.plot_bottom + 16


def forecast_chart(totals: list[Decimal], *, title: str) -> ForecastChart | None:
    """A line of the monthly totals (month 1 to n) over a zero-based axis; None without data."""
    if not totals:
        return None
    left, right, top, bottom = LEFT, FORECAST_WIDTH - 36, TOP, FORECAST_HEIGHT - BOTTOM
    highest = max(totals)
    step = nice_step(highest if highest > 0 else Decimal(1))
    axis_top = round_to(highest, step, ROUND_CEILING) or step
    count = len(totals)

    def x(month: int) -> Decimal:
        if count == 1:
            return Decimal(left)
        return (Decimal(left) + (right - left) * Decimal(month - 1) / (count - 1)).quantize(_PLACES)

    def y(value: Decimal) -> Decimal:
        return (Decimal(bottom) - (bottom - top) * value / axis_top).quantize(_PLACES)

    ticks = [
        Tick(value=v, label=format_number(v), y=y(v))
        for v in tick_values(Decimal(0), axis_top, step)
    ]
    labelled = sorted({1, *range(6, count + 1, 6), count})
    return ForecastChart(
        width=FORECAST_WIDTH,
        height=FORECAST_HEIGHT,
        plot_left=left,
        plot_right=right,
        plot_top=top,
        plot_bottom=bottom,
        points=" ".join(f"{x(m)},{y(v)}" for m, v in enumerate(totals, start=1)),
        ticks=tuple(ticks),
        x_labels=tuple((f"Month {m}", x(m)) for m in labelled),
        title=title,
    )
