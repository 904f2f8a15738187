"""Chart geometry, with hand-computed coordinates."""

from decimal import Decimal

from insights import charts
from insights.stats import Bin


def test_line_chart_places_levels_and_rounds():
    chart = charts.line_chart(
        ["Voorjaar", "Najaar", "Voorjaar 2028"], {"current": [Decimal("1.0"), None, Decimal("5.0")]}
    )
    # Plot area: x from 34 to 340 (360 - 20), y from 14 (level 5) to 160 (level 1; 200 - 40).
    assert [(t.x, t.anchor) for t in chart["x_ticks"]] == [(34.0, "start"), (187.0, "middle"), (340.0, "end")]
    assert [t.y for t in chart["y_ticks"]] == [160.0, 123.5, 87.0, 50.5, 14.0]
    line = chart["lines"][0]
    assert line.dots == [(34.0, 160.0), (340.0, 14.0)]
    # A value that is not shown breaks the line: two single points, no segment drawn across.
    assert line.segments == []


def test_line_chart_connects_neighbouring_values():
    line = charts.line_chart(["a", "b"], {"desired": [Decimal("3.0"), Decimal("4.0")]})["lines"][0]
    assert line.segments == ["34.0,87.0 340.0,50.5"]


def test_one_round_sits_in_the_middle():
    chart = charts.line_chart(["Voorjaar"], {"current": [Decimal("3.0")]})
    assert (chart["x_ticks"][0].x, chart["x_ticks"][0].anchor) == (187.0, "middle")


def test_bar_segments_are_proportional():
    segments = charts.bar([Bin(1, 2, 5), Bin(3, 3, 0), Bin(4, 5, 15)], 20)
    # 5/20 of 600 = 150, 15/20 = 450; the empty part is left out.
    assert [(s.label, s.x, s.width, s.shade) for s in segments] == [("1–2", 0.0, 150.0, 1), ("4–5", 150.0, 450.0, 4)]
