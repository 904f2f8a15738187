"""The roadmap as CSV (for a spreadsheet): one row per item, the same figures as the page."""

import csv
import io

from django.utils.translation import gettext as _

from pages.templatetags.zelfscan import decimal_comma

from .roadmap import ItemView

# A cell starting with one of these could run as a formula in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """Text for a spreadsheet cell that is never taken as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _figure(figure) -> tuple[str, str]:
    if figure is None or not figure.shown:
        return "", ""
    return decimal_comma(figure.mean), str(figure.n)


def progress_label(state: str) -> str:
    labels = {
        "toward": _("toward the target"),
        "away": _("away from the target"),
        "unchanged": _("no clear change"),
        "unknown": _("not known"),
    }
    return labels[state]


def to_csv(views: list[ItemView]) -> str:
    """Semicolon-separated (as Excel in Dutch expects), every cell safe from formulas."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Statement"),
            _("Topic"),
            _("Theme"),
            _("Level now at the start"),
            _("n at the start"),
            _("Target level"),
            _("Horizon"),
            _("Owner (department)"),
            _("Actions"),
            _("Budget or financing"),
            _("Partners"),
            _("Indicator"),
            _("Status"),
            _("Level now in the later round"),
            _("n in the later round"),
            _("Change"),
            _("Progress"),
        ]
    )
    for view in views:
        item = view.item
        before = _figure(view.before)
        after = _figure(view.progress.after if view.progress else None)
        change = ""
        if view.progress and view.progress.change is not None:
            change = decimal_comma(view.progress.change)
        # Figures are written as they are; texts (some typed by coordinators) made formula-safe.
        writer.writerow(
            [
                safe_cell(item.statement.key),
                safe_cell(item.statement.get_topic()),
                safe_cell(item.statement.theme.get_title()),
                before[0],
                before[1],
                item.target_level,
                item.get_horizon_display(),
                safe_cell(item.owner),
                safe_cell(item.actions),
                safe_cell(item.budget),
                safe_cell(item.partners),
                safe_cell(item.indicator),
                item.get_status_display(),
                after[0],
                after[1],
                change,
                progress_label(view.progress.state) if view.progress else "",
            ]
        )
    return out.getvalue()
