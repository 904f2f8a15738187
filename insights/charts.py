"""Geometry for the organisation report's charts, drawn as inline SVG by templates.

Pure: numbers in, coordinates out (as reports.radar). Server-side SVG needs no JavaScript,
prints sharply and goes into the PDF unchanged; every chart has a table equivalent.
"""

from dataclasses import dataclass
from decimal import Decimal

LEVELS = (1, 2, 3, 4, 5)

# The trend chart: levels 1-5 upwards, rounds from left to right.
WIDTH = 360
HEIGHT = 200
LEFT = 34
RIGHT = 20
TOP = 14
BOTTOM = 40


@dataclass(frozen=True)
class Tick:
    label: str
    x: float
    y: float
    anchor: str = "middle"


@dataclass(frozen=True)
class Line:
    key: str
    segments: list[str]  # polyline points, split where a value is not shown
    dots: list[tuple[float, float]]


def _x(index: int, count: int) -> float:
    width = WIDTH - LEFT - RIGHT
    if count <= 1:
        return round(LEFT + width / 2, 1)
    return round(LEFT + width * index / (count - 1), 1)


def _y(level: float) -> float:
    height = HEIGHT - TOP - BOTTOM
    return round(TOP + height * (LEVELS[-1] - level) / (LEVELS[-1] - LEVELS[0]), 1)


def _anchor(index: int, count: int) -> str:
    """The first and last round's labels stay inside the chart."""
    if count > 1 and index == 0:
        return "start"
    if count > 1 and index == count - 1:
        return "end"
    return "middle"


def line_chart(labels: list[str], series: dict[str, list[Decimal | None]]) -> dict:
    """One line per series over the rounds; a value that is not shown breaks the line."""
    count = len(labels)
    x_ticks = [Tick(label, _x(i, count), HEIGHT - BOTTOM + 18, _anchor(i, count)) for i, label in enumerate(labels)]
    y_ticks = [Tick(str(level), LEFT - 8, _y(level), "end") for level in LEVELS]
    lines = []
    for key, values in series.items():
        segments, current, dots = [], [], []
        for i, value in enumerate(values):
            if value is None:
                if current:
                    segments.append(" ".join(current))
                current = []
                continue
            x, y = _x(i, count), _y(float(value))
            current.append(f"{x},{y}")
            dots.append((x, y))
        if current:
            segments.append(" ".join(current))
        lines.append(Line(key, [s for s in segments if " " in s], dots))
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "x_ticks": x_ticks,
        "y_ticks": y_ticks,
        "lines": lines,
    }


# The distribution bar: one horizontal bar per scale, split into its parts.
BAR_WIDTH = 600
BAR_HEIGHT = 36


@dataclass(frozen=True)
class Segment:
    label: str
    count: int
    x: float
    width: float
    text_x: float
    shade: int  # 1-5: the middle level of the part, for its colour


def bar(bins, total: int) -> list[Segment]:
    """Segments for a distribution's parts, widths proportional to their answers."""
    segments, x = [], 0.0
    for part in bins:
        if part.count == 0:
            continue
        width = round(BAR_WIDTH * part.count / total, 1) if total else 0.0
        label = str(part.low) if part.low == part.high else f"{part.low}–{part.high}"
        segments.append(
            Segment(label, part.count, round(x, 1), width, round(x + width / 2, 1), (part.low + part.high) // 2)
        )
        x += width
    return segments
