"""Reading a roadmap: its items on the timeline, the proposals from an organisation report, and
progress measured by a later round. One builder for the page, the PDF, the CSV and the
presentation, so they show the same numbers."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from insights.orgreport import round_report
from organisations.models import Municipality
from reports import scoring
from reports.aggregates import round_snapshot
from reports.models import Snapshot
from rounds.models import Round

from . import planning
from .models import Roadmap, RoadmapItem


@dataclass
class ItemView:
    item: RoadmapItem
    progress: planning.Progress | None  # None: no starting point
    later: Snapshot | None  # the later round's snapshot progress is measured in

    @property
    def before(self) -> scoring.GroupFigure | None:
        return self.progress.before if self.progress else None


def _figure(snapshot: Snapshot, lineage: str, k: int, scale: str = "current") -> scoring.GroupFigure:
    return scoring.group_figure(snapshot.counts.get(lineage, {}).get(scale, scoring.empty_counts()), k)


def starting_date(snapshot: Snapshot) -> datetime.date:
    """When the starting point was measured: a named round's closing date, or the date of a
    continuous round's snapshot."""
    if snapshot.round.is_continuous:
        return timezone.localdate(snapshot.taken_at)
    return snapshot.round.closes_on


def later_snapshot(municipality: Municipality, baseline: Snapshot, k: int) -> Snapshot | None:
    """The latest named round that opened after the starting point was measured, with its
    snapshot (a closed round's published one); rounds reaching K are preferred."""
    rounds = Round.objects.filter(
        municipality=municipality, kind=Round.Kind.NAMED, opens_on__gt=starting_date(baseline)
    ).exclude(pk=baseline.round_id)
    fallback = None
    for round_ in rounds.order_by("-opens_on", "-id"):
        round_.municipality = municipality
        found = round_snapshot(round_, k)
        if found is None:
            continue
        if scoring.reaches_k(found.n_responses, k):
            return found
        fallback = fallback or found
    return fallback


def item_views(municipality: Municipality, items: list[RoadmapItem], k: int) -> list[ItemView]:
    later_by_baseline: dict[int, Snapshot | None] = {}
    views = []
    for item in items:
        baseline = item.baseline
        if baseline is None:
            views.append(ItemView(item, None, None))
            continue
        if baseline.pk not in later_by_baseline:
            later_by_baseline[baseline.pk] = later_snapshot(municipality, baseline, k)
        later = later_by_baseline[baseline.pk]
        after = _figure(later, item.lineage, k) if later is not None else None
        views.append(
            ItemView(item, planning.progress(_figure(baseline, item.lineage, k), after, item.target_level), later)
        )
    return views


def timeline(views: list[ItemView]) -> list[dict]:
    """The phases in time order, each with its items (statement order)."""
    return [
        {"horizon": value, "label": label, "items": [view for view in views if view.item.horizon == value]}
        for value, label in RoadmapItem.Horizon.choices
    ]


def default_round(municipality: Municipality, k: int) -> Round | None:
    """The round the proposals come from unless the coordinator picks another: the most recent
    round whose snapshot reaches K (as comparisons use), else the most recent with a snapshot."""
    rounds = list(Round.objects.filter(municipality=municipality))
    best = None
    for round_ in rounds:
        round_.municipality = municipality
        snapshot = round_snapshot(round_, k)
        if snapshot is None:
            continue
        key = (scoring.reaches_k(snapshot.n_responses, k), snapshot.taken_at)
        if best is None or key > best[0]:
            best = (key, round_)
    return best[1] if best else None


def candidates(report: dict) -> list[planning.Candidate]:
    """The statements of an organisation report with both means shown, as proposal candidates."""
    found = []
    for row in report["rows"]:
        if row.gap is None:
            continue
        found.append(
            planning.Candidate(
                lineage=row.statement.lineage,
                position=row.statement.position,
                current=row.current.figure.mean,
                desired=row.desired.figure.mean,
                gap=row.gap,
                iqr=row.current.disagreement.iqr,
            )
        )
    return found


def build(municipality: Municipality, source: Round | None = None, k: int | None = None, report=None) -> dict:
    """Everything the roadmap page, its PDF and CSV show; proposals from the organisation report
    of the `source` round (`report`: that report, when the caller has built it already)."""
    k = k or settings.ZELFSCAN_K
    roadmap = Roadmap.objects.filter(municipality=municipality).first()
    items = []
    if roadmap is not None:
        items = list(
            roadmap.items.select_related("statement__theme", "baseline__round").order_by("statement__position", "id")
        )
    views = item_views(municipality, items, k)
    context = {
        "municipality": municipality,
        "roadmap": roadmap,
        "items": views,
        "timeline": timeline(views),
        "k": k,
        "min_change": planning.MIN_CHANGE,
        "source": source,
        "proposals": [],
    }
    if source is not None:
        report = report or round_report(source, k)
        on_roadmap = {item.lineage for item in items}
        rows = {row.statement.lineage: row for row in report.context["rows"]}
        ordered = planning.propose(candidates(report.context))
        context["source_snapshot"] = report.snapshot
        context["proposals"] = [
            {"row": rows[c.lineage], "candidate": c, "rank": rank, "on_roadmap": c.lineage in on_roadmap}
            for rank, c in enumerate(ordered, start=1)
        ]
        context["top_proposals"] = planning.TOP_PROPOSALS
    return context
