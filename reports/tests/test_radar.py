"""Unit tests for reports/radar.py: the geometry of the current-vs-desired radar chart."""

import math
from decimal import Decimal

import pytest

from reports import radar
from reports.radar import CENTRE, RADIUS

LABELS = ["A", "B", "C", "D"]


def _distance(x, y):
    return math.hypot(x - CENTRE, y - CENTRE)


def test_chart_has_one_axis_per_label_in_order():
    chart = radar.radar(["one", "two", "three", "four", "five", "six"], {})
    assert [axis.label for axis in chart["axes"]] == ["one", "two", "three", "four", "five", "six"]


def test_chart_size_and_centre():
    chart = radar.radar(LABELS, {})
    assert chart["size"] == 560
    assert chart["centre"] == chart["size"] / 2 == CENTRE


def test_first_axis_points_straight_up_from_the_centre():
    first = radar.radar(LABELS, {})["axes"][0]
    # straight up: same x as the centre, y smaller (SVG y grows downwards) by exactly the radius
    assert first.x == CENTRE
    assert first.y == CENTRE - RADIUS
    assert first.anchor == "middle"
    assert first.label_x == CENTRE
    assert first.label_y < first.y  # label sits beyond the end of the axis


def test_axes_go_clockwise_with_four_labels():
    axes = radar.radar(LABELS, {})["axes"]
    # 4 axes: up, right, down, left (clockwise on screen)
    assert (axes[1].x, axes[1].y) == (CENTRE + RADIUS, CENTRE)
    assert (axes[2].x, axes[2].y) == (CENTRE, CENTRE + RADIUS)
    assert (axes[3].x, axes[3].y) == (CENTRE - RADIUS, CENTRE)
    assert axes[1].anchor == "start"
    assert axes[3].anchor == "end"


def test_every_axis_ends_on_the_outer_radius():
    for axis in radar.radar([str(i) for i in range(21)], {})["axes"]:
        assert _distance(axis.x, axis.y) == pytest.approx(RADIUS, abs=0.1)


def test_value_five_lies_on_the_outer_radius():
    chart = radar.radar(LABELS, {"current": [5, 5, 5, 5]})
    for axis, (x, y) in zip(chart["axes"], chart["series"][0].dots, strict=True):
        assert (x, y) == (axis.x, axis.y)
        assert _distance(x, y) == pytest.approx(RADIUS, abs=0.1)


@pytest.mark.parametrize(("value", "fraction"), [(1, 0.2), (2.5, 0.5), (Decimal("3.5"), 0.7), (4, 0.8)])
def test_value_lies_at_its_share_of_the_radius(value, fraction):
    # value / 5 of the radius, along the first axis (straight up)
    (x, y) = radar.radar(LABELS, {"current": [value, 1, 1, 1]})["series"][0].dots[0]
    assert x == CENTRE
    assert y == pytest.approx(CENTRE - RADIUS * fraction, abs=0.05)


def test_unknown_value_is_drawn_at_the_centre():
    dots = radar.radar(LABELS, {"desired": [None, 4, None, 2]})["series"][0].dots
    assert dots[0] == (CENTRE, CENTRE)
    assert dots[2] == (CENTRE, CENTRE)
    assert dots[1] != (CENTRE, CENTRE)


def test_five_level_rings_with_a_point_per_axis():
    chart = radar.radar(LABELS, {})
    assert len(chart["rings"]) == 5
    for level, ring in enumerate(chart["rings"], start=1):
        points = [tuple(float(c) for c in pair.split(",")) for pair in ring.split()]
        assert len(points) == len(LABELS)
        for x, y in points:
            assert _distance(x, y) == pytest.approx(RADIUS * level / 5, abs=0.1)


def test_series_points_string_matches_dots_and_keeps_key_order():
    chart = radar.radar(LABELS, {"current": [1, 2, 3, 4], "desired": [5, 5, 5, None]})
    assert [s.key for s in chart["series"]] == ["current", "desired"]
    for series in chart["series"]:
        assert series.points == " ".join(f"{x},{y}" for x, y in series.dots)
        assert len(series.dots) == len(LABELS)


def test_coordinates_are_rounded_to_one_decimal():
    chart = radar.radar(["a", "b", "c"], {"current": [3.3, 2.7, 4.1]})
    for x, y in chart["series"][0].dots:
        assert round(x, 1) == x
        assert round(y, 1) == y
