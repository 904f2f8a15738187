"""Every statistic and every threshold decision in Zelfscan, computed from counts.

Pure functions: no database, no Django. The database returns counts per level; views, reports,
e-mails and (later) the API and exports call these functions, so every surface shows the same
number. Rules: ../shared/privacy-model.md; README "Privacy rules".

Counts are a sequence of six integers: index 0 is "I don't know", indexes 1-5 the levels.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

DONT_KNOW = 0
LEVELS = (1, 2, 3, 4, 5)
SCALES = ("current", "desired")
STAGES = ("improvising", "effective", "adaptive", "smart")
TOP_GAPS = 5

Counts = Sequence[int]


def empty_counts() -> list[int]:
    return [0] * 6


def add_counts(*many: Counts) -> list[int]:
    total = empty_counts()
    for counts in many:
        for index, value in enumerate(counts):
            total[index] += value
    return total


def known_n(counts: Counts) -> int:
    """How many gave a level (1-5), leaving out "I don't know"."""
    return sum(counts[1:])


def dont_know_n(counts: Counts) -> int:
    return counts[0]


def exact_mean(counts: Counts) -> Fraction | None:
    n = known_n(counts)
    if n == 0:
        return None
    return Fraction(sum(level * counts[level] for level in LEVELS), n)


def round1(value: Fraction | float | int | None) -> Decimal | None:
    """One decimal, halves rounded up (2.25 -> 2.3), computed exactly."""
    if value is None:
        return None
    fraction = Fraction(value)
    return (Decimal(fraction.numerator) / Decimal(fraction.denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def mean(counts: Counts) -> Decimal | None:
    """Mean level over those who gave a level, with one decimal; None when nobody did."""
    return round1(exact_mean(counts))


# --- Thresholds ---------------------------------------------------------------------------


def reaches_k(n: int, k: int) -> bool:
    """An aggregate is shown only when at least K counted responses gave a level."""
    return n >= k


def snapshot_due(new_since_last: int, k: int) -> bool:
    """A group's snapshot is refreshed only after at least K new counted responses."""
    return new_since_last >= k


@dataclass(frozen=True)
class GroupFigure:
    """One group's figure for one statement (or theme) on one scale."""

    n: int
    mean: Decimal | None
    shown: bool
    reason: str | None  # None when shown; "none" (nobody gave a level) or "below_k"


def group_figure(counts: Counts, k: int) -> GroupFigure:
    n = known_n(counts)
    if n == 0:
        return GroupFigure(n=0, mean=None, shown=False, reason="none")
    if not reaches_k(n, k):
        return GroupFigure(n=n, mean=None, shown=False, reason="below_k")
    return GroupFigure(n=n, mean=mean(counts), shown=True, reason=None)


def pooled_figure(many_counts: Sequence[Counts], k: int) -> GroupFigure:
    """A group's theme figure: the mean over all levels given in the theme, shown only when
    every statement of the theme reaches K on this scale. Its n is the smallest statement n."""
    if not many_counts:
        return GroupFigure(n=0, mean=None, shown=False, reason="none")
    ns = [known_n(counts) for counts in many_counts]
    smallest = min(ns)
    if smallest == 0:
        return GroupFigure(n=0, mean=None, shown=False, reason="none")
    if not reaches_k(smallest, k):
        return GroupFigure(n=smallest, mean=None, shown=False, reason="below_k")
    return GroupFigure(n=smallest, mean=mean(add_counts(*many_counts)), shown=True, reason=None)


# --- One respondent -------------------------------------------------------------------------


def known_level(value: int | None) -> int | None:
    """A level 1-5, or None for "I don't know" and for unanswered."""
    return value if value in LEVELS else None


def gap(current: int | None, desired: int | None) -> int | None:
    """Desired minus now, only where both are known levels."""
    current, desired = known_level(current), known_level(desired)
    if current is None or desired is None:
        return None
    return desired - current


def gap_kind(current: int | None, desired: int | None) -> str:
    """ "gap" (desired above now), "none" (equal), "lower" (desired below now) or "unknown"."""
    difference = gap(current, desired)
    if difference is None:
        return "unknown"
    if difference > 0:
        return "gap"
    return "none" if difference == 0 else "lower"


@dataclass(frozen=True)
class Item:
    """One statement of one respondent: position in the instrument, levels (0 = don't know)."""

    position: int
    current: int | None
    desired: int | None


def top_gaps(items: Iterable[Item], limit: int = TOP_GAPS) -> list[Item]:
    """The largest gaps (desired above now), ties broken by statement order."""
    with_gap = [item for item in items if gap_kind(item.current, item.desired) == "gap"]
    return sorted(with_gap, key=lambda item: (-gap(item.current, item.desired), item.position))[:limit]


@dataclass(frozen=True)
class Summary:
    """Mean now, mean desired (one decimal) and their difference, over the statements where
    both levels are known."""

    paired: int
    current: Decimal | None
    desired: Decimal | None
    gap: Decimal | None


def summarise(items: Iterable[Item]) -> Summary:
    pairs = [(known_level(i.current), known_level(i.desired)) for i in items]
    pairs = [(c, d) for c, d in pairs if c is not None and d is not None]
    if not pairs:
        return Summary(0, None, None, None)
    n = len(pairs)
    current = round1(Fraction(sum(c for c, _ in pairs), n))
    desired = round1(Fraction(sum(d for _, d in pairs), n))
    # The gap is the difference of the means as shown, so the three figures always add up.
    return Summary(n, current, desired, desired - current)


def stage(mean_level: Fraction | Decimal | float | None) -> str | None:
    """The NL Smart City Strategie stage for a mean level: [1,2) improvising, [2,3) effective
    ("slagvaardig"), [3,4) adaptive, [4,5] smart."""
    if mean_level is None:
        return None
    if mean_level < 2:
        return "improvising"
    if mean_level < 3:
        return "effective"
    if mean_level < 4:
        return "adaptive"
    return "smart"


def overall_stage(levels: Sequence[int | None]) -> str | None:
    """Stage from the mean of the known levels as shown (one decimal), only when at least half
    the statements have a known level."""
    known = [level for level in (known_level(v) for v in levels) if level is not None]
    if not known or 2 * len(known) < len(levels):
        return None
    return stage(round1(Fraction(sum(known), len(known))))


def counts_from_levels(levels: Iterable[int | None]) -> list[int]:
    """Counts for a list of answers (0 = don't know; None = unanswered, not counted)."""
    counts = empty_counts()
    for level in levels:
        if level is not None:
            counts[level] += 1
    return counts


# --- Groups of municipalities -----------------------------------------------------------------

MIN_GROUP_MEMBERS = 3


def qualifying_members(member_counts: Sequence[Counts], k: int) -> list[Counts]:
    """The members that may be part of a group figure: those that reach K themselves."""
    return [counts for counts in member_counts if reaches_k(known_n(counts), k)]


def group_of_municipalities(member_counts: Sequence[Counts], k: int) -> tuple[list[int], int]:
    """Summed counts of the qualifying members and how many there are."""
    members = qualifying_members(member_counts, k)
    return add_counts(*members), len(members)


def peer_group_figure(member_counts: Sequence[Counts], k: int) -> GroupFigure:
    """A group of municipalities (province, size class, G4, national, ...) for one statement and
    scale: built only from municipalities that reach K, shown only with at least 3 of them."""
    counts, members = group_of_municipalities(member_counts, k)
    if members < MIN_GROUP_MEMBERS:
        return GroupFigure(n=known_n(counts), mean=None, shown=False, reason="few_members")
    return group_figure(counts, k)


# --- Distributions ----------------------------------------------------------------------------


def percentile(counts: Counts, fraction: Fraction | float) -> Fraction | None:
    """The percentile over respondents who gave a level, interpolating linearly between ranks
    (the "inclusive" definition: P50 of 1,2,3,4 is 2.5). None when nobody gave a level."""
    n = known_n(counts)
    if n == 0:
        return None
    position = Fraction(fraction) * (n - 1)
    lower_rank = int(position)
    weight = position - lower_rank

    def value_at(rank: int) -> int:
        seen = 0
        for level in LEVELS:
            seen += counts[level]
            if rank < seen:
                return level
        return LEVELS[-1]

    low = value_at(lower_rank)
    if weight == 0:
        return Fraction(low)
    return low + (value_at(lower_rank + 1) - low) * weight


@dataclass(frozen=True)
class Spread:
    """Median and quartiles of a group on one statement and scale, one decimal."""

    p25: Decimal | None
    median: Decimal | None
    p75: Decimal | None
    shown: bool


def spread(counts: Counts, k: int) -> Spread:
    """Quartiles describe a distribution, so they follow its rule: shown only when n >= 2K."""
    if known_n(counts) < 2 * k:
        return Spread(None, None, None, shown=False)
    return Spread(
        round1(percentile(counts, Fraction(1, 4))),
        round1(percentile(counts, Fraction(1, 2))),
        round1(percentile(counts, Fraction(3, 4))),
        shown=True,
    )


def position_in(value: Decimal | int | None, group: Spread) -> str | None:
    """Where a level or mean lies in a group: "below" P25, "within" P25-P75, or "above" P75."""
    if value is None or not group.shown:
        return None
    if value < group.p25:
        return "below"
    if value > group.p75:
        return "above"
    return "within"


# --- Distributions per level (public analysis: API, exports, national page) ------------------

MIN_LEVEL_COUNT = 3


@dataclass(frozen=True)
class Bin:
    """Answers on the levels `low` to `high` (one level when low == high)."""

    low: int
    high: int
    count: int

    @property
    def width(self) -> int:
        return self.high - self.low + 1


@dataclass(frozen=True)
class Distribution:
    bins: tuple[Bin, ...]
    shown: bool


def merge_small_levels(counts: Counts, minimum: int = MIN_LEVEL_COUNT) -> list[Bin]:
    """Counts per level, where a level with fewer than `minimum` answers is merged with its
    neighbour until every bin holds at least `minimum` (or one bin is left).

    Rule, applied until no bin is too small: take the smallest bin below the minimum (the lowest
    levels on a tie) and merge it with the smaller of its neighbours (the lower one on a tie).
    Every bin is shown and together they add up to n, so no count can be derived by subtraction.
    """
    bins = [Bin(level, level, counts[level]) for level in LEVELS]
    while len(bins) > 1:
        small = [index for index, bin_ in enumerate(bins) if bin_.count < minimum]
        if not small:
            break
        index = min(small, key=lambda i: (bins[i].count, i))
        neighbours = [i for i in (index - 1, index + 1) if 0 <= i < len(bins)]
        other = min(neighbours, key=lambda i: (bins[i].count, i))
        first, second = sorted((index, other))
        merged = Bin(bins[first].low, bins[second].high, bins[first].count + bins[second].count)
        bins[first : second + 1] = [merged]
    return bins


def distribution(counts: Counts, k: int) -> Distribution:
    """A group's answers per level, shown only when n >= 2K; small levels merged (see above)."""
    if known_n(counts) < 2 * k:
        return Distribution((), shown=False)
    return Distribution(tuple(merge_small_levels(counts)), shown=True)


def figure_gap(current: GroupFigure, desired: GroupFigure) -> Decimal | None:
    """A group's desired mean minus its mean now, as shown (one decimal), only when both are shown."""
    if not (current.shown and desired.shown):
        return None
    return desired.mean - current.mean


def largest_gaps(gaps: Iterable[tuple[int, Decimal | None]], limit: int = TOP_GAPS) -> list[tuple[int, Decimal]]:
    """(position, gap) pairs with a gap above zero, largest first, ties broken by position."""
    positive = [(position, value) for position, value in gaps if value is not None and value > 0]
    return sorted(positive, key=lambda pair: (-pair[1], pair[0]))[:limit]


def complement_allows(total_members: int, group_members: int) -> bool:
    """A public group inside a larger shown group (national) is shown only when the members it
    leaves out number none or at least 3: otherwise the larger group minus this one would give
    the figure of one or two municipalities, which the public may not see."""
    left_out = total_members - group_members
    return left_out == 0 or left_out >= MIN_GROUP_MEMBERS
