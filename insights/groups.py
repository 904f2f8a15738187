"""Where departments, domains and roles see it differently: figures per group for one round
snapshot, from its breakdown snapshot, folded by insights.stats.group_row."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from assessments.choices import Domain, Role
from instrument.models import InstrumentVersion, Statement, Structure
from reports import scoring
from reports.models import Snapshot

from . import stats
from .breakdown import DIMENSIONS, breakdown_for

DIMENSION_LABELS = {
    "department": _("department"),
    "domain": _("domain"),
    "role": _("role"),
}
SCALE_LABELS = {"current": _("now"), "desired": _("in 3 to 5 years")}
NO_DEPARTMENT = _("No department given")


def group_label(dimension: str, key: str) -> str:
    if dimension == "department":
        return key or str(NO_DEPARTMENT)
    choices = Domain if dimension == "domain" else Role
    try:
        return str(choices(key).label)
    except ValueError:
        return key


@dataclass
class Column:
    key: str
    label: str


@dataclass
class Row:
    statement: Statement
    total: scoring.GroupFigure
    cells: list[scoring.GroupFigure | None]  # per column; None: folded for this statement
    other: scoring.GroupFigure | None
    spread: Decimal | None
    silo: bool


def build(
    version: InstrumentVersion, snapshot: Snapshot | None, dimension: str, scale: str, k: int | None = None
) -> dict:
    """Per statement the figure of every group that may be shown, "other", and the spread."""
    k = k or settings.ZELFSCAN_K
    if dimension not in DIMENSIONS or scale not in scoring.SCALES:
        raise ValueError(f"unknown dimension or scale: {dimension!r}, {scale!r}")
    breakdown = breakdown_for(snapshot) if snapshot is not None else None
    groups = breakdown.groups(dimension) if breakdown is not None else {}
    # A carried-over breakdown comes with the round counts it was taken with.
    round_counts = (breakdown.total() or snapshot.counts) if breakdown is not None else {}
    keys = sorted(groups, key=lambda key: (key == "", group_label(dimension, key).casefold()))
    raw = []
    for statement in Structure.of(version).statements:
        lineage = statement.lineage
        total = round_counts.get(lineage, {}).get(scale, scoring.empty_counts()) if snapshot else None
        total = total or scoring.empty_counts()
        per_group = {key: groups[key].get(lineage, {}).get(scale, scoring.empty_counts()) for key in keys}
        raw.append((statement, total, stats.group_row(total, per_group, k)))
    shown_keys = {cell.key for _, _, row in raw for cell in row.cells if cell.figure is not None}
    columns = [Column(key, group_label(dimension, key)) for key in keys if key in shown_keys]
    rows = []
    for statement, total, row in raw:
        by_key = {cell.key: cell.figure for cell in row.cells}
        rows.append(
            Row(
                statement=statement,
                total=scoring.group_figure(total, k),
                cells=[by_key.get(column.key) for column in columns],
                other=row.other,
                spread=row.spread,
                silo=row.silo,
            )
        )
    silos = sorted((row for row in rows if row.silo), key=lambda row: (-row.spread, row.statement.position))
    return {
        "dimension": dimension,
        "dimension_label": DIMENSION_LABELS[dimension],
        "scale": scale,
        "scale_label": SCALE_LABELS[scale],
        "columns": columns,
        "group_rows": rows,
        "silos": silos[:5],
        "silo_spread": stats.SILO_SPREAD,
        "any_group": bool(columns),
    }


def all_breakdowns(version: InstrumentVersion, snapshot: Snapshot | None, k: int | None = None) -> list[dict]:
    """Every view the page offers (each dimension on each scale), for the PDF."""
    return [build(version, snapshot, dimension, scale, k) for dimension in DIMENSIONS for scale in scoring.SCALES]
