"""Progress across rounds: per statement and theme the level now and desired in each round of
the municipality up to the one reported on, each from that round's snapshot (a closed round's
published snapshot), with the same thresholds as everywhere else."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from instrument.models import InstrumentVersion, Structure
from reports import scoring
from reports.aggregates import round_snapshot
from reports.models import Snapshot
from rounds.models import Round

from . import charts


@dataclass
class Point:
    round: Round
    snapshot: Snapshot
    date: datetime.date

    @property
    def label(self) -> str:
        if self.round.is_continuous:
            return _("Continuous round, %(date)s") % {"date": self.date.strftime("%d-%m-%Y")}
        return self.round.name

    @property
    def period(self) -> str:
        if self.round.is_continuous:
            return _("figures of %(date)s") % {"date": self.date.strftime("%d-%m-%Y")}
        return self.round.period_label()


def point_date(round_: Round, snapshot: Snapshot) -> datetime.date:
    """Where a round sits on the time line: a named round at its closing date, the continuous
    round at the date of its snapshot."""
    if round_.is_continuous:
        return timezone.localdate(snapshot.taken_at)
    return round_.closes_on


def points_up_to(round_: Round, snapshot: Snapshot | None, k: int | None = None) -> list[Point]:
    """The municipality's rounds with a snapshot, in time order, up to the round reported on."""
    if snapshot is None:
        return []
    k = k or settings.ZELFSCAN_K
    own = Point(round_, snapshot, point_date(round_, snapshot))
    points = [own]
    for other in Round.objects.filter(municipality_id=round_.municipality_id).exclude(pk=round_.pk):
        other.municipality = round_.municipality
        found = round_snapshot(other, k)
        if found is None:
            continue
        point = Point(other, found, point_date(other, found))
        if point.date <= own.date:
            points.append(point)
    return sorted(points, key=lambda point: (point.date, point.round.pk))


@dataclass
class TrendLine:
    key: str
    title: str
    is_theme: bool
    current: list[scoring.GroupFigure]
    desired: list[scoring.GroupFigure]
    chart: dict

    @property
    def cells(self) -> list[tuple[scoring.GroupFigure, scoring.GroupFigure]]:
        return list(zip(self.current, self.desired, strict=True))


def _line(key: str, title: str, is_theme: bool, labels, current, desired) -> TrendLine:
    chart = charts.line_chart(
        labels,
        {
            "current": [f.mean if f.shown else None for f in current],
            "desired": [f.mean if f.shown else None for f in desired],
        },
    )
    return TrendLine(key, title, is_theme, current, desired, chart)


def build(version: InstrumentVersion, points: list[Point], k: int | None = None) -> dict:
    """Per theme (pooled, as the theme figures) and per statement: the figures in every round."""
    k = k or settings.ZELFSCAN_K
    structure = Structure.of(version)
    labels = [point.label for point in points]

    def counts(point: Point, lineage: str, scale: str):
        return point.snapshot.counts.get(lineage, {}).get(scale, scoring.empty_counts())

    themes = []
    for theme in structure.themes:
        statements = structure.by_theme[theme.id]
        theme_line = _line(
            theme.key,
            f"{theme.key}. {theme.get_title()}",
            True,
            labels,
            [scoring.pooled_figure([counts(p, s.lineage, "current") for s in statements], k) for p in points],
            [scoring.pooled_figure([counts(p, s.lineage, "desired") for s in statements], k) for p in points],
        )
        lines = [
            _line(
                s.key,
                f"{s.key}. {s.get_topic()}",
                False,
                labels,
                [scoring.group_figure(counts(p, s.lineage, "current"), k) for p in points],
                [scoring.group_figure(counts(p, s.lineage, "desired"), k) for p in points],
            )
            for s in statements
        ]
        themes.append({"theme": theme, "line": theme_line, "statements": lines})
    return {"points": points, "trend_themes": themes, "has_trend": len(points) >= 2}
