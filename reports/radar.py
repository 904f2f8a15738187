"""Geometry for the radar chart (current vs desired), drawn as inline SVG by a template.

Pure: numbers in, coordinates out. Server-side SVG needs no JavaScript, prints sharply and
goes into the PDF unchanged; every chart has a table equivalent on the page.
"""

import math
from dataclasses import dataclass

SIZE = 560
CENTRE = SIZE / 2
RADIUS = 190
MAX_LEVEL = 5


@dataclass(frozen=True)
class Axis:
    label: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str


@dataclass(frozen=True)
class Series:
    key: str
    points: str
    dots: list[tuple[float, float]]


def _point(index: int, count: int, value: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    distance = RADIUS * value / MAX_LEVEL
    return round(CENTRE + distance * math.cos(angle), 1), round(CENTRE + distance * math.sin(angle), 1)


def radar(labels: list[str], series: dict[str, list[float | None]]) -> dict:
    """Axes, level rings and one polygon per series; unknown values are drawn at the centre."""
    count = len(labels)
    axes = []
    for index, label in enumerate(labels):
        x, y = _point(index, count, MAX_LEVEL)
        lx, ly = _point(index, count, MAX_LEVEL + 0.55)
        anchor = "middle" if abs(lx - CENTRE) < 8 else ("start" if lx > CENTRE else "end")
        axes.append(Axis(label, x, y, lx, round(ly + 4, 1), anchor))
    rings = [
        " ".join(f"{x},{y}" for x, y in (_point(i, count, level) for i in range(count)))
        for level in range(1, MAX_LEVEL + 1)
    ]
    drawn = []
    for key, values in series.items():
        dots = [_point(i, count, float(v) if v is not None else 0.0) for i, v in enumerate(values)]
        drawn.append(Series(key, " ".join(f"{x},{y}" for x, y in dots), dots))
    return {"size": SIZE, "centre": CENTRE, "axes": axes, "rings": rings, "series": drawn}


def points(count: int, values: list) -> str:
    """A polygon's points for one value per axis (None at the centre)."""
    return " ".join(
        f"{x},{y}" for x, y in (_point(i, count, float(v) if v is not None else 0.0) for i, v in enumerate(values))
    )


def band(count: int, lower: list, upper: list) -> str:
    """An SVG path for the ring between two polygons (fill-rule evenodd): a P25-P75 band."""
    outer = points(count, upper)
    inner = points(count, lower)
    return f"M {outer.replace(' ', ' L ')} Z M {inner.replace(' ', ' L ')} Z"
