"""The sample report on the landing page: the real report template, filled with fictional data.

It needs no respondent and no demo rows in the database, so it also works in production.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from instrument.models import InstrumentVersion
from organisations.models import Municipality

from .aggregates import Comparison

# A fictional respondent: (current, desired) per statement position, 0 = "I don't know".
SAMPLE_LEVELS = [
    (2, 4),
    (1, 4),
    (2, 3),
    (1, 3),
    (2, 4),
    (1, 3),
    (2, 3),
    (3, 4),
    (3, 3),
    (2, 3),
    (3, 4),
    (2, 2),
    (2, 3),
    (1, 3),
    (2, 4),
    (1, 3),
    (0, 3),
    (3, 4),
    (2, 3),
    (2, 4),
    (2, 3),
]
SAMPLE_NOTES = {1: _("Our coalition agreement mentions data, but there is no shared vision yet.")}


def sample_counts(position: int, spread: int) -> dict[str, list[int]]:
    """Fictional counts for a fictional municipality of 24 respondents."""
    current, desired = SAMPLE_LEVELS[position - 1]
    base = max(current, 1)
    cur = [1, 0, 0, 0, 0, 0]
    des = [0, 0, 0, 0, 0, 0]
    for index in range(23):
        cur[min(5, max(1, base + (index + position + spread) % 3 - 1))] += 1
        des[min(5, max(1, max(desired, 2) + (index + spread) % 3 - 1))] += 1
    des[min(5, max(desired, 2))] += 1
    return {"current": cur, "desired": des}


def sample_answers(version: InstrumentVersion) -> dict[int, tuple[int | None, int | None, str]]:
    answers = {}
    for statement in version.statements.order_by("position"):
        current, desired = SAMPLE_LEVELS[(statement.position - 1) % len(SAMPLE_LEVELS)]
        answers[statement.id] = (current, desired, str(SAMPLE_NOTES.get(statement.position, "")))
    return answers


def sample_comparisons(version: InstrumentVersion) -> list[Comparison]:
    own = Municipality(cbs_code="GM0000", common_name=str(_("Sample town (fictional)")), name="")
    counts = {s.lineage: sample_counts((s.position - 1) % len(SAMPLE_LEVELS) + 1, 0) for s in version.statements.all()}
    return [Comparison(own, 24, None, counts, settings.ZELFSCAN_K, is_own=True, is_sample=True)]


def sample_group(version: InstrumentVersion):
    """A fictional national group of six fictional municipalities of 24 respondents each."""
    from .groups import build_group

    members = [
        {s.lineage: sample_counts((s.position - 1) % len(SAMPLE_LEVELS) + 1, spread) for s in version.statements.all()}
        for spread in range(6)
    ]
    group = build_group(str(_("All municipalities (fictional)")), members, settings.ZELFSCAN_K)
    group.n_municipalities = len(members)
    group.n_responses = 24 * len(members)
    return group
