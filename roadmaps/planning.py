"""The roadmap's decisions as pure functions: which statements to propose first, the default
target and actions of a new item, and whether a later round moved toward the target."""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from reports import scoring

# A change of the mean level of at least this much (either way) counts as a change.
MIN_CHANGE = Decimal("0.25")
TOP_PROPOSALS = 5


@dataclass(frozen=True)
class Candidate:
    """A statement as the organisation report shows it: shown means, gap and disagreement."""

    lineage: str
    position: int
    current: Decimal
    desired: Decimal
    gap: Decimal
    iqr: Decimal | None  # None: too few answers to show the quartiles


def priority_key(candidate: Candidate) -> tuple:
    """Largest gap first, then the lowest level now, then the largest disagreement, then the
    order of the statements (a disagreement that cannot be shown counts as none)."""
    return (-candidate.gap, candidate.current, -(candidate.iqr or Decimal(0)), candidate.position)


def propose(candidates: Iterable[Candidate]) -> list[Candidate]:
    """The statements worth a place on the roadmap, in order: those with a gap (desired above now)."""
    return sorted((c for c in candidates if c.gap > 0), key=priority_key)


def round_level(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), ROUND_HALF_UP))


def default_target(current: Decimal, desired: Decimal) -> int:
    """The desired mean as a level, and at least one level above where the organisation is now."""
    return max(1, min(5, max(math.floor(current) + 1, round_level(desired))))


def next_levels(current: Decimal, target: int) -> list[int]:
    """The levels between now and the target: what the organisation still has to reach."""
    return list(range(math.floor(current) + 1, target + 1))


@dataclass(frozen=True)
class Progress:
    """How the level now moved from the round the item was chosen in to a later round."""

    state: str  # "toward", "away", "unchanged" or "unknown" (a figure is not shown)
    before: scoring.GroupFigure
    after: scoring.GroupFigure | None
    change: Decimal | None
    reached: bool


def progress(before: scoring.GroupFigure, after: scoring.GroupFigure | None, target: int) -> Progress:
    """Compare the means as shown (one decimal): a change of at least 0.25 toward the target
    counts as progress, as much the other way as a step back; both rounds must reach K."""
    if after is None or not (before.shown and after.shown):
        return Progress("unknown", before, after, None, False)
    change = after.mean - before.mean
    direction = 1 if target > before.mean else (-1 if target < before.mean else 0)
    toward = change * direction if direction else -abs(change)
    if toward >= MIN_CHANGE:
        state = "toward"
    elif toward <= -MIN_CHANGE:
        state = "away"
    else:
        state = "unchanged"
    reached = after.mean >= target if direction >= 0 else after.mean <= target
    return Progress(state, before, after, change, reached)
