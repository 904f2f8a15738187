"""Open data: the national and peer-group aggregates of an instrument version and period, with a
licence and a description of every column (a Frictionless Data Package, datapackage.json).

A municipality appears by name only if one of its coordinators opted in (OpenDataOptIn), and then
only with the figures that reveal no other municipality's (see published_municipalities); every
group follows the privacy model (members reaching K, at least 3 of them).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from instrument.models import InstrumentVersion
from organisations.models import Municipality

from . import exports
from .catalogue import public_groups
from .figures import Figure, GroupAggregates, Period, current_period, many_group_aggregates

NO_MUNICIPALITIES = gettext_lazy(
    "A municipality's own figures are published only when its coordinator has agreed to that, and only where "
    "no other municipality's figures can be derived from them."
)


def all_groups(version: InstrumentVersion, period: Period | None = None) -> list[GroupAggregates]:
    return many_group_aggregates(public_groups(), version, period)


def open_data_json(version: InstrumentVersion, many: list[GroupAggregates] | None = None) -> dict:
    many = many if many is not None else all_groups(version)
    period = many[0].period if many else current_period()
    return {
        "title": f"Zelfscan aggregates, instrument {version.version}, {period.key}",
        "licence": exports.LICENCE,
        "instrument_version": version.version,
        "period": exports.period_to_dict(period),
        "k": many[0].k if many else None,
        "note": str(NO_MUNICIPALITIES),
        "groups": [exports.aggregates_to_dict(aggregates) for aggregates in many],
        "municipalities": [exports.aggregates_to_dict(aggregates) for aggregates in published_municipalities(version)],
    }


def datapackage(version: InstrumentVersion, base_url: str = "", period: Period | None = None) -> dict:
    """The Data Package descriptor: licence, resources and the meaning of every CSV column."""
    period = period or current_period()
    types = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean", "datetime": "datetime"}
    return {
        "name": f"zelfscan-aggregates-{version.version.replace('.', '-')}-{period.key}",
        "title": f"Zelfscan aggregates, instrument {version.version}, {period.key}",
        "description": _(
            "Smart City Self-Assessment: national and peer-group figures per statement and scale, following the "
            "privacy rules (K, at least 3 municipalities, distributions only from n = 2K)."
        )
        + " "
        + str(NO_MUNICIPALITIES),
        "licenses": [exports.LICENCE],
        "resources": [
            {
                "name": "aggregates",
                "path": f"{base_url}aggregates.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": name, "type": types[kind], "description": str(description)}
                        for name, kind, description in exports.COLUMNS
                    ]
                },
            },
            {
                "name": "aggregates-json",
                "path": f"{base_url}aggregates.json",
                "format": "json",
                "mediatype": "application/json",
            },
        ],
    }


# --- municipalities that opted in ---------------------------------------------------------------


def _hidden(reason: str) -> Figure:
    return Figure(shown=False, reason=reason)


def published_municipalities(version: InstrumentVersion) -> list[GroupAggregates]:
    """The figures of municipalities whose coordinator agreed to appear by name, under the same
    rules as everywhere (K per statement and scale) plus one: a statement and scale is left out
    when, in any public group that holds the municipality and shows that figure, the group's
    members outside the published municipalities are 1 or 2, because the group's figure minus
    the published ones would then give theirs (scoring.complement_allows)."""
    from reports import scoring
    from reports.aggregates import shown_snapshot
    from reports.groups import group_comparison

    from .figures import municipality_aggregates
    from .models import OpenDataOptIn

    opted = [
        consent.municipality
        for consent in OpenDataOptIn.objects.select_related("municipality").filter(municipality__active=True)
    ]
    if not opted:
        return []
    results = [municipality_aggregates(m, version, shown_snapshot(m)) for m in opted]
    published = {m.pk: result for m, result in zip(opted, results, strict=True) if result.shown}
    if not published:
        return []
    groups = [(group, group_comparison(group.definition())) for group in public_groups()]
    members = {
        group.key: set(
            Municipality.objects.filter(group.members, active=True, pk__in=published).values_list("pk", flat=True)
        )
        for group, _comparison in groups
    }
    # Until nothing changes: hiding one municipality's figure can leave a group with 1 or 2
    # unpublished members for another.
    changed = True
    while changed:
        changed = False
        for code, result in published.items():
            hide: set[tuple[str, str]] = set()
            for row in result.statements:
                lineage = row.statement.lineage
                for scale in scoring.SCALES:
                    if not row.figure(scale).shown:
                        continue
                    for group, comparison in groups:
                        if code not in members[group.key] or not comparison.figure(lineage, scale).shown:
                            continue
                        inside = [other for other in members[group.key] if _reaches(published[other], lineage, scale)]
                        total = comparison.data.get(lineage, {}).get(scale, (None, 0))[1]
                        if not scoring.complement_allows(total, len(inside)):
                            hide.add((lineage, scale))
                            break
            if hide:
                _apply_hiding(result, hide)
                changed = True
    return list(published.values())


def _reaches(result: GroupAggregates, lineage: str, scale: str) -> bool:
    row = next((row for row in result.statements if row.statement.lineage == lineage), None)
    return row is not None and row.figure(scale).shown


def _apply_hiding(result: GroupAggregates, hide: set[tuple[str, str]]) -> None:
    from .figures import StatementAggregate, ThemeAggregate, ThemeFigure

    hidden_statements = set()
    rows = []
    for row in result.statements:
        current, desired = row.current, row.desired
        if (row.statement.lineage, "current") in hide:
            current = _hidden("small_complement")
        if (row.statement.lineage, "desired") in hide:
            desired = _hidden("small_complement")
        if current is not row.current or desired is not row.desired:
            hidden_statements.add(row.statement.pk)
            row = StatementAggregate(row.statement, row.theme, current, desired, None)
        rows.append(row)
    result.statements = rows
    themes = []
    for theme_row in result.themes:
        affected = any(r.theme.pk == theme_row.theme.pk and r.statement.pk in hidden_statements for r in rows)
        if affected:
            theme_row = ThemeAggregate(
                theme_row.theme,
                theme_row.current
                if all(r.current.shown for r in rows if r.theme.pk == theme_row.theme.pk)
                else ThemeFigure(shown=False, reason="small_complement"),
                theme_row.desired
                if all(r.desired.shown for r in rows if r.theme.pk == theme_row.theme.pk)
                else ThemeFigure(shown=False, reason="small_complement"),
            )
        themes.append(theme_row)
    result.themes = themes
