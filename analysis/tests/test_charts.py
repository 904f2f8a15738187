"""Chart geometry: levels map onto the axis, bars fill their width in proportion."""

from decimal import Decimal

from analysis import charts
from reports.scoring import Bin


def test_levels_map_onto_the_plot():
    assert charts.level_x(1) == charts.PLOT_LEFT
    assert charts.level_x(5) == charts.PLOT_RIGHT
    assert charts.level_x(Decimal("3.0")) == (charts.PLOT_LEFT + charts.PLOT_RIGHT) / 2


def test_dumbbells_one_row_each():
    chart = charts.dumbbells([("A1", Decimal("2.0"), Decimal("4.0")), ("A2", Decimal("3.0"), Decimal("3.5"))])
    first, second = chart["rows"]
    assert (first.label, first.current_x, first.desired_x) == ("A1", charts.level_x(2), charts.level_x(4))
    assert second.y - first.y == charts.ROW
    assert [tick.level for tick in chart["ticks"]] == [1, 2, 3, 4, 5]


def test_stacked_bars_split_the_width_by_count_and_skip_hidden_distributions():
    bins = [Bin(1, 2, 5), Bin(3, 3, 10), Bin(4, 5, 5)]
    chart = charts.stacked_bars([("A1", [("now", bins), ("desired", None)]), ("A2", [("now", None)])])
    (bar,) = chart["bars"]
    span = charts.PLOT_RIGHT - charts.BAR_LEFT
    assert [segment.width for segment in bar.segments] == [span / 4, span / 2, span / 4]
    assert [segment.label for segment in bar.segments] == ["1–2", "3", "4–5"]
    assert [segment.shade for segment in bar.segments] == [2, 3, 5]
    assert bar.segments[1].x == charts.BAR_LEFT + span / 4
