"""Statistics and threshold decisions of the organisation report, as pure functions over counts.

No database, no Django. Counts follow reports.scoring: six integers, index 0 "I don't know",
indexes 1-5 the levels. Means, quartiles and K come from reports.scoring, so the organisation
report shows the same numbers as the personal report. Rules: ../shared/privacy-model.md.

- A figure (mean) for a statement and scale: at least K known answers (scoring.group_figure).
- A distribution (answers per level) and the quartiles behind the disagreement: n >= 2K.
  Levels are merged with a neighbour until every part holds at least 3 answers
  (scoring.merge_small_levels, as on the public pages), so no part is "fewer than 3" and none
  can be found by subtracting the others from n.
- Groups (departments, domains, roles) below K fold into "other"; "other" is shown only when
  it reaches K, and otherwise the smallest shown group folds too, until nothing can be derived
  by subtracting the shown groups from the shown total.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from reports import scoring

# A part of a distribution holds at least this many answers (or none at all).
MIN_CELL = 3
# The interquartile range (P75 - P25, in levels) from which a statement is flagged as disputed.
DISAGREEMENT_FLAG = Decimal("2.0")
# The difference between the highest and lowest group mean from which groups "see it differently".
SILO_SPREAD = Decimal("1.0")

Counts = Sequence[int]


# --- Distributions ----------------------------------------------------------------------------


# One rule for every surface: reports.scoring merges a level with fewer than 3 answers (levels
# nobody chose included) with its smaller neighbour; the organisation report uses it as it is.
Bin = scoring.Bin


@dataclass(frozen=True)
class Distribution:
    n: int
    shown: bool
    bins: tuple[Bin, ...]


def distribution(counts: Counts, k: int) -> Distribution:
    """Answers per level (merged where needed), shown only when n >= 2K."""
    n = scoring.known_n(counts)
    if n < 2 * k:
        return Distribution(n=n, shown=False, bins=())
    return Distribution(n=n, shown=True, bins=tuple(scoring.merge_small_levels(counts, MIN_CELL)))


# --- Disagreement, "I don't know", gap ----------------------------------------------------------


@dataclass(frozen=True)
class Disagreement:
    """The interquartile range over respondents (P75 - P25 as shown, one decimal)."""

    shown: bool
    p25: Decimal | None
    p75: Decimal | None
    iqr: Decimal | None
    flagged: bool


def disagreement(counts: Counts, k: int) -> Disagreement:
    """Quartiles follow the distribution rule (n >= 2K). The range is the difference of the
    quartiles as shown, so the three figures add up; flagged at 2 levels or more."""
    spread = scoring.spread(counts, k)
    if not spread.shown:
        return Disagreement(False, None, None, None, False)
    iqr = spread.p75 - spread.p25
    return Disagreement(True, spread.p25, spread.p75, iqr, iqr >= DISAGREEMENT_FLAG)


@dataclass(frozen=True)
class DontKnow:
    """How many answered "I don't know" out of all who answered the statement on this scale."""

    shown: bool
    count: int | None
    total: int | None
    percent: int | None


def percent(part: int, whole: int) -> int:
    """A whole percentage, halves rounded up, computed exactly."""
    return int((Decimal(part * 100) / Decimal(whole)).quantize(Decimal(1), ROUND_HALF_UP))


def dont_know_share(many_counts: Sequence[Counts], k: int) -> DontKnow:
    """The share of "I don't know" over one statement (one counts) or a theme (several),
    shown where the figure is shown: every statement has at least K known answers."""
    if not many_counts or any(scoring.known_n(counts) < k for counts in many_counts):
        return DontKnow(False, None, None, None)
    count = sum(scoring.dont_know_n(counts) for counts in many_counts)
    total = count + sum(scoring.known_n(counts) for counts in many_counts)
    return DontKnow(True, count, total, percent(count, total))


def gap(current: scoring.GroupFigure, desired: scoring.GroupFigure) -> Decimal | None:
    """Desired minus now, as the difference of the means as shown (so the figures add up)."""
    if not (current.shown and desired.shown):
        return None
    return desired.mean - current.mean


def overall_figure(many_counts: Sequence[Counts], k: int) -> scoring.GroupFigure:
    """The organisation's picture over several statements (all 21, or one precondition's): the
    mean over every level given to the statements that reach K, shown when at least half of the
    statements reach K (as the personal stage needs half of the statements). Its n is the
    smallest n among the statements it uses."""
    if not many_counts:
        return scoring.GroupFigure(n=0, mean=None, shown=False, reason="none")
    used = [counts for counts in many_counts if scoring.reaches_k(scoring.known_n(counts), k)]
    if not used:
        smallest = min(scoring.known_n(counts) for counts in many_counts)
        return scoring.GroupFigure(n=smallest, mean=None, shown=False, reason="none" if not smallest else "below_k")
    smallest = min(scoring.known_n(counts) for counts in used)
    if 2 * len(used) < len(many_counts):
        return scoring.GroupFigure(n=smallest, mean=None, shown=False, reason="below_k")
    return scoring.GroupFigure(n=smallest, mean=scoring.mean(scoring.add_counts(*used)), shown=True, reason=None)


# --- Groups within a municipality ---------------------------------------------------------------


@dataclass(frozen=True)
class Folding:
    """Which groups are shown on their own for one statement and scale, and "other"."""

    shown: tuple[str, ...]
    folded: tuple[str, ...]
    other_n: int
    other_shown: bool


def fold_groups(sizes: Mapping[str, int], k: int, total: int | None = None) -> Folding:
    """Decide which groups may be shown, from each group's known n and the shown total's n.

    Groups below K fold into "other" (the total minus the groups shown on their own). "Other"
    is shown only when it reaches K; when it holds 1 to K-1 answers it could be found by
    subtracting the shown groups from the total, so the smallest shown group folds into it too
    (ties: the last by name), again until "other" reaches K, is empty, or no group is left.
    """
    total = sum(sizes.values()) if total is None else total
    shown = sorted((key for key, n in sizes.items() if scoring.reaches_k(n, k)), key=lambda key: (-sizes[key], key))
    while True:
        other_n = total - sum(sizes[key] for key in shown)
        if other_n == 0 or scoring.reaches_k(other_n, k) or not shown:
            break
        shown.pop()
    if not shown:
        other_n = total
    folded = tuple(sorted(key for key in sizes if key not in shown))
    order = {key: index for index, key in enumerate(sizes)}
    return Folding(
        shown=tuple(sorted(shown, key=order.__getitem__)),
        folded=folded,
        other_n=other_n,
        other_shown=bool(shown) and other_n > 0,
    )


def subtract_counts(total: Counts, parts: Sequence[Counts]) -> list[int]:
    """The total minus its parts, per level."""
    rest = list(total)
    for counts in parts:
        for index, value in enumerate(counts):
            rest[index] -= value
    return rest


@dataclass(frozen=True)
class GroupCell:
    key: str
    figure: scoring.GroupFigure | None  # None: folded into "other" for this statement and scale


@dataclass(frozen=True)
class GroupRow:
    """One statement on one scale, by group: the groups shown, "other", and the spread."""

    cells: tuple[GroupCell, ...]
    other: scoring.GroupFigure | None  # None: "other" is empty or not shown
    spread: Decimal | None
    silo: bool


def group_row(total: Counts, groups: Mapping[str, Counts], k: int) -> GroupRow:
    """Figures per group for one statement and scale. "Other" is the shown total minus the
    groups shown on their own, so the parts always add up to the figure the report shows."""
    sizes = {key: scoring.known_n(counts) for key, counts in groups.items()}
    folding = fold_groups(sizes, k, total=scoring.known_n(total))
    shown = set(folding.shown)
    rest = subtract_counts(total, [groups[key] for key in folding.shown])
    if any(value < 0 for value in rest):  # groups that do not fit in the total: show none of them
        folding, shown = Folding((), tuple(sorted(groups)), scoring.known_n(total), False), set()
    cells = tuple(GroupCell(key, scoring.group_figure(groups[key], k) if key in shown else None) for key in groups)
    other = scoring.group_figure(rest, k) if folding.other_shown else None
    means = [cell.figure.mean for cell in cells if cell.figure is not None]
    spread = max(means) - min(means) if len(means) >= 2 else None
    return GroupRow(cells=cells, other=other, spread=spread, silo=spread is not None and spread >= SILO_SPREAD)
