"""Geometry for the server-rendered SVG charts: pure functions over plain values, no ORM.

Templates draw the shapes; every bar and point carries its value as text, and bars are hatched
with an outline, so the charts read without colour. The data table sits beside each chart."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Bar:
    label: str
    short_label: str
    value: Decimal | None
    y: float
    width: float
    text_x: float
    text_y: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[Bar]
    axis_x: int
    axis_end: int
    label_x: int


BAR_ROW = 30
BAR_HEIGHT = 20
LABEL_WIDTH = 190
PLOT_WIDTH = 320
VALUE_ROOM = 70


def _short(label: str, limit: int = 14) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(items: list[tuple[str, Decimal | None]]) -> BarChart:
    """Horizontal bars for percentages (0–100); None (nobody assigned) draws no bar."""
    bars = []
    for index, (label, value) in enumerate(items):
        y = 10 + index * BAR_ROW
        share = max(Decimal("0"), min(Decimal("100"), value)) if value is not None else Decimal("0")
        width = float(share) * PLOT_WIDTH / 100
        bars.append(
            Bar(
                label=label,
                short_label=_short(label),
                value=value,
                y=y,
                width=round(width, 1),
                text_x=round(LABEL_WIDTH + width + 6, 1),
                text_y=y + BAR_HEIGHT - 5,
            )
        )
    return BarChart(
        width=LABEL_WIDTH + PLOT_WIDTH + VALUE_ROOM,
        height=20 + len(items) * BAR_ROW,
        label_width=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
        bars=bars,
        axis_x=LABEL_WIDTH,
        axis_end=LABEL_WIDTH + PLOT_WIDTH,
        label_x=LABEL_WIDTH - 8,
    )


@dataclass(frozen=True)
class Point:
    label: str
    value: int
    x: float
    y: float

    @property
    def marker_x(self) -> float:
        return round(self.x - 4, 1)

    @property
    def marker_y(self) -> float:
        return round(self.y - 4, 1)

    @property
    def value_y(self) -> float:
        return round(self.y - 9, 1)


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    points: list[Point]
    polyline: str
    left: int
    right: int
    top: int
    bottom: int
    maximum: int
    ticks: list[tuple[int, float]]
    label_y: int
    tick_x: int


def line_chart(items: list[tuple[str, int]], *, width: int = 560, height: int = 240) -> LineChart:
    """A line through counts per period, with a marker and the value at every point."""
    left, right, top, bottom = 44, width - 16, 24, height - 36
    maximum = max([value for _label, value in items] + [1])
    count = len(items)
    step = (right - left) / (count - 1) if count > 1 else 0
    points = [
        Point(
            label=label,
            value=value,
            x=round(left + index * step, 1),
            y=round(bottom - value * (bottom - top) / maximum, 1),
        )
        for index, (label, value) in enumerate(items)
    ]
    ticks = sorted({0, maximum // 2, maximum})
    return LineChart(
        width=width,
        height=height,
        points=points,
        polyline=" ".join(f"{point.x},{point.y}" for point in points),
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        maximum=maximum,
        ticks=[(tick, round(bottom - tick * (bottom - top) / maximum, 1)) for tick in ticks],
        label_y=bottom + 20,
        tick_x=left - 8,
    )
