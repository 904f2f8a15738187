"""The presentation for a team meeting: the organisation report as a series of screens, one
statement or theme per screen, along an agenda of four questions."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from . import charts

QUESTIONS = [
    ("stake", _("What is at stake, and why now?")),
    ("bottlenecks", _("Where are the bottlenecks?")),
    ("aspirations", _("What are our aspirations?")),
    ("roadmap", _("How do we secure it?")),
]
# Statements that get a screen of their own in "Where are the bottlenecks?".
BOTTLENECK_SCREENS = 5


@dataclass
class Screen:
    kind: str
    title: str
    question: str | None = None  # key of the agenda question it belongs to
    data: dict = field(default_factory=dict)


def _bars(row) -> dict:
    """Bars of a statement's distribution per scale (only where the distribution is shown)."""
    bars = {}
    for scale, figures in row.scales:
        if figures.distribution.shown:
            bars[scale] = charts.bar(figures.distribution.bins, figures.distribution.n)
    return bars


def screens(report: dict, roadmap: dict | None) -> list[Screen]:
    """All screens, in order. `report` is the organisation report's context, `roadmap` the
    roadmap's (insights never writes to it)."""
    result = [Screen("title", str(_("Agenda")))]
    result.append(Screen("stake", str(QUESTIONS[0][1]), "stake"))
    result.append(Screen("bottlenecks", str(QUESTIONS[1][1]), "bottlenecks"))
    chosen, seen = [], set()
    for row in report["top_gaps"] + report["top_disagreements"]:
        if row.statement.pk not in seen and len(chosen) < BOTTLENECK_SCREENS:
            seen.add(row.statement.pk)
            chosen.append(row)
    for row in chosen:
        title = f"{row.statement.key}. {row.statement.get_topic()}"
        result.append(Screen("statement", title, "bottlenecks", {"row": row, "bars": _bars(row)}))
    result.append(Screen("aspirations", str(QUESTIONS[2][1]), "aspirations"))
    for theme in report["themes"]:
        title = f"{theme.theme.key}. {theme.theme.get_title()}"
        result.append(Screen("theme", title, "aspirations", {"theme": theme}))
    result.append(Screen("roadmap", str(QUESTIONS[3][1]), "roadmap", {"roadmap": roadmap or {}}))
    result.append(Screen("close", str(_("How these figures were made"))))
    return result


def agenda(all_screens: list[Screen]) -> list[dict]:
    """The four questions with the number of the screen each starts on."""
    starts = {}
    for number, screen in enumerate(all_screens, start=1):
        if screen.question and screen.question not in starts:
            starts[screen.question] = number
    return [{"key": key, "label": label, "screen": starts.get(key)} for key, label in QUESTIONS]
