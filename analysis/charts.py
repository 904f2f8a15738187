"""Geometry for the national page's SVG charts, drawn by templates (as reports/radar.py does).

Pure: numbers in, coordinates out. No JavaScript; every chart has a table with the same numbers.
"""

from dataclasses import dataclass
from decimal import Decimal

WIDTH = 640
LABEL_WIDTH = 56
PLOT_LEFT = LABEL_WIDTH + 14
PLOT_RIGHT = WIDTH - 20
TOP = 34
ROW = 26
LEVELS = (1, 2, 3, 4, 5)


def level_x(level: Decimal | float) -> float:
    """x of a level 1-5 on the horizontal scale."""
    return round(PLOT_LEFT + (float(level) - 1) / 4 * (PLOT_RIGHT - PLOT_LEFT), 1)


@dataclass(frozen=True)
class Tick:
    level: int
    x: float


@dataclass(frozen=True)
class Dumbbell:
    label: str
    y: float
    current_x: float
    desired_x: float

    @property
    def text_y(self) -> float:
        return round(self.y + 5, 1)

    @property
    def box_x(self) -> float:
        return round(self.desired_x - 6, 1)

    @property
    def box_y(self) -> float:
        return round(self.y - 6, 1)


def dumbbells(rows: list[tuple[str, Decimal, Decimal]]) -> dict:
    """One row per (label, mean now, mean desired): a line from now to desired on a 1-5 scale."""
    drawn = [
        Dumbbell(label, TOP + index * ROW + ROW / 2, level_x(current), level_x(desired))
        for index, (label, current, desired) in enumerate(rows)
    ]
    height = TOP + len(rows) * ROW + 10
    return {
        "width": WIDTH,
        "height": height,
        "label_x": LABEL_WIDTH,
        "rows": drawn,
        "ticks": [Tick(level, level_x(level)) for level in LEVELS],
        "axis_top": TOP - 6,
        "axis_bottom": height - 8,
        "tick_y": TOP - 14,
    }


@dataclass(frozen=True)
class Segment:
    low: int
    high: int
    count: int
    x: float
    width: float
    label_x: float
    label: str  # the levels ("3" or "1–2"), drawn only when the segment is wide enough
    shade: int  # 1-5: the colour of the segment's middle level


@dataclass(frozen=True)
class Bar:
    label: str
    sublabel: str
    y: float
    segments: list[Segment]

    @property
    def text_y(self) -> float:
        return round(self.y + BAR_HEIGHT - 4, 1)


BAR_LEFT = 150
BAR_HEIGHT = 16
BAR_GAP = 4
GROUP_GAP = 12


def stacked_bars(groups: list[tuple[str, list[tuple[str, list | None]]]]) -> dict:
    """Horizontal bars of 100 %, one per (label, [(sublabel, bins or None)]); a bar without bins
    (distribution not shown) is left out."""
    bars = []
    y = TOP - 20
    for label, scales in groups:
        first = True
        for sublabel, bins in scales:
            if not bins:
                continue
            bars.append(Bar(label if first else "", sublabel, y, _segments(bins)))
            first = False
            y += BAR_HEIGHT + BAR_GAP
        if not first:
            y += GROUP_GAP
    return {
        "width": WIDTH,
        "height": round(y + 4, 1),
        "bars": bars,
        "bar_height": BAR_HEIGHT,
        "label_x": BAR_LEFT - 8,
    }


def _segments(bins) -> list[Segment]:
    total = sum(b.count for b in bins)
    span = PLOT_RIGHT - BAR_LEFT
    x = float(BAR_LEFT)
    segments = []
    for b in bins:
        width = span * b.count / total if total else 0
        label = str(b.low) if b.low == b.high else f"{b.low}–{b.high}"
        segments.append(
            Segment(
                b.low,
                b.high,
                b.count,
                round(x, 1),
                round(width, 1),
                round(x + width / 2, 1),
                label if width >= 9 * len(label) + 6 else "",
                (b.low + b.high + 1) // 2,
            )
        )
        x += width
    return segments
