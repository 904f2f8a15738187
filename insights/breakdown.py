"""Counts per department, domain and role for a round snapshot (the database only counts)."""

from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from assessments.models import Answer, Response
from reports import scoring
from reports.models import Snapshot
from rounds.models import Round

from .models import BreakdownSnapshot

DIMENSIONS = ("department", "domain", "role")
_FIELDS = {dimension: f"response__{dimension}" for dimension in DIMENSIONS}
_LEVEL_KEYS = [(scale, level) for scale in scoring.SCALES for level in (0, *scoring.LEVELS)]


def responses_at(snapshot: Snapshot):
    """The responses that counted in the snapshot's round when it was taken: counted by then and
    not yet replaced by a later submission of the same person (round membership as in
    reports.aggregates._round_responses)."""
    round_ = snapshot.round
    responses = Response.objects.filter(counted_at__isnull=False, counted_at__lte=snapshot.taken_at).filter(
        Q(superseded_at__isnull=True) | Q(superseded_at__gt=snapshot.taken_at)
    )
    if not snapshot.include_demo:
        responses = responses.filter(is_demo=False)
    if round_.is_continuous:
        return responses.filter(
            round__kind=Round.Kind.CONTINUOUS, round__municipality_id__in=round_.municipality.lineage_codes()
        )
    return responses.filter(round=round_)


def count_by_group(responses) -> dict:
    """{dimension: {group: {lineage: {"current": counts, "desired": counts}}}} in one query.
    Only the counts per single dimension are kept (never per department and role together)."""
    aggregates = {f"{scale}_{level}": Count("id", filter=Q(**{scale: level})) for scale, level in _LEVEL_KEYS}
    rows = (
        Answer.objects.filter(response__in=responses)
        .values(*_FIELDS.values(), "statement__lineage")
        .annotate(**aggregates)
        .order_by()
    )
    result: dict = {dimension: {} for dimension in DIMENSIONS}
    for row in rows:
        lineage = row["statement__lineage"]
        for dimension, field in _FIELDS.items():
            group = result[dimension].setdefault(row[field] or "", {})
            scales = group.setdefault(lineage, {scale: scoring.empty_counts() for scale in scoring.SCALES})
            for scale in scoring.SCALES:
                for level in (0, *scoring.LEVELS):
                    scales[scale][level] += row[f"{scale}_{level}"]
    return result


def known_sizes(counts: dict) -> dict:
    """{(dimension, group, lineage, scale): people who answered, "I don't know" included} of a
    breakdown's counts (pure)."""
    return {
        (dimension, group, lineage, scale): sum(by_scale[scale])
        for dimension in DIMENSIONS
        for group, by_lineage in counts.get(dimension, {}).items()
        for lineage, by_scale in by_lineage.items()
        for scale in scoring.SCALES
    }


def moves_by_fewer_than_k(previous: dict, new: dict, k: int) -> bool:
    """Pure: would showing `new` after `previous` let a figure of some group move by 1 to K-1
    people? Then the difference of the two pages would give those people's levels."""
    before, after = known_sizes(previous), known_sizes(new)
    for key in before.keys() | after.keys():
        change = abs(after.get(key, 0) - before.get(key, 0))
        if 0 < change < k:
            return True
    return False


def breakdown_for(snapshot: Snapshot) -> BreakdownSnapshot:
    """The snapshot's breakdown: made once, never recomputed. The snapshot rule per group: when
    some department, domain or role would change by fewer than K people since the round's
    previous breakdown, the previous breakdown is carried over unchanged, with the round counts
    it belongs to (so "everyone" and "other" do not move either)."""
    from django.conf import settings

    from .models import TOTAL_KEY

    found = BreakdownSnapshot.objects.filter(snapshot=snapshot).first()
    if found is not None:
        return found
    counts = count_by_group(responses_at(snapshot))
    previous = (
        BreakdownSnapshot.objects.filter(
            snapshot__round_id=snapshot.round_id,
            snapshot__include_demo=snapshot.include_demo,
            snapshot__taken_at__lte=snapshot.taken_at,
        )
        .exclude(snapshot=snapshot)
        .select_related("snapshot")
        .order_by("-snapshot__taken_at", "-snapshot_id")
        .first()
    )
    if previous is not None and moves_by_fewer_than_k(previous.counts, counts, settings.ZELFSCAN_K):
        counts = {**previous.counts, TOTAL_KEY: previous.total() or previous.snapshot.counts}
    try:
        with transaction.atomic():
            return BreakdownSnapshot.objects.create(snapshot=snapshot, counts=counts)
    except IntegrityError:  # made by a concurrent request
        return BreakdownSnapshot.objects.get(snapshot=snapshot)


def take_breakdown_with_snapshot(sender, instance: Snapshot, created: bool, raw: bool = False, **kwargs) -> None:
    """A new round snapshot gets its breakdown right after it is saved, from the same responses."""
    if created and not raw:
        # robust: a failure here is logged and never undoes the response that triggered the snapshot
        transaction.on_commit(lambda: breakdown_for(instance), robust=True)
