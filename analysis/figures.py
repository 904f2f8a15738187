"""One function per figure for every public surface: the national page, the API, the CSV and XLSX
exports, the export command and the open data.

`group_aggregates(group, version)` builds a group's figures for one instrument version from the
group's members' latest snapshots (reports.groups.group_comparison, the function the personal
report's peer section uses), and every statistic and threshold decision comes from
reports.scoring. Surfaces only format what this module returns, so they cannot disagree.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Max
from django.utils.translation import gettext as _

from instrument.models import InstrumentVersion, Statement, Structure, Theme
from reports import scoring
from reports.groups import GroupComparison, group_comparison
from reports.models import Snapshot
from reports.report import STAGE_LABELS

from .catalogue import NATIONAL, PublicGroup, national_definition

LATEST = "latest"


@dataclass(frozen=True)
class Period:
    """What the figures cover. Now always the latest snapshot of every municipality; when rounds
    exist, a round's key goes in `round` (and `key`), with the same shape everywhere."""

    key: str
    round: str | None
    as_of: datetime | None

    def label(self) -> str:
        return _("latest figures") if self.key == LATEST else self.key


def current_period() -> Period:
    include_demo = settings.ZELFSCAN_DEMO_MODE
    as_of = Snapshot.objects.filter(include_demo=include_demo).aggregate(newest=Max("taken_at"))["newest"]
    return Period(LATEST, None, as_of)


@dataclass(frozen=True)
class Figure:
    """A group's figure for one statement on one scale. Only `shown` and `reason` are set when
    it is not shown; the distribution is None below n = 2K."""

    shown: bool
    reason: str | None
    n: int | None = None
    municipalities: int | None = None
    mean: Decimal | None = None
    median: Decimal | None = None
    p25: Decimal | None = None
    p75: Decimal | None = None
    distribution: tuple[scoring.Bin, ...] | None = None


def _members(comparison: GroupComparison, lineage: str, scale: str) -> int:
    return comparison.data.get(lineage, {}).get(scale, (None, 0))[1]


def statement_figure(
    comparison: GroupComparison, lineage: str, scale: str, national: GroupComparison | None = None
) -> Figure:
    """One statement on one scale. `national`: the group this one lies inside, for the
    complement rule (scoring.complement_allows); None for the national group itself."""
    figure = comparison.figure(lineage, scale)
    if not figure.shown:
        return Figure(shown=False, reason=figure.reason)
    counts, members = comparison.data[lineage][scale]
    if national is not None and not scoring.complement_allows(_members(national, lineage, scale), members):
        return Figure(shown=False, reason="small_complement")
    spread = comparison.spread(lineage, scale)
    distribution = scoring.distribution(counts, comparison.k)
    return Figure(
        shown=True,
        reason=None,
        n=figure.n,
        municipalities=members,
        mean=figure.mean,
        median=spread.median if spread.shown else None,
        p25=spread.p25 if spread.shown else None,
        p75=spread.p75 if spread.shown else None,
        distribution=distribution.bins if distribution.shown else None,
    )


@dataclass(frozen=True)
class ThemeFigure:
    """A theme's figure on one scale: the mean over all levels given in it, shown only when every
    statement of the theme is shown; n is the smallest statement n."""

    shown: bool
    reason: str | None
    n: int | None = None
    mean: Decimal | None = None
    stage: str | None = None

    @property
    def stage_label(self) -> str:
        return str(STAGE_LABELS[self.stage]) if self.stage else ""


def theme_figure(
    comparison: GroupComparison, lineages: list[str], scale: str, statements: list[Figure] | None = None
) -> ThemeFigure:
    """A theme on one scale, shown only when each of its statements is (`statements`: their figures)."""
    if statements is not None and not all(figure.shown for figure in statements):
        hidden = next(figure for figure in statements if not figure.shown)
        return ThemeFigure(shown=False, reason=hidden.reason)
    figure = comparison.theme_figure(lineages, scale)
    if not figure.shown:
        return ThemeFigure(shown=False, reason=figure.reason)
    return ThemeFigure(shown=True, reason=None, n=figure.n, mean=figure.mean, stage=scoring.stage(figure.mean))


@dataclass(frozen=True)
class StatementAggregate:
    statement: Statement
    theme: Theme
    current: Figure
    desired: Figure
    gap: Decimal | None  # desired mean minus current mean, when both are shown

    def figure(self, scale: str) -> Figure:
        return self.current if scale == "current" else self.desired


@dataclass(frozen=True)
class ThemeAggregate:
    theme: Theme
    current: ThemeFigure
    desired: ThemeFigure

    def figure(self, scale: str) -> ThemeFigure:
        return self.current if scale == "current" else self.desired


@dataclass
class GroupAggregates:
    group: PublicGroup
    version: InstrumentVersion
    period: Period
    k: int
    includes_demo: bool
    shown: bool
    # None when shown; "few_members" (fewer than 3 members reach K) or "small_complement"
    reason: str | None
    municipalities: int | None  # members that reach K (only stated when the group is shown)
    statements: list[StatementAggregate] = field(default_factory=list)
    themes: list[ThemeAggregate] = field(default_factory=list)

    @property
    def reason_label(self) -> str:
        return reason_text(self.reason, self.k)

    def largest_gaps(self, limit: int = scoring.TOP_GAPS) -> list[StatementAggregate]:
        by_position = {row.statement.position: row for row in self.statements}
        ranked = scoring.largest_gaps(((row.statement.position, row.gap) for row in self.statements), limit)
        return [by_position[position] for position, _gap in ranked]


def group_aggregates(
    group: PublicGroup,
    version: InstrumentVersion,
    period: Period | None = None,
    national: GroupComparison | None = None,
    hidden: set | None = None,
) -> GroupAggregates:
    """A group's figures per statement and theme of `version`, on both scales. `national` may be
    passed in when many groups are built at once (see many_group_aggregates)."""
    comparison = group_comparison(group.definition())
    if group.kind == NATIONAL:
        national = None
    elif national is None:
        national = group_comparison(national_definition())
    shown, reason = comparison.shown, None if comparison.shown else "few_members"
    if (
        shown
        and national is not None
        and not scoring.complement_allows(national.n_municipalities, comparison.n_municipalities)
    ):
        shown, reason = False, "small_complement"
    if hidden is None:
        from .subtraction import hidden_figures

        hidden = hidden_figures()
    period = period or current_period()
    return _aggregates(group, comparison, version, period, shown, reason, national, hidden)


def municipality_aggregates(municipality, version: InstrumentVersion, snapshot: Snapshot | None) -> GroupAggregates:
    """One municipality's figures from one of its snapshots (for coordinators of it and analysts,
    never the public): the same statistics and thresholds as a group of one member that must reach K."""
    from reports.groups import build_group

    from .catalogue import PublicGroup

    group = PublicGroup(f"municipality-{municipality.pk}", "municipality", municipality.pk, municipality.common_name, 1)
    k = settings.ZELFSCAN_K
    counts = snapshot.counts if snapshot is not None else {}
    comparison = build_group(group.label(), [counts], k)
    comparison.min_members = 1
    n = snapshot.n_responses if snapshot is not None else 0
    comparison.n_municipalities = 1 if scoring.reaches_k(n, k) else 0
    comparison.n_responses = n if comparison.n_municipalities else 0
    round_ = snapshot.round if snapshot is not None else None
    period = Period(
        f"round-{round_.pk}" if round_ else LATEST,
        round_.display_name if round_ else None,
        snapshot.taken_at if snapshot is not None else None,
    )
    shown = comparison.n_municipalities == 1
    return _aggregates(group, comparison, version, period, shown, None if shown else "below_k", None)


def _aggregates(group, comparison, version, period, shown, reason, national, hidden=frozenset()) -> GroupAggregates:
    """`hidden`: {(group key, lineage, scale)} left out so that no figure follows by subtraction
    (analysis.subtraction)."""
    result = GroupAggregates(
        group=group,
        version=version,
        period=period,
        k=comparison.k,
        includes_demo=settings.ZELFSCAN_DEMO_MODE,
        shown=shown,
        reason=reason,
        municipalities=comparison.n_municipalities if shown else None,
    )
    if not shown:
        return result
    structure = Structure.of(version)
    themes = {theme.id: theme for theme in structure.themes}
    by_lineage = {}
    for statement in structure.statements:
        current = statement_figure(comparison, statement.lineage, "current", national)
        desired = statement_figure(comparison, statement.lineage, "desired", national)
        if current.shown and (group.key, statement.lineage, "current") in hidden:
            current = Figure(shown=False, reason="small_complement")
        if desired.shown and (group.key, statement.lineage, "desired") in hidden:
            desired = Figure(shown=False, reason="small_complement")
        gap = scoring.figure_gap(
            comparison.figure(statement.lineage, "current"), comparison.figure(statement.lineage, "desired")
        )
        row = StatementAggregate(
            statement, themes[statement.theme_id], current, desired, gap if current.shown and desired.shown else None
        )
        result.statements.append(row)
        by_lineage[statement.lineage] = row
    for theme in structure.themes:
        lineages = [statement.lineage for statement in structure.by_theme[theme.id]]
        result.themes.append(
            ThemeAggregate(
                theme,
                theme_figure(comparison, lineages, "current", [by_lineage[x].current for x in lineages]),
                theme_figure(comparison, lineages, "desired", [by_lineage[x].desired for x in lineages]),
            )
        )
    return result


def many_group_aggregates(groups: list[PublicGroup], version: InstrumentVersion, period: Period | None = None):
    """Several groups' figures, sharing the period and the national comparison."""
    from .subtraction import hidden_figures

    period = period or current_period()
    national = group_comparison(national_definition())
    hidden = hidden_figures()
    return [group_aggregates(group, version, period, national, hidden) for group in groups]


def reason_text(reason: str | None, k: int) -> str:
    """Why a group (or a figure) is not shown, in plain language."""
    texts = {
        "none": _("nobody gave a level"),
        "below_k": _("fewer than %(k)s people gave a level") % {"k": k},
        "few_members": _("fewer than 3 municipalities in this group have at least %(k)s responses") % {"k": k},
        "small_complement": _(
            "only 1 or 2 of the counted municipalities are outside this group, so the national figures minus this "
            "group's would show theirs"
        ),
    }
    return texts.get(reason, "")
