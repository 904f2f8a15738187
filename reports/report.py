"""The personal report: one builder for the web page, the shared page, the sample report
and (later) the PDF, so every surface shows the same numbers."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from instrument.models import InstrumentVersion, Statement

from . import radar, scoring
from .aggregates import Comparison

STAGE_LABELS = {
    "improvising": _("Improvising"),
    "effective": _("Effective"),
    "adaptive": _("Adaptive"),
    "smart": _("Smart"),
}
STAGE_DESCRIPTIONS = {
    "improvising": _("Smart city work depends on individuals and is not yet arranged."),
    "effective": _("First pilots and agreements exist; the organisation is learning to act on them."),
    "adaptive": _("Smart city work is arranged, owned and repeatable across the organisation."),
    "smart": _("Smart city work is embedded, steered on results and continuously improved."),
}


@dataclass
class ComparisonCell:
    comparison: Comparison
    current: scoring.GroupFigure
    desired: scoring.GroupFigure


@dataclass
class StatementRow:
    statement: Statement
    current: int | None
    desired: int | None
    note: str
    gap: int | None
    gap_kind: str
    comparisons: list[ComparisonCell] = field(default_factory=list)

    @property
    def next_level(self) -> int | None:
        level = scoring.known_level(self.current)
        return level + 1 if level is not None and level < 5 else None

    @property
    def next_level_text(self) -> str:
        return self.statement.level_text(self.next_level) if self.next_level else ""


@dataclass
class ThemeBlock:
    theme: object
    rows: list[StatementRow]
    summary: scoring.Summary
    comparisons: list[ComparisonCell]


def build_report(
    version: InstrumentVersion,
    answers: dict[int, tuple[int | None, int | None, str]],
    comparisons: list[Comparison],
) -> dict:
    """Everything the report template shows. `answers` is {statement_id: (current, desired, note)}."""
    statements = list(version.statements.select_related("theme").order_by("position"))
    themes: dict[int, list[StatementRow]] = {}
    rows = []
    for statement in statements:
        current, desired, note = answers.get(statement.id, (None, None, ""))
        row = StatementRow(
            statement=statement,
            current=current,
            desired=desired,
            note=note,
            gap=scoring.gap(current, desired),
            gap_kind=scoring.gap_kind(current, desired),
            comparisons=[
                ComparisonCell(c, c.figure(statement.lineage, "current"), c.figure(statement.lineage, "desired"))
                for c in comparisons
            ],
        )
        rows.append(row)
        themes.setdefault(statement.theme_id, []).append(row)

    items = {row.statement.position: scoring.Item(row.statement.position, row.current, row.desired) for row in rows}
    blocks = []
    for theme in version.themes.order_by("position"):
        theme_rows = themes.get(theme.id, [])
        lineages = [row.statement.lineage for row in theme_rows]
        blocks.append(
            ThemeBlock(
                theme=theme,
                rows=theme_rows,
                summary=scoring.summarise(items[row.statement.position] for row in theme_rows),
                comparisons=[
                    ComparisonCell(c, c.theme_figure(lineages, "current"), c.theme_figure(lineages, "desired"))
                    for c in comparisons
                ],
            )
        )
    by_position = {row.statement.position: row for row in rows}
    top = [by_position[item.position] for item in scoring.top_gaps(items.values())]
    current_stage = scoring.overall_stage([row.current for row in rows])
    desired_stage = scoring.overall_stage([row.desired for row in rows])
    chart = radar.radar(
        [row.statement.key for row in rows],
        {
            "current": [scoring.known_level(row.current) for row in rows],
            "desired": [scoring.known_level(row.desired) for row in rows],
        },
    )
    return {
        "version": version,
        "rows": rows,
        "notes": [row for row in rows if row.note],
        "themes": blocks,
        "top_gaps": top,
        "summary": scoring.summarise(items.values()),
        "current_stage": current_stage,
        "desired_stage": desired_stage,
        "current_stage_label": STAGE_LABELS.get(current_stage),
        "desired_stage_label": STAGE_LABELS.get(desired_stage),
        "current_stage_description": STAGE_DESCRIPTIONS.get(current_stage),
        "stage_labels": STAGE_LABELS,
        "comparisons": comparisons,
        "chart": chart,
        "dont_know_current": sum(1 for row in rows if row.current == scoring.DONT_KNOW),
        "dont_know_desired": sum(1 for row in rows if row.desired == scoring.DONT_KNOW),
    }


@dataclass
class PeerRow:
    statement: Statement
    current: scoring.GroupFigure
    desired: scoring.GroupFigure
    current_spread: scoring.Spread
    desired_spread: scoring.Spread
    you: int | None
    you_position: str | None
    municipality: scoring.GroupFigure | None
    municipality_position: str | None
    municipality_desired: scoring.GroupFigure | None


POSITION_LABELS = {
    "below": _("below the middle half"),
    "within": _("in the middle half"),
    "above": _("above the middle half"),
}


def peer_section(report: dict, group, own: Comparison | None) -> dict:
    """The group's picture per statement beside the respondent's and the municipality's: median
    and P25-P75 over the group's respondents, and where both stand in it."""
    rows = []
    p25s, p75s, medians = [], [], []
    for row in report["rows"]:
        lineage = row.statement.lineage
        current_spread = group.spread(lineage, "current")
        own_now = own.figure(lineage, "current") if own is not None and own.shown else None
        you = scoring.known_level(row.current)
        rows.append(
            PeerRow(
                statement=row.statement,
                current=group.figure(lineage, "current"),
                desired=group.figure(lineage, "desired"),
                current_spread=current_spread,
                desired_spread=group.spread(lineage, "desired"),
                you=you,
                you_position=scoring.position_in(you, current_spread),
                municipality=own_now,
                municipality_position=scoring.position_in(
                    own_now.mean if own_now and own_now.shown else None, current_spread
                ),
                municipality_desired=own.figure(lineage, "desired") if own is not None and own.shown else None,
            )
        )
        p25s.append(current_spread.p25)
        p75s.append(current_spread.p75)
        medians.append(current_spread.median)
    labels = [row.statement.key for row in report["rows"]]
    band = None
    if all(value is not None for value in p25s + p75s):
        band = radar.band(len(labels), p25s, p75s)
    return {
        "group": group,
        "rows": rows,
        "band": band,
        "median_points": radar.points(len(labels), medians) if all(m is not None for m in medians) else None,
        "position_labels": POSITION_LABELS,
    }
