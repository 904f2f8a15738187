"""Counts from the database, and the snapshots that comparisons are served from.

The database only counts (per statement lineage, scale and level); every figure is then
computed by reports.scoring. Snapshot rule: a round's snapshot is refreshed only when at least
K new counted responses arrived since the previous one, so reloading a report before and after
one colleague submits shows nothing new; a named round's snapshot is published when it closes.
A municipality is shown with its most recent round that reaches K.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from assessments.models import Answer, Response
from organisations.models import Municipality
from rounds.models import Round

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


def _round_responses(round_: Round, include_demo: bool):
    """The counted responses of a round. A continuous round also holds the continuous-round
    responses of the municipalities that merged into its municipality."""
    responses = Response.objects.counted(include_demo)
    if round_.is_continuous:
        return responses.filter(
            round__kind=Round.Kind.CONTINUOUS, round__municipality_id__in=round_.municipality.lineage_codes()
        )
    return responses.filter(round=round_)


def take_snapshot(round_: Round, include_demo: bool, *, published: bool = False, taken_at=None) -> Snapshot:
    taken_at = taken_at or timezone.now()
    responses = _round_responses(round_, include_demo).filter(counted_at__lte=taken_at)
    return Snapshot.objects.create(
        municipality_id=round_.municipality_id,
        round=round_,
        include_demo=include_demo,
        taken_at=taken_at,
        published=published,
        n_responses=responses.count(),
        counts=count_levels(responses),
    )


def round_snapshot(round_: Round, k: int | None = None) -> Snapshot | None:
    """The snapshot to show for a round, refreshed first if K new responses arrived (a closed
    round keeps the snapshot published when it closed)."""
    k = k or settings.ZELFSCAN_K
    include_demo = settings.ZELFSCAN_DEMO_MODE
    latest = Snapshot.objects.filter(round=round_, include_demo=include_demo).first()
    if round_.closed_at is not None:
        return latest
    arrivals = _round_responses(round_, include_demo)
    if latest is not None:
        arrivals = arrivals.filter(counted_at__gt=latest.taken_at)
    if scoring.snapshot_due(arrivals.count(), k):
        return take_snapshot(round_, include_demo)
    return latest


def publish_snapshot(round_: Round, now=None) -> Snapshot:
    """A named round closes: its final snapshot is published and kept as it is. The snapshot rule
    holds at closing too: when only 1 to K-1 counted responses arrived since the last snapshot,
    the published figures are those of the last snapshot (otherwise the difference would show
    the latecomers' levels)."""
    include_demo = settings.ZELFSCAN_DEMO_MODE
    now = now or timezone.now()
    latest = Snapshot.objects.filter(round=round_, include_demo=include_demo).first()
    if latest is not None:
        arrivals = _round_responses(round_, include_demo).filter(counted_at__gt=latest.taken_at).count()
        if arrivals and not scoring.snapshot_due(arrivals, settings.ZELFSCAN_K):
            return Snapshot.objects.create(
                municipality_id=round_.municipality_id,
                round=round_,
                include_demo=include_demo,
                # As of the last snapshot, so that anything derived "as counted then" (the
                # organisation report's breakdowns) holds the same responses.
                taken_at=latest.taken_at,
                published=True,
                n_responses=latest.n_responses,
                counts=latest.counts,
            )
    return take_snapshot(round_, include_demo, published=True, taken_at=now)


def shown_snapshot(municipality: Municipality, k: int | None = None) -> Snapshot | None:
    """A municipality's figures come from its most recent round that reaches K: the newest
    snapshot, of any of its rounds, with at least K responses (or else its newest snapshot)."""
    k = k or settings.ZELFSCAN_K
    include_demo = settings.ZELFSCAN_DEMO_MODE
    rounds = list(Round.objects.filter(municipality=municipality, closed_at__isnull=True))
    if len(municipality.lineage_codes()) > 1 and not any(round_.is_continuous for round_ in rounds):
        from rounds.services import continuous_round  # responses from before a merger live on here

        rounds.append(continuous_round(municipality))
    for round_ in rounds:
        if round_.accepts_answers():
            round_.municipality = municipality
            round_snapshot(round_, k)
    snapshots = Snapshot.objects.filter(municipality=municipality, include_demo=include_demo).select_related("round")
    return snapshots.filter(n_responses__gte=k).first() or snapshots.first()


def current_snapshot(municipality: Municipality, k: int | None = None) -> Snapshot | None:
    """Refresh what is due for the municipality, and return the snapshot its figures come from."""
    return shown_snapshot(municipality, k)


def refresh_snapshot_if_due(sender=None, municipality_id: str | None = None, round_id: int | None = None, **kwargs):
    """Keep snapshots current as responses arrive (so peer groups, built from the members'
    shown snapshots, follow), still only after K new counted responses."""
    round_ = Round.objects.select_related("municipality").filter(pk=round_id).first()
    if round_ is not None:
        if round_.is_continuous and round_.municipality.successor() != round_.municipality:
            from rounds.services import continuous_round

            round_ = continuous_round(round_.municipality.successor())
        round_snapshot(round_)


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
    round: Round | None = None

    @property
    def period_label(self) -> str:
        """Which round the figures are of, e.g. "Voorjaar 2027 (01-03-2027 – 31-03-2027)"."""
        if self.round is None:
            return ""
        if self.round.is_continuous:
            return self.round.display_name
        return f"{self.round.display_name} ({self.round.period_label()})"

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
    snapshot = shown_snapshot(municipality, k)
    if snapshot is None:
        return Comparison(municipality, 0, None, {}, k, is_own=is_own)
    return Comparison(
        municipality, snapshot.n_responses, snapshot.taken_at, snapshot.counts, k, is_own=is_own, round=snapshot.round
    )
