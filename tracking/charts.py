"""Geometry of a KPI's tracking chart: the paths from the baseline to the floor, target and
stretch at 6 and 12 months, and the actuals month by month (a missing month is a gap, never a
line drawn through it). Drawn as SVG by templates/tracking/_kpi_chart.html.

Pure: no Django import; Decimal throughout, on the kernel in common.charts.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from common.charts import axis_bounds, nice_step, spread, tick_values

from . import status as tracking_status

WIDTH = 560
HEIGHT = 220
LEFT = 64
RIGHT = 76
TOP = 12
BOTTOM = 32
LABEL_GAP = Decimal(12)
_PLACES = Decimal("0.1")
# Colour and dash per level, as the payback chart draws them.
LEVEL_STYLE = {
    "floor": ("#9a5b00", "6 3"),
    "target": ("#0b5cad", ""),
    "stretch": ("#1c7c3a", "1.5 2.5"),
}
ACTUAL_COLOUR = "#14202b"


def _round(value: Decimal) -> Decimal:
    return value.quantize(_PLACES, rounding=ROUND_HALF_UP)


def _label(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Path:
    level: str
    points: str
    colour: str
    dash: str
    label_y: Decimal


@dataclass(frozen=True)
class Point:
    x: Decimal
    y: Decimal
    label: str  # "Mar 2027: 118 (below floor)"


@dataclass(frozen=True)
class KpiChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    ticks: tuple[tuple[str, Decimal], ...]
    months: tuple[tuple[str, Decimal], ...]
    paths: tuple[Path, ...]
    segments: tuple[str, ...]  # actual lines between consecutive months with data
    points: tuple[Point, ...]
    unit: str

    @property
    def end_label_x(self) -> int:
        return self.plot_right + 6


def kpi_chart(
    targets: tracking_status.Targets, rows: list[tracking_status.Month], *, unit: str = ""
) -> KpiChart:
    """The chart of a KPI's months (from tracking.status.months) against its targets."""
    last = max([12, *(row.index for row in rows)])
    levels = {level: [targets.at(m)[level] for m in range(last + 1)] for level in LEVEL_STYLE}
    values = [v for series in levels.values() for v in series]
    values += [row.actual for row in rows if row.actual is not None]
    low, high = min(values), max(values)
    step = nice_step(high - low)
    low, high = axis_bounds(low, high, step)
    if high == low:
        high = low + step
    plot_right, plot_bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    x_span, y_span = Decimal(plot_right - LEFT), Decimal(plot_bottom - TOP)

    def x_of(month: int) -> Decimal:
        return _round(LEFT + x_span * month / last)

    def y_of(value: Decimal) -> Decimal:
        return _round(plot_bottom - y_span * (value - low) / (high - low))

    label_ys = spread([y_of(levels[level][-1]) for level in LEVEL_STYLE], LABEL_GAP)
    paths = tuple(
        Path(
            level=level,
            points=" ".join(f"{x_of(m)},{y_of(v)}" for m, v in enumerate(levels[level])),
            colour=LEVEL_STYLE[level][0],
            dash=LEVEL_STYLE[level][1],
            label_y=label_y,
        )
        for level, label_y in zip(LEVEL_STYLE, label_ys, strict=True)
    )
    segments, run = [], []
    for row in rows:
        if row.actual is None:
            if len(run) > 1:
                segments.append(" ".join(run))
            run = []
            continue
        run.append(f"{x_of(row.index)},{y_of(row.actual)}")
    if len(run) > 1:
        segments.append(" ".join(run))
    points = tuple(
        Point(
            x=x_of(row.index),
            y=y_of(row.actual),
            label=f"{row.period:%b %Y}: {_label(row.actual)} ({row.label})",
        )
        for row in rows
        if row.actual is not None
    )
    month_ticks = list(range(0, last + 1, 3))
    return KpiChart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=plot_right,
        plot_top=TOP,
        plot_bottom=plot_bottom,
        ticks=tuple((_label(v), y_of(v)) for v in tick_values(low, high, step)),
        months=tuple((str(m), x_of(m)) for m in month_ticks),
        paths=paths,
        segments=tuple(segments),
        points=points,
        unit=unit,
    )
