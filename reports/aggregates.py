"""Counts from the database, and the snapshots that comparisons are served from.

The database only counts (per statement lineage, scale and level); every figure is then
computed by reports.scoring. Snapshot rule: a municipality's snapshot is refreshed only when
at least K new counted responses arrived since the previous one, so reloading a report
before and after one colleague submits shows nothing new.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from assessments.models import Answer, Response
from organisations.models import Municipality

from . import scoring
from .models import Snapshot

_LEVEL_KEYS = [(scale, level) for scale in scoring.SCALES for level in (0, *scoring.LEVELS)]


def count_levels(responses) -> dict[str, dict[str, list[int]]]:
    """{lineage: {"current": counts, "desired": counts}} over the given responses, in one query."""
    aggregates = {f"{scale}_{level}": Count("id", filter=Q(**{scale: level})) for scale, level in _LEVEL_KEYS}
    rows = Answer.objects.filter(response__in=responses).values("statement__lineage").annotate(**aggregates).order_by()
    result: dict[str, dict[str, list[int]]] = {}
    for row in rows:
        result[row["statement__lineage"]] = {
            scale: [row[f"{scale}_{level}"] for level in (0, *scoring.LEVELS)] for scale in scoring.SCALES
        }
    return result


def take_snapshot(municipality: Municipality, include_demo: bool) -> Snapshot:
    taken_at = timezone.now()
    responses = Response.objects.counted(include_demo).filter(
        municipality_id__in=municipality.lineage_codes(), counted_at__lte=taken_at
    )
    return Snapshot.objects.create(
        municipality=municipality,
        include_demo=include_demo,
        taken_at=taken_at,
        n_responses=responses.count(),
        counts=count_levels(responses),
    )


def current_snapshot(municipality: Municipality, k: int | None = None) -> Snapshot | None:
    """The snapshot to show for a municipality, refreshed first if K new responses arrived."""
    k = k or settings.ZELFSCAN_K
    include_demo = settings.ZELFSCAN_DEMO_MODE
    latest = Snapshot.objects.filter(municipality=municipality, include_demo=include_demo).first()
    arrivals = Response.objects.counted(include_demo).filter(municipality_id__in=municipality.lineage_codes())
    if latest is not None:
        arrivals = arrivals.filter(counted_at__gt=latest.taken_at)
    if scoring.snapshot_due(arrivals.count(), k):
        return take_snapshot(municipality, include_demo)
    return latest


def refresh_snapshot_if_due(sender=None, municipality_id: str | None = None, **kwargs) -> None:
    """Keep snapshots current as responses arrive (so peer groups, built from the members'
    latest snapshots, follow), still only after K new counted responses."""
    municipality = Municipality.objects.filter(pk=municipality_id).first()
    if municipality is not None:
        current_snapshot(municipality.successor())


@dataclass
class Comparison:
    """One municipality's figures for a report: per lineage and scale a GroupFigure."""

    municipality: Municipality
    n_responses: int
    taken_at: object | None
    counts: dict
    k: int
    is_own: bool = False
    is_sample: bool = False

    @property
    def shown(self) -> bool:
        return scoring.reaches_k(self.n_responses, self.k)

    def figure(self, lineage: str, scale: str) -> scoring.GroupFigure:
        counts = self.counts.get(lineage, {}).get(scale, scoring.empty_counts())
        return scoring.group_figure(counts, self.k)

    def theme_figure(self, lineages: list[str], scale: str) -> scoring.GroupFigure:
        many = [self.counts.get(lineage, {}).get(scale, scoring.empty_counts()) for lineage in lineages]
        return scoring.pooled_figure(many, self.k)


def comparison_for(municipality: Municipality, is_own: bool = False) -> Comparison:
    """A municipality's comparison; one that merged is compared as the municipality it is now
    part of, whose figures include the responses given before the merger."""
    municipality = municipality.successor()
    k = settings.ZELFSCAN_K
    snapshot = current_snapshot(municipality, k)
    if snapshot is None:
        return Comparison(municipality, 0, None, {}, k, is_own=is_own)
    return Comparison(municipality, snapshot.n_responses, snapshot.taken_at, snapshot.counts, k, is_own=is_own)
