"""The public aggregates as data: a dictionary (API and open-data JSON), rows (CSV and XLSX) and
the column descriptions of the open data. All built from analysis.figures.GroupAggregates, so every
file shows the numbers of the page and the API.

Spreadsheet safety: a text cell that starts with "=", "+", "-", "@" (or a tab or carriage return)
is prefixed with an apostrophe, so Excel and LibreOffice show it as text instead of running it as
a formula. Numbers stay numbers.
"""

import csv
import io
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from instrument.models import pick_language

from .catalogue import PublicGroup
from .figures import Figure, GroupAggregates, Period, ThemeFigure

LANGUAGES = [code for code, _name in settings.LANGUAGES]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LICENCE = {
    "name": "CC0-1.0",
    "title": "Creative Commons Zero v1.0 Universal",
    "path": "https://creativecommons.org/publicdomain/zero/1.0/",
}


def escape_cell(value):
    """A value as a spreadsheet cell: text that a spreadsheet would run as a formula gets a
    leading apostrophe; numbers, booleans and None pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


# --- dictionary (API and JSON) ---------------------------------------------------------------


def texts(translations: dict) -> dict[str, str]:
    return {language: pick_language(translations, language) for language in LANGUAGES}


def period_to_dict(period: Period) -> dict:
    return {
        "key": period.key,
        "round": period.round,
        "as_of": period.as_of.isoformat() if period.as_of else None,
    }


def bins_to_list(figure: Figure) -> list[dict] | None:
    if figure.distribution is None:
        return None
    return [{"levels": [b.low, b.high], "count": b.count} for b in figure.distribution]


def figure_to_dict(figure: Figure) -> dict:
    return {
        "shown": figure.shown,
        "reason": figure.reason,
        "n": figure.n,
        "municipalities": figure.municipalities,
        "mean": number(figure.mean),
        "median": number(figure.median),
        "p25": number(figure.p25),
        "p75": number(figure.p75),
        "distribution": bins_to_list(figure),
    }


def theme_figure_to_dict(figure: ThemeFigure) -> dict:
    return {
        "shown": figure.shown,
        "reason": figure.reason,
        "n": figure.n,
        "mean": number(figure.mean),
        "stage": figure.stage,
    }


def group_to_dict(group: PublicGroup) -> dict:
    return {
        "key": group.key,
        "kind": group.kind,
        "label": {language: group.label(language) for language in LANGUAGES},
        "municipalities_in_register": group.members_in_register,
    }


def aggregates_to_dict(aggregates: GroupAggregates) -> dict:
    return {
        "instrument_version": aggregates.version.version,
        "period": period_to_dict(aggregates.period),
        "k": aggregates.k,
        "includes_demo_data": aggregates.includes_demo,
        "group": group_to_dict(aggregates.group),
        "shown": aggregates.shown,
        "reason": aggregates.reason,
        "municipalities": aggregates.municipalities,
        "statements": [
            {
                "key": row.statement.key,
                "position": row.statement.position,
                "theme": row.theme.key,
                "lineage": row.statement.lineage,
                "topic": texts(row.statement.topic),
                "current": figure_to_dict(row.current),
                "desired": figure_to_dict(row.desired),
                "gap": number(row.gap),
            }
            for row in aggregates.statements
        ],
        "themes": [
            {
                "key": row.theme.key,
                "title": texts(row.theme.title),
                "current": theme_figure_to_dict(row.current),
                "desired": theme_figure_to_dict(row.desired),
            }
            for row in aggregates.themes
        ],
    }


# --- rows (CSV, XLSX) ------------------------------------------------------------------------

COLUMNS = [
    ("instrument_version", "string", gettext_lazy("Version of the instrument (the 21 statements).")),
    (
        "period",
        "string",
        gettext_lazy("What the figures cover: “latest” is the latest published snapshot of each municipality."),
    ),
    ("as_of", "datetime", gettext_lazy("When the newest snapshot behind the figures was taken.")),
    (
        "k",
        "integer",
        gettext_lazy(
            "The threshold K: a figure is shown only when at least K people gave a level (not “I don't know”)."
        ),
    ),
    ("group", "string", gettext_lazy("Key of the group of municipalities, e.g. national, size-3, province-PV26.")),
    ("group_name", "string", gettext_lazy("Name of the group of municipalities.")),
    (
        "group_municipalities",
        "integer",
        gettext_lazy("Municipalities in the group with at least K responses: only these make up the group's figures."),
    ),
    ("item", "string", gettext_lazy("“statement”, “theme”, or “group” for a group that is not shown.")),
    ("key", "string", gettext_lazy("Key of the statement (e.g. A1) or theme (e.g. A).")),
    ("text", "string", gettext_lazy("Topic of the statement or title of the theme.")),
    ("scale", "string", gettext_lazy("“current” (now) or “desired” (in 3 to 5 years).")),
    ("shown", "boolean", gettext_lazy("Whether the figure meets the privacy rules; if not, only the reason is given.")),
    (
        "reason",
        "string",
        gettext_lazy(
            "Why a figure is not shown: “none” (nobody gave a level), “below_k” (fewer than K), "
            "“few_members” (fewer than 3 municipalities with at least K), “small_complement” (only 1 or 2 counted "
            "municipalities outside the group)."
        ),
    ),
    ("n", "integer", gettext_lazy("Number of people behind the figure who gave a level (1 to 5).")),
    (
        "municipalities",
        "integer",
        gettext_lazy("Number of municipalities behind the figure (each with at least K people who gave a level)."),
    ),
    ("mean", "number", gettext_lazy("Average level (1 to 5), one decimal.")),
    ("median", "number", gettext_lazy("Median level over the people in the group; only from n = 2K.")),
    ("p25", "number", gettext_lazy("25th percentile over the people in the group; only from n = 2K.")),
    ("p75", "number", gettext_lazy("75th percentile over the people in the group; only from n = 2K.")),
    (
        "distribution",
        "string",
        gettext_lazy(
            "Number of people per level, only from n = 2K, as “level:count” separated by “;”. A level with fewer "
            "than 3 people is merged with a neighbouring level, written “from-to:count”."
        ),
    ),
    ("gap", "number", gettext_lazy("Average desired level minus average level now (statements only).")),
]
COLUMN_NAMES = [name for name, _type, _description in COLUMNS]


def distribution_text(figure: Figure) -> str:
    if figure.distribution is None:
        return ""
    return ";".join(
        f"{b.low}:{b.count}" if b.low == b.high else f"{b.low}-{b.high}:{b.count}" for b in figure.distribution
    )


def rows(aggregates: GroupAggregates) -> list[list]:
    """The figures as table rows (COLUMNS), one per statement or theme and scale; a group that is
    not shown is one row with its reason. Numbers are Decimal or int, blank cells None."""
    period = aggregates.period
    head = [
        aggregates.version.version,
        period.key,
        period.as_of.isoformat() if period.as_of else None,
        aggregates.k,
        aggregates.group.key,
        aggregates.group.label(),
        aggregates.municipalities,
    ]
    if not aggregates.shown:
        return [head + ["group", None, None, None, False, aggregates.reason] + [None] * 8]
    result = []
    for row in aggregates.statements:
        for scale in ("current", "desired"):
            figure = row.figure(scale)
            result.append(
                head
                + ["statement", row.statement.key, row.statement.get_topic(), scale, figure.shown, figure.reason]
                + [figure.n, figure.municipalities, figure.mean, figure.median, figure.p25, figure.p75]
                + [distribution_text(figure) or None, row.gap]
            )
    for row in aggregates.themes:
        for scale in ("current", "desired"):
            figure = row.figure(scale)
            result.append(
                head
                + ["theme", row.theme.key, row.theme.get_title(), scale, figure.shown, figure.reason]
                + [figure.n, None, figure.mean, None, None, None, None, None]
            )
    return result


def csv_text(many: list[GroupAggregates]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMN_NAMES)
    for aggregates in many:
        for row in rows(aggregates):
            writer.writerow([_csv_value(value) for value in row])
    return out.getvalue()


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape_cell(value)


def xlsx_bytes(many: list[GroupAggregates]) -> bytes:
    """A workbook with the figures and a sheet that explains every column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Figures")[:31]
    sheet.append(COLUMN_NAMES)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for aggregates in many:
        for row in rows(aggregates):
            sheet.append([_xlsx_value(value) for value in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text
    sheet.freeze_panes = "A2"
    about = workbook.create_sheet(_("Columns")[:31])
    about.append([_("Column"), _("Type"), _("Meaning")])
    for cell in about[1]:
        cell.font = Font(bold=True)
    for name, kind, description in COLUMNS:
        about.append([name, kind, escape_cell(str(description))])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_value(value):
    if isinstance(value, Decimal):
        return float(value)
    return escape_cell(value)
