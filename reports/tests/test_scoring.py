"""Unit tests for reports/scoring.py: every statistic and threshold, with hand-computed numbers.

Counts are six ints: index 0 = "I don't know", 1..5 = levels.
"""

from decimal import Decimal
from fractions import Fraction

import pytest

from reports import scoring
from reports.scoring import GroupFigure, Item, Summary

K = 5


# --- n and don't know ----------------------------------------------------------------------


def test_known_n_leaves_out_dont_know():
    # 1 + 2 + 0 + 1 + 3 = 7 levels given; the 4 "don't know" answers are not counted
    assert scoring.known_n([4, 1, 2, 0, 1, 3]) == 7


def test_dont_know_n_is_index_zero():
    assert scoring.dont_know_n([4, 1, 2, 0, 1, 3]) == 4


def test_known_n_of_only_dont_know_is_zero():
    assert scoring.known_n([9, 0, 0, 0, 0, 0]) == 0


# --- mean and round1 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        # 3x level 2 + 1x level 3 = 6 + 3 = 9 over n=4 -> 2.25 -> 2.3 (half up; round() would give 2.2)
        ([0, 0, 3, 1, 0, 0], "2.3"),
        # 13x2 + 7x3 = 26 + 21 = 47 over n=20 -> 2.35 -> 2.4
        ([0, 0, 13, 7, 0, 0], "2.4"),
        # 17x2 + 3x3 = 34 + 9 = 43 over n=20 -> 2.15 exactly -> 2.2 (the float 2.15 is 2.1499.. and would give 2.1)
        ([0, 0, 17, 3, 0, 0], "2.2"),
        # 17x1 + 3x2 = 17 + 6 = 23 over n=20 -> 1.15 exactly -> 1.2 (float 1.15 is 1.1499..)
        ([0, 17, 3, 0, 0, 0], "1.2"),
        # 13x4 + 7x5 = 52 + 35 = 87 over n=20 -> 4.35 exactly -> 4.4 (float 4.35 is 4.3499..)
        ([0, 0, 0, 0, 13, 7], "4.4"),
        # 2x2 + 1x3 = 7 over n=3 -> 7/3 = 2.333.. -> 2.3
        ([0, 0, 2, 1, 0, 0], "2.3"),
        # 1x2 + 2x3 = 8 over n=3 -> 8/3 = 2.666.. -> 2.7
        ([0, 0, 1, 2, 0, 0], "2.7"),
        # 1+2+3+4+5 = 15 over n=5 -> 3.0
        ([0, 1, 1, 1, 1, 1], "3.0"),
    ],
)
def test_mean_rounds_half_up_to_one_decimal_computed_exactly(counts, expected):
    result = scoring.mean(counts)
    assert isinstance(result, Decimal)
    assert str(result) == expected


def test_mean_ignores_dont_know_answers():
    # 10 don't know, 5x level 5: mean = 25 / 5 = 5.0 (not 25 / 15)
    assert scoring.mean([10, 0, 0, 0, 0, 5]) == Decimal("5.0")


def test_mean_is_none_when_nobody_gave_a_level():
    assert scoring.mean([7, 0, 0, 0, 0, 0]) is None
    assert scoring.mean(scoring.empty_counts()) is None


def test_exact_mean_is_a_fraction():
    # 2 + 2 + 3 = 7 over 3
    assert scoring.exact_mean([0, 0, 2, 1, 0, 0]) == Fraction(7, 3)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(9, 4), "2.3"),  # 2.25 -> 2.3
        (Fraction(47, 20), "2.4"),  # 2.35 -> 2.4
        (Fraction(7, 3), "2.3"),  # 2.333.. -> 2.3
        (Fraction(1, 20), "0.1"),  # 0.05 -> 0.1
        (Fraction(-1, 3), "-0.3"),
        (2, "2.0"),
        (Decimal("3.45"), "3.5"),
    ],
)
def test_round1_rounds_half_up_exactly(value, expected):
    assert str(scoring.round1(value)) == expected


def test_round1_of_none_is_none():
    assert scoring.round1(None) is None


# --- K threshold ---------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "expected"), [(0, False), (4, False), (5, True), (6, True)])
def test_reaches_k_from_k_upwards(n, expected):
    assert scoring.reaches_k(n, K) is expected


def test_group_figure_just_below_k_is_hidden():
    # n = 1+1+1+1 = 4 < K=5
    figure = scoring.group_figure([0, 1, 1, 1, 1, 0], K)
    assert figure == GroupFigure(n=4, mean=None, shown=False, reason="below_k")


def test_group_figure_at_k_is_shown_with_mean():
    # n = 5 (the 3 don't know answers do not count); mean = (1+2+3+4+5)/5 = 3.0
    figure = scoring.group_figure([3, 1, 1, 1, 1, 1], K)
    assert figure == GroupFigure(n=5, mean=Decimal("3.0"), shown=True, reason=None)


def test_group_figure_dont_know_answers_never_lift_n_to_k():
    # 8 answers, but only 4 gave a level: still below K
    figure = scoring.group_figure([4, 0, 0, 4, 0, 0], K)
    assert figure.shown is False
    assert figure.n == 4
    assert figure.reason == "below_k"
    assert figure.mean is None


def test_group_figure_with_nobody_giving_a_level_has_reason_none():
    figure = scoring.group_figure([12, 0, 0, 0, 0, 0], K)
    assert figure == GroupFigure(n=0, mean=None, shown=False, reason="none")


def test_group_figure_respects_a_larger_k():
    # n = 5 reaches K=5 but not K=6
    counts = [0, 0, 5, 0, 0, 0]
    assert scoring.group_figure(counts, 5).shown is True
    assert scoring.group_figure(counts, 6).reason == "below_k"


# --- pooled (theme) figure -------------------------------------------------------------------


def test_pooled_figure_pools_all_levels_and_takes_smallest_n():
    # statement 1: 5x level 2 (n=5); statement 2: 6x level 4 (n=6) plus 2 don't know
    # pooled mean = (5*2 + 6*4) / (5+6) = 34/11 = 3.0909.. -> 3.1 (the mean of means would be 3.0)
    figure = scoring.pooled_figure([[0, 0, 5, 0, 0, 0], [2, 0, 0, 0, 6, 0]], K)
    assert figure == GroupFigure(n=5, mean=Decimal("3.1"), shown=True, reason=None)


def test_pooled_figure_is_hidden_when_one_statement_is_below_k():
    # statement 2 has n=4 < 5, even though the theme pools 5+4+9 = 18 levels
    figure = scoring.pooled_figure([[0, 0, 5, 0, 0, 0], [0, 0, 0, 0, 4, 0], [0, 9, 0, 0, 0, 0]], K)
    assert figure == GroupFigure(n=4, mean=None, shown=False, reason="below_k")


def test_pooled_figure_with_a_statement_nobody_answered_has_reason_none():
    figure = scoring.pooled_figure([[0, 0, 5, 0, 0, 0], [6, 0, 0, 0, 0, 0]], K)
    assert figure == GroupFigure(n=0, mean=None, shown=False, reason="none")


def test_pooled_figure_of_no_statements_has_reason_none():
    assert scoring.pooled_figure([], K) == GroupFigure(n=0, mean=None, shown=False, reason="none")


# --- snapshots -----------------------------------------------------------------------------


@pytest.mark.parametrize(("new", "expected"), [(0, False), (K - 1, False), (K, True), (K + 3, True)])
def test_snapshot_due_only_after_k_new_counted_responses(new, expected):
    assert scoring.snapshot_due(new, K) is expected


# --- gaps for one respondent -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "desired", "expected"),
    [(2, 4, 2), (4, 2, -2), (3, 3, 0), (0, 4, None), (4, 0, None), (None, 3, None), (3, None, None)],
)
def test_gap_is_desired_minus_current_only_for_known_levels(current, desired, expected):
    assert scoring.gap(current, desired) == expected


@pytest.mark.parametrize(
    ("current", "desired", "expected"),
    [
        (2, 4, "gap"),
        (1, 5, "gap"),
        (3, 3, "none"),
        (4, 2, "lower"),
        (0, 4, "unknown"),  # don't know now
        (4, 0, "unknown"),  # don't know desired
        (None, 3, "unknown"),  # unanswered
        (3, None, "unknown"),
        (None, None, "unknown"),
        (0, 0, "unknown"),
    ],
)
def test_gap_kind(current, desired, expected):
    assert scoring.gap_kind(current, desired) == expected


def _top_gap_items():
    # position: current -> desired (gap)
    items = [
        Item(1, 1, 3),  # 2
        Item(2, 2, 5),  # 3
        Item(3, 3, 3),  # 0 -> not a gap
        Item(4, 1, 4),  # 3
        Item(5, 2, 4),  # 2
        Item(6, 4, 2),  # -2 -> lower, not a gap
        Item(7, 0, 5),  # don't know now -> unknown
        Item(8, 3, 5),  # 2
        Item(9, 1, 2),  # 1
        Item(10, None, 4),  # unanswered -> unknown
        Item(11, 2, 4),  # 2 (ties with 1, 5, 8 but comes last: just outside the top 5)
        Item(12, 4, 5),  # 1
    ]
    return items


def test_top_gaps_largest_first_ties_by_position_at_most_five():
    # Positive gaps: pos 2 (3), 4 (3), 1 (2), 5 (2), 8 (2), 11 (2), 9 (1), 12 (1).
    # Ordered: 2, 4 (gap 3), then 1, 5, 8, 11 (gap 2, by position) -> the cut after 5 items falls
    # inside the gap-2 tie: 11 is left out although its gap equals that of 8.
    items = list(reversed(_top_gap_items()))  # input order must not matter
    result = scoring.top_gaps(items)
    assert [item.position for item in result] == [2, 4, 1, 5, 8]


def test_top_gaps_with_seven_gaps_and_a_tie_crossing_the_cut_off():
    # Exactly 7 gaps: 3 at pos 6 and 2; 2 at pos 1, 3, 4, 7; 1 at pos 5.
    items = [
        Item(7, 2, 4),  # 2
        Item(5, 3, 4),  # 1
        Item(1, 1, 3),  # 2
        Item(6, 1, 4),  # 3
        Item(4, 2, 4),  # 2
        Item(3, 3, 5),  # 2
        Item(2, 2, 5),  # 3
        Item(8, 5, 5),  # 0
        Item(9, 0, 5),  # unknown
    ]
    # Sorted: gap 3 -> 2, 6; gap 2 -> 1, 3, 4, 7; gap 1 -> 5. First five: 2, 6, 1, 3, 4 (7 tied but cut)
    assert [item.position for item in scoring.top_gaps(items)] == [2, 6, 1, 3, 4]


def test_top_gaps_only_positive_gaps():
    items = [Item(1, 3, 3), Item(2, 4, 2), Item(3, 0, 5), Item(4, 5, None), Item(5, 2, 3)]
    assert scoring.top_gaps(items) == [Item(5, 2, 3)]


def test_top_gaps_fewer_than_five_returns_all_and_none_returns_empty():
    assert [i.position for i in scoring.top_gaps([Item(1, 1, 2), Item(2, 1, 5)])] == [2, 1]
    assert scoring.top_gaps([Item(1, 3, 3), Item(2, 5, 1)]) == []


def test_top_gaps_respects_limit():
    assert [i.position for i in scoring.top_gaps(_top_gap_items(), limit=3)] == [2, 4, 1]


# --- summary for one respondent -------------------------------------------------------------


def test_summarise_uses_only_statements_with_both_levels_known():
    items = [
        Item(1, 2, 4),
        Item(2, 3, 4),
        Item(3, 0, 5),  # don't know now: left out
        Item(4, 4, 0),  # don't know desired: left out
        Item(5, None, 2),  # unanswered: left out
        Item(6, 1, 3),
        Item(7, 4, 5),
    ]
    # paired: (2,4), (3,4), (1,3), (4,5): n=4
    # current = (2+3+1+4)/4 = 10/4 = 2.5; desired = (4+4+3+5)/4 = 16/4 = 4.0; gap = 4.0 - 2.5 = 1.5
    assert scoring.summarise(items) == Summary(4, Decimal("2.5"), Decimal("4.0"), Decimal("1.5"))


def test_summarise_gap_is_the_difference_of_the_shown_means():
    items = [Item(1, 3, 4), Item(2, 2, 5), Item(3, 5, 2)]
    # current = 10/3 = 3.33 -> 3.3; desired = 11/3 = 3.67 -> 3.7;
    # gap = 3.7 - 3.3 = 0.4 (not 1/3 -> 0.3), so the three shown figures add up
    assert scoring.summarise(items) == Summary(3, Decimal("3.3"), Decimal("3.7"), Decimal("0.4"))


def test_summarise_with_no_pairs_is_empty():
    assert scoring.summarise([Item(1, 0, 4), Item(2, None, None)]) == Summary(0, None, None, None)
    assert scoring.summarise([]) == Summary(0, None, None, None)


# --- stages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, "improvising"),
        (1.99, "improvising"),
        (Decimal("1.99"), "improvising"),
        (Fraction(199, 100), "improvising"),
        (2, "effective"),
        (Decimal("2.0"), "effective"),
        (2.99, "effective"),
        (3, "adaptive"),
        (Fraction(399, 100), "adaptive"),
        (4, "smart"),
        (5, "smart"),
        (None, None),
    ],
)
def test_stage_boundaries(value, expected):
    assert scoring.stage(value) == expected


def test_overall_stage_needs_half_the_statements_known_10_of_21_is_not_enough():
    # 10 known (all level 3), 11 don't know / unanswered: 2*10 = 20 < 21
    levels = [3] * 10 + [0] * 6 + [None] * 5
    assert scoring.overall_stage(levels) is None


def test_overall_stage_with_11_of_21_known_gives_a_stage():
    # 11 known: 2*11 = 22 >= 21; mean of known = (6*3 + 5*4)/11 = 38/11 = 3.45 -> adaptive
    levels = [3] * 6 + [4] * 5 + [0] * 5 + [None] * 5
    assert scoring.overall_stage(levels) == "adaptive"


def test_overall_stage_uses_only_known_levels_for_the_mean():
    # known: 4, 4, 5 (mean 13/3 = 4.33 -> smart); the don't know 0 must not pull it down to 13/4 = 3.25
    assert scoring.overall_stage([4, 4, 5, 0]) == "smart"


def test_overall_stage_follows_the_mean_as_shown():
    # 19 x 2 + 1 x 1 = 39/20 = 1.95, shown as 2.0 -> effective (not improvising)
    assert scoring.overall_stage([2] * 19 + [1] + [0]) == "effective"
    # 19 x 2 + 2 x 1 = 40/21 = 1.905 -> 1.9 -> improvising
    assert scoring.overall_stage([2] * 19 + [1, 1]) == "improvising"


def test_overall_stage_of_nothing_is_none():
    assert scoring.overall_stage([]) is None
    assert scoring.overall_stage([0, 0, None]) is None


# --- counts helpers -----------------------------------------------------------------------


def test_counts_from_levels_counts_dont_know_and_skips_unanswered():
    # 0 -> index 0 once; 1 twice; 3 once; 5 once; None not counted
    assert scoring.counts_from_levels([0, 1, 1, 5, None, 3]) == [1, 2, 0, 1, 0, 1]


def test_counts_from_levels_of_nothing_is_empty_counts():
    assert scoring.counts_from_levels([]) == [0, 0, 0, 0, 0, 0]


def test_add_counts_adds_per_index_without_changing_inputs():
    a = [1, 2, 0, 3, 0, 1]
    b = [0, 1, 4, 0, 2, 5]
    assert scoring.add_counts(a, b) == [1, 3, 4, 3, 2, 6]
    assert a == [1, 2, 0, 3, 0, 1]
    assert b == [0, 1, 4, 0, 2, 5]


def test_add_counts_of_nothing_is_empty_counts():
    assert scoring.add_counts() == [0] * 6


def test_counts_round_trip_gives_the_expected_mean():
    # levels 2, 2, 3, 2 and a don't know: 9 / 4 = 2.25 -> 2.3
    counts = scoring.counts_from_levels([2, 2, 3, 2, 0])
    assert scoring.known_n(counts) == 4
    assert scoring.dont_know_n(counts) == 1
    assert scoring.mean(counts) == Decimal("2.3")


# --- distributions, group gaps (public analysis) ---------------------------------------------


def bins(distribution):
    return [(b.low, b.high, b.count) for b in distribution]


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        # every level has 3 or more: nothing merged
        ([9, 3, 4, 5, 3, 6], [(1, 1, 3), (2, 2, 4), (3, 3, 5), (4, 4, 3), (5, 5, 6)]),
        # 0,4,10,2,1: level 1 (0) is smallest -> only neighbour 2 -> "1-2: 4"; then level 5 (1)
        # -> only neighbour 4 -> "4-5: 3"; every bin >= 3
        ([0, 0, 4, 10, 2, 1], [(1, 2, 4), (3, 3, 10), (4, 5, 3)]),
        # 1,1,1,1,6: level 1 (tie, lowest) + level 2 -> 1-2:2; level 3 (1, tie with 4, lower) merges
        # with the smaller neighbour 4 (1 < 2) -> 3-4:2; 1-2 (2, tie, lower) + 3-4 -> 1-4:4
        ([0, 1, 1, 1, 1, 6], [(1, 4, 4), (5, 5, 6)]),
        # 5,2,5,2,5: level 2 (2, tie, lower) has neighbours 1 (5) and 3 (5): tie -> the lower, 1 -> 1-2:7;
        # level 4 (2): neighbours 3 (5) and 5 (5) -> 3 -> 3-4:7
        ([0, 5, 2, 5, 2, 5], [(1, 2, 7), (3, 4, 7), (5, 5, 5)]),
        # everyone on level 3: the empty levels merge away until one bin is left
        ([2, 0, 0, 10, 0, 0], [(1, 5, 10)]),
    ],
)
def test_small_levels_are_merged_with_a_neighbour(counts, expected):
    merged = scoring.merge_small_levels(counts)
    assert bins(merged) == expected
    assert sum(b.count for b in merged) == scoring.known_n(counts)


def test_distribution_is_shown_only_from_2k_answers():
    below = scoring.distribution([0, 3, 3, 3, 0, 0], K)  # n = 9 < 2K
    assert (below.shown, below.bins) == (False, ())
    at = scoring.distribution([7, 3, 3, 4, 0, 0], K)  # n = 10 = 2K; "don't know" is not in n
    assert at.shown is True
    assert bins(at.bins) == [(1, 1, 3), (2, 2, 3), (3, 5, 4)]


def test_figure_gap_is_the_difference_of_the_shown_means():
    now = GroupFigure(n=12, mean=Decimal("2.3"), shown=True, reason=None)
    wanted = GroupFigure(n=11, mean=Decimal("3.8"), shown=True, reason=None)
    assert scoring.figure_gap(now, wanted) == Decimal("1.5")
    hidden = GroupFigure(n=4, mean=None, shown=False, reason="below_k")
    assert scoring.figure_gap(now, hidden) is None
    assert scoring.figure_gap(hidden, wanted) is None


def test_largest_gaps_skip_none_and_non_positive_and_break_ties_by_position():
    gaps = [
        (1, Decimal("0.5")),
        (2, None),
        (3, Decimal("1.2")),
        (4, Decimal("0.0")),
        (5, Decimal("-0.3")),
        (6, Decimal("1.2")),
        (7, Decimal("0.1")),
    ]
    assert scoring.largest_gaps(gaps, limit=3) == [(3, Decimal("1.2")), (6, Decimal("1.2")), (1, Decimal("0.5"))]


@pytest.mark.parametrize(
    ("total", "group", "allowed"),
    [(7, 7, True), (7, 6, False), (7, 5, False), (7, 4, True), (7, 3, True), (3, 3, True), (20, 3, True)],
)
def test_complement_must_be_empty_or_hold_three_municipalities(total, group, allowed):
    assert scoring.complement_allows(total, group) is allowed
