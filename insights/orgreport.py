"""The organisation report of one round: one builder for the web page, the presentation and the
PDF, so every surface shows the same numbers. Every figure comes from a snapshot (never from
live counts) through reports.scoring and insights.stats."""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from instrument.models import InstrumentVersion, Statement, Structure
from reports import scoring
from reports.aggregates import round_snapshot
from reports.models import Snapshot
from reports.report import STAGE_DESCRIPTIONS, STAGE_LABELS
from rounds.models import Round
from rounds.services import version_for

from . import stats

TOP = 5


@dataclass(frozen=True)
class ScaleFigures:
    """One statement (or theme) on one scale."""

    figure: scoring.GroupFigure
    distribution: stats.Distribution | None
    dont_know: stats.DontKnow
    disagreement: stats.Disagreement | None


def scale_figures(counts, k: int) -> ScaleFigures:
    return ScaleFigures(
        figure=scoring.group_figure(counts, k),
        distribution=stats.distribution(counts, k),
        dont_know=stats.dont_know_share([counts], k),
        disagreement=stats.disagreement(counts, k),
    )


@dataclass
class StatementRow:
    statement: Statement
    counts: dict  # {"current": counts, "desired": counts}
    current: ScaleFigures
    desired: ScaleFigures
    gap: Decimal | None

    @property
    def scales(self) -> list[tuple[str, ScaleFigures]]:
        return [("current", self.current), ("desired", self.desired)]

    @property
    def next_level(self) -> int | None:
        """The level above the organisation's mean level now (what the next step asks)."""
        if not self.current.figure.shown or self.current.figure.mean >= 5:
            return None
        return math.floor(self.current.figure.mean) + 1

    @property
    def next_level_text(self) -> str:
        return self.statement.level_text(self.next_level) if self.next_level else ""


@dataclass
class ThemeRow:
    theme: object
    rows: list[StatementRow]
    current: ScaleFigures
    desired: ScaleFigures
    gap: Decimal | None
    disputed: int  # statements flagged for disagreement (on either scale)


@dataclass
class Picture:
    """The stage over several statements: all of them, or one precondition's."""

    key: str
    label: str
    statements: int
    current: scoring.GroupFigure
    desired: scoring.GroupFigure
    current_stage: str | None = None
    desired_stage: str | None = None

    def __post_init__(self):
        self.current_stage = scoring.stage(self.current.mean) if self.current.shown else None
        self.desired_stage = scoring.stage(self.desired.mean) if self.desired.shown else None

    @property
    def current_stage_label(self):
        return STAGE_LABELS.get(self.current_stage)

    @property
    def desired_stage_label(self):
        return STAGE_LABELS.get(self.desired_stage)


def _counts(snapshot: Snapshot | None, lineage: str, scale: str) -> list[int]:
    if snapshot is None:
        return scoring.empty_counts()
    return list(snapshot.counts.get(lineage, {}).get(scale, scoring.empty_counts()))


def _picture(key: str, label, rows: list[StatementRow], k: int) -> Picture:
    return Picture(
        key=key,
        label=label,
        statements=len(rows),
        current=stats.overall_figure([row.counts["current"] for row in rows], k),
        desired=stats.overall_figure([row.counts["desired"] for row in rows], k),
    )


def largest_gaps(rows: list[StatementRow], limit: int = TOP) -> list[StatementRow]:
    """Statements where the desired level is above now, largest gap first (ties: statement order)."""
    with_gap = [row for row in rows if row.gap is not None and row.gap > 0]
    return sorted(with_gap, key=lambda row: (-row.gap, row.statement.position))[:limit]


def largest_disagreements(rows: list[StatementRow], limit: int = TOP) -> list[StatementRow]:
    """Statements where colleagues disagree most about now (interquartile range), largest first."""
    shown = [row for row in rows if row.current.disagreement.shown and row.current.disagreement.iqr > 0]
    return sorted(shown, key=lambda row: (-row.current.disagreement.iqr, row.statement.position))[:limit]


def build(version: InstrumentVersion, snapshot: Snapshot | None, k: int) -> dict:
    """Everything the organisation report shows for one snapshot of a round."""
    structure = Structure.of(version)
    rows: list[StatementRow] = []
    for statement in structure.statements:
        counts = {scale: _counts(snapshot, statement.lineage, scale) for scale in scoring.SCALES}
        current, desired = scale_figures(counts["current"], k), scale_figures(counts["desired"], k)
        rows.append(StatementRow(statement, counts, current, desired, stats.gap(current.figure, desired.figure)))
    themes = []
    for theme in structure.themes:
        theme_rows = [row for row in rows if row.statement.theme_id == theme.id]
        pooled = {}
        for scale in scoring.SCALES:
            many = [row.counts[scale] for row in theme_rows]
            pooled[scale] = ScaleFigures(
                figure=scoring.pooled_figure(many, k),
                distribution=None,  # answers pooled over statements are not respondents
                dont_know=stats.dont_know_share(many, k),
                disagreement=None,
            )
        themes.append(
            ThemeRow(
                theme=theme,
                rows=theme_rows,
                current=pooled["current"],
                desired=pooled["desired"],
                gap=stats.gap(pooled["current"].figure, pooled["desired"].figure),
                disputed=sum(
                    1 for row in theme_rows if row.current.disagreement.flagged or row.desired.disagreement.flagged
                ),
            )
        )
    preconditions = []
    for key in version.preconditions:
        chosen = [row for row in rows if row.statement.precondition == key]
        if chosen:
            preconditions.append(_picture(key, version.precondition_label(key), chosen, k))
    overall = _picture("overall", _("All statements"), rows, k)
    return {
        "version": version,
        "snapshot": snapshot,
        "k": k,
        "distribution_k": 2 * k,
        "n_responses": snapshot.n_responses if snapshot else 0,
        "rows": rows,
        "themes": themes,
        "overall": overall,
        "overall_stage_description": STAGE_DESCRIPTIONS.get(overall.current_stage),
        "preconditions": preconditions,
        "top_gaps": largest_gaps(rows),
        "top_disagreements": largest_disagreements(rows),
        "levels": scoring.LEVELS,
        "disagreement_flag": stats.DISAGREEMENT_FLAG,
        "min_cell": stats.MIN_CELL,
        "any_shown": any(row.current.figure.shown or row.desired.figure.shown for row in rows),
    }


@dataclass
class RoundReport:
    """A round's report: the round, the snapshot it is served from, and the figures."""

    round: Round
    snapshot: Snapshot | None
    context: dict = field(default_factory=dict)


def round_report(round_: Round, k: int | None = None) -> RoundReport:
    """The report of a round, from the snapshot the privacy model allows: during an open round
    its snapshot (refreshed only after K new counted responses), after closing the published one."""
    k = k or settings.ZELFSCAN_K
    snapshot = round_snapshot(round_, k)
    version = version_for(round_)
    context = build(version, snapshot, k)
    context.update({"round": round_, "municipality": round_.municipality})
    return RoundReport(round_, snapshot, context)
