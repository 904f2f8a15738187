"""The organisation report's statistics and threshold decisions, with hand-computed numbers."""

import itertools
import random
from decimal import Decimal

import pytest

from insights import stats
from insights.stats import Bin
from reports import scoring

K = 5


def c(dk=0, *levels):
    """Counts: "I don't know", then levels 1-5 (missing levels are 0)."""
    levels = list(levels) + [0] * (5 - len(levels))
    return [dk, *levels]


# --- distributions: merging small levels ---


@pytest.mark.parametrize(
    ("levels", "bins"),
    [
        # Every level holds 3 or more: nothing merged.
        ((3, 3, 4, 3, 3), [Bin(1, 1, 3), Bin(2, 2, 3), Bin(3, 3, 4), Bin(4, 4, 3), Bin(5, 5, 3)]),
        # 1 at level 1 goes up into level 2 (1+4=5); 2 at level 4 and 0 at 5 are a remainder of 2 at
        # the top, merged down into level 3: 6+2+0 = 8.
        ((1, 4, 6, 2, 0), [Bin(1, 2, 5), Bin(3, 5, 8)]),
        # Levels nobody chose count as fewer than 3 too: 0, 0, 0, 0 merge, then with the 10.
        ((0, 0, 0, 0, 10), [Bin(1, 5, 10)]),
        # 2 at level 1 waits through the empty levels 2 and 3 until level 4 brings it to 5.
        ((2, 0, 0, 3, 5), [Bin(1, 4, 5), Bin(5, 5, 5)]),
        # A remainder of 1 at the top merges down through empty parts until it holds 3: 3+0+0+0+1.
        ((3, 0, 0, 0, 1), [Bin(1, 5, 4)]),
        # 0 at 1 joins 2 (0+5); 0 at 5 joins 4 (1+0); 1 at 3 joins 4-5 (the smaller): 2; that joins 1-2.
        ((0, 5, 1, 1, 0), [Bin(1, 5, 7)]),
    ],
)
def test_levels_with_fewer_than_3_answers_are_merged_with_a_neighbour(levels, bins):
    assert scoring.merge_small_levels(c(0, *levels)) == bins


def test_merged_parts_always_hold_at_least_3_and_add_up_to_n():
    rng = random.Random(7)
    for _ in range(2000):
        counts = [0] + [rng.choice([0, 0, 1, 2, 3, 5, 8]) for _ in range(5)]
        if scoring.known_n(counts) < 3:
            continue
        bins = scoring.merge_small_levels(counts)
        assert sum(b.count for b in bins) == scoring.known_n(counts)
        assert len(bins) == 1 or all(b.count >= 3 for b in bins), (counts, bins)
        assert [b.low for b in bins] == [1] + [b.high + 1 for b in bins[:-1]]  # adjacent, from 1
        assert bins[-1].high == 5


def test_a_distribution_needs_2k_answers():
    # 9 gave a level (one more said "I don't know"): below 2K = 10.
    assert stats.distribution(c(1, 1, 2, 3, 2, 1), K).shown is False
    shown = stats.distribution(c(1, 1, 2, 4, 2, 1), K)  # 10 gave a level
    assert shown.shown and shown.n == 10
    # 1+2 = 3 | 4 | 2+1 = 3
    assert shown.bins == (Bin(1, 2, 3), Bin(3, 3, 4), Bin(4, 5, 3))


# --- disagreement ---


def test_disagreement_is_the_interquartile_range_over_respondents():
    # 10 levels: 1,1,1,2,2,4,4,5,5,5. P25 at rank 2.25 -> 1 + (2-1)*0.25 = 1.25 -> 1.3;
    # P75 at rank 6.75 -> 4 + (5-4)*0.75 = 4.75 -> 4.8. Range as shown: 4.8 - 1.3 = 3.5 -> flagged.
    d = stats.disagreement(c(0, 3, 2, 0, 2, 3), K)
    assert (d.shown, d.p25, d.p75, d.iqr, d.flagged) == (True, Decimal("1.3"), Decimal("4.8"), Decimal("3.5"), True)


def test_disagreement_flag_starts_at_2_levels():
    # 10 levels: 2,2,2,3,3,3,3,4,4,4: P25 2.25->2.3, P75 rank 6.75: 3 + 0.75 = 3.75 -> 3.8: 1.5.
    calm = stats.disagreement(c(0, 0, 3, 4, 3, 0), K)
    assert (calm.iqr, calm.flagged) == (Decimal("1.5"), False)
    # 12 levels: 1x3, 2x3, 4x3, 5x3: P25 rank 2.75 -> 1 + 0.75 -> 1.8; P75 rank 8.25 -> 4 + 0.25 -> 4.3: 2.5.
    wide = stats.disagreement(c(0, 3, 3, 0, 3, 3), K)
    assert (wide.p25, wide.p75, wide.iqr, wide.flagged) == (Decimal("1.8"), Decimal("4.3"), Decimal("2.5"), True)
    # Exactly 2: 1,1,1,1,3,3,3,3,3,3 (n=10): P25 rank 2.25 -> 1; P75 rank 6.75 -> 3: 2.0 -> flagged.
    edge = stats.disagreement(c(0, 4, 0, 6, 0, 0), K)
    assert (edge.p25, edge.p75, edge.iqr, edge.flagged) == (Decimal("1.0"), Decimal("3.0"), Decimal("2.0"), True)


def test_disagreement_needs_2k_answers():
    assert stats.disagreement(c(5, 3, 0, 0, 0, 6), K).shown is False  # 9 gave a level


# --- "I don't know", gap ---


def test_dont_know_share_of_a_statement_and_of_a_theme():
    # 4 of 4+8 = 33.3% -> 33.
    share = stats.dont_know_share([c(4, 2, 2, 2, 2, 0)], K)
    assert (share.shown, share.count, share.total, share.percent) == (True, 4, 12, 33)
    # A theme: (1 + 2) of (1+6 + 2+5) = 3 of 14 = 21.4% -> 21.
    theme = stats.dont_know_share([c(1, 6), c(2, 0, 5)], K)
    assert (theme.count, theme.total, theme.percent) == (3, 14, 21)
    # Halves round up: 1 of 8 = 12.5% -> 13.
    assert stats.dont_know_share([c(1, 0, 7)], K).percent == 13


def test_dont_know_share_is_shown_only_where_the_figure_is():
    assert stats.dont_know_share([c(10, 4)], K).shown is False  # 4 gave a level: below K
    assert stats.dont_know_share([c(0, 5), c(3, 4)], K).shown is False  # one statement below K


def test_gap_is_the_difference_of_the_means_as_shown():
    current = scoring.group_figure(c(0, 0, 3, 2), K)  # (6 + 6)/5 = 2.4
    desired = scoring.group_figure(c(0, 0, 0, 2, 2, 2), K)  # (6 + 8 + 10)/6 = 4.0
    assert stats.gap(current, desired) == Decimal("1.6")
    assert stats.gap(current, scoring.group_figure(c(0, 0, 0, 4), K)) is None  # 4: below K


# --- the organisation's stage over several statements ---


def test_overall_figure_pools_the_statements_that_reach_k_when_half_do():
    a = c(0, 0, 5)  # 5 x level 2
    b = c(0, 0, 0, 0, 6)  # 6 x level 4
    low = c(0, 4)  # 4: below K, left out
    # (5*2 + 6*4) / 11 = 34/11 = 3.09 -> 3.1, n = the smallest used: 5.
    figure = stats.overall_figure([a, b, low], K)
    assert (figure.shown, figure.mean, figure.n) == (True, Decimal("3.1"), 5)
    assert scoring.stage(figure.mean) == "adaptive"
    # Only 1 of 3 reaches K: less than half.
    assert stats.overall_figure([a, low, low], K).shown is False
    assert stats.overall_figure([], K).shown is False


# --- folding groups into "other" ---


def test_groups_below_k_fold_into_other_which_is_shown_when_it_reaches_k():
    # Finance 8, IT 6, HR 3, Legal 2: "other" = HR + Legal = 5 >= K.
    folding = stats.fold_groups({"Finance": 8, "IT": 6, "HR": 3, "Legal": 2}, K)
    assert folding.shown == ("Finance", "IT")
    assert folding.folded == ("HR", "Legal")
    assert (folding.other_n, folding.other_shown) == (5, True)


def test_a_too_small_other_takes_the_next_smallest_group_along():
    # HR 2 alone would be "other" = 2: the total (16) minus Finance and IT would give it away.
    # IT (6, the smallest shown) folds too: "other" = 8.
    folding = stats.fold_groups({"Finance": 8, "IT": 6, "HR": 2}, K)
    assert folding.shown == ("Finance",)
    assert folding.folded == ("HR", "IT")
    assert (folding.other_n, folding.other_shown) == (8, True)


def test_folding_until_nothing_is_left_to_show():
    # Finance 5 and HR 1: folding Finance leaves nothing to show on its own.
    folding = stats.fold_groups({"Finance": 5, "HR": 1}, K)
    assert folding.shown == ()
    assert folding.other_shown is False


def test_no_remainder_when_every_group_reaches_k():
    folding = stats.fold_groups({"Finance": 5, "IT": 7}, K)
    assert folding.shown == ("Finance", "IT")
    assert (folding.other_n, folding.other_shown) == (0, False)


def test_ties_fold_the_last_name_first():
    # "other" = 1; IT and Legal both 6: Legal (last by name) folds; other = 7.
    folding = stats.fold_groups({"IT": 6, "Legal": 6, "HR": 1}, K)
    assert folding.shown == ("IT",)
    assert folding.other_n == 7


def test_the_total_decides_the_remainder():
    # The groups hold 12, the total shown holds 13 (one answer without a group): the remainder of
    # 1 would be derivable, so the smallest group folds: other = 13 - 7 = 6.
    folding = stats.fold_groups({"Finance": 7, "IT": 5}, K, total=13)
    assert folding.shown == ("Finance",)
    assert folding.other_n == 6


def subsets_sum(sizes):
    return {sum(combo) for r in range(len(sizes) + 1) for combo in itertools.combinations(sizes, r)}


@pytest.mark.parametrize("k", [3, 5])
def test_no_shown_figure_can_be_derived_by_subtraction(k):
    """Every possible way to subtract shown counts from shown counts gives 0 or at least K:
    over many group sizes, the shown parts (groups and "other") and the total."""
    rng = random.Random(k)
    for _ in range(3000):
        sizes = {f"g{i}": rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 12]) for i in range(rng.randint(1, 6))}
        total = sum(sizes.values()) + rng.choice([0, 0, 0, 1, 2])  # answers without a group
        folding = stats.fold_groups(sizes, k, total=total)
        parts = [sizes[key] for key in folding.shown] + ([folding.other_n] if folding.other_shown else [])
        assert all(part >= k for part in parts), (sizes, folding)
        if not parts:
            continue  # nothing beside the total: nothing to subtract
        assert sum(parts) == total, (sizes, total, folding)  # the parts make up the whole total
        # Whatever the total minus any combination of shown parts gives is 0 or at least K.
        for hidden in {total - s for s in subsets_sum(parts)}:
            assert hidden == 0 or hidden >= k, (sizes, total, folding, hidden)


def test_group_row_figures_other_and_spread():
    # One statement now. Finance: 3x2, 2x3 = 12/5 = 2.4; IT: 5x4 = 4.0; HR: 1x5, 1x1 (2: folded).
    # "Other" = total minus the shown groups; with only HR (2) it would be too small, so IT
    # folds too: other = IT + HR = 5x4 + 5 + 1 = 26/7 = 3.7 (n=7).
    finance, it, hr = c(0, 0, 3, 2), c(1, 0, 0, 0, 5), c(0, 1, 0, 0, 0, 1)
    total = scoring.add_counts(finance, it, hr)
    row = stats.group_row(total, {"Finance": finance, "HR": hr, "IT": it}, K)
    cells = {cell.key: cell.figure for cell in row.cells}
    assert cells["Finance"].mean == Decimal("2.4") and cells["Finance"].n == 5
    assert cells["HR"] is None and cells["IT"] is None
    assert (row.other.mean, row.other.n) == (Decimal("3.7"), 7)
    assert row.spread is None  # one group: no spread between groups


def test_spread_between_groups_and_the_silo_flag():
    # Finance 2.4 (n=5), IT 4.0 (n=5): 1.6 apart -> flagged at 1.0 or more.
    finance, it = c(0, 0, 3, 2), c(0, 0, 0, 0, 5)
    row = stats.group_row(scoring.add_counts(finance, it), {"Finance": finance, "IT": it}, K)
    assert (row.spread, row.silo, row.other) == (Decimal("1.6"), True, None)
    # 3.0 and 3.4: 0.4 apart, not flagged.
    a, b = c(0, 0, 0, 5), c(0, 0, 0, 3, 2)
    calm = stats.group_row(scoring.add_counts(a, b), {"A": a, "B": b}, K)
    assert (calm.spread, calm.silo) == (Decimal("0.4"), False)


def test_groups_that_do_not_fit_in_the_total_are_not_shown():
    # A breakdown can only hold fewer answers than its snapshot (someone deleted since): never
    # more. Should it ever, no group is shown rather than a negative "other".
    total = c(0, 0, 5)  # five at level 2
    row = stats.group_row(total, {"A": c(0, 5)}, K)  # five at level 1: not part of this total
    assert all(cell.figure is None for cell in row.cells) and row.other is None
