"""The roadmap's pure decisions: priority order, defaults, progress toward the target."""

from decimal import Decimal

import pytest

from reports import scoring
from roadmaps import planning
from roadmaps.exports import safe_cell
from roadmaps.planning import Candidate

D = Decimal


def cand(lineage, position, current, desired, iqr=None):
    return Candidate(lineage, position, D(current), D(desired), D(desired) - D(current), D(iqr) if iqr else None)


def test_proposals_largest_gap_then_lowest_now_then_largest_disagreement():
    candidates = [
        cand("a", 1, "2.0", "3.0", "1.0"),  # gap 1.0, now 2.0
        cand("b", 2, "1.5", "3.5"),  # gap 2.0: first
        cand("c", 3, "2.5", "3.5", "2.5"),  # gap 1.0, now 2.5, wide disagreement
        cand("d", 4, "2.0", "3.0", "2.0"),  # gap 1.0, now 2.0, disagreement 2.0 > a's 1.0
        cand("e", 5, "3.0", "3.0"),  # no gap: not proposed
        cand("f", 6, "3.5", "3.2"),  # desired below now: not proposed
        cand("g", 7, "2.0", "3.0", "2.0"),  # as d, later in the instrument
    ]
    assert [c.lineage for c in planning.propose(candidates)] == ["b", "d", "g", "a", "c"]


@pytest.mark.parametrize(
    ("current", "desired", "target"),
    [
        ("2.4", "3.6", 4),  # the desired mean rounded: 4
        ("2.4", "2.6", 3),  # 3, which is also one above now (floor 2.4 + 1)
        ("2.9", "3.2", 3),
        ("3.0", "3.3", 4),  # the desired rounds to 3, but at least one level above now: 4
        ("4.6", "4.9", 5),
        ("2.5", "3.5", 4),  # halves round up
    ],
)
def test_default_target(current, desired, target):
    assert planning.default_target(D(current), D(desired)) == target


def test_next_levels_between_now_and_the_target():
    assert planning.next_levels(D("2.4"), 4) == [3, 4]
    assert planning.next_levels(D("3.0"), 4) == [4]
    assert planning.next_levels(D("4.2"), 4) == []


def fig(mean, n=6):
    return scoring.GroupFigure(n=n, mean=D(mean), shown=True, reason=None)


HIDDEN = scoring.GroupFigure(n=3, mean=None, shown=False, reason="below_k")


@pytest.mark.parametrize(
    ("before", "after", "target", "state", "change"),
    [
        ("2.1", "2.5", 4, "toward", "0.4"),
        ("2.1", "2.4", 4, "toward", "0.3"),  # 0.3 >= 0.25 (means have one decimal)
        ("2.1", "2.3", 4, "unchanged", "0.2"),
        ("2.1", "1.8", 4, "away", "-0.3"),
        ("3.5", "3.1", 2, "toward", "-0.4"),  # a target below now: down is toward it
        ("3.0", "3.0", 3, "unchanged", "0.0"),
        ("3.0", "3.4", 3, "away", "0.4"),  # at the target already: any clear change moves away
    ],
)
def test_progress_toward_the_target(before, after, target, state, change):
    result = planning.progress(fig(before), fig(after), target)
    assert (result.state, result.change) == (state, D(change))


def test_progress_needs_both_rounds_to_reach_k():
    assert planning.progress(fig("2.0"), HIDDEN, 4).state == "unknown"
    assert planning.progress(HIDDEN, fig("3.0"), 4).state == "unknown"
    assert planning.progress(fig("2.0"), None, 4).state == "unknown"


def test_target_reached():
    assert planning.progress(fig("2.1"), fig("4.0"), 4).reached is True
    assert planning.progress(fig("2.1"), fig("3.9"), 4).reached is False


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=SUM(A1)", "'=SUM(A1)"), ("+31 6", "'+31 6"), ("-x", "'-x"), ("@me", "'@me"), ("ICT", "ICT"), (None, "")],
)
def test_csv_cells_never_start_a_formula(value, cell):
    assert safe_cell(value) == cell
