"""The raw per-respondent export, for administrators only (privacy-model.md: "never, pseudonymised
raw export only"): one row per answer, with a pseudonym instead of the person, and no name,
e-mail address, department, domain, role or note. Demo data is left out.

The pseudonym is a keyed hash (HMAC with the site's secret key) of the person (counting identity)
and municipality, so one person's responses in several rounds share it, but it cannot be turned
back into an address without the key.
"""

import csv
import hashlib
import hmac
import io

from django.conf import settings

from assessments.models import Answer

from .exports import escape_cell

COLUMNS = [
    "respondent",
    "response",
    "municipality",
    "round",
    "round_kind",
    "round_period",
    "instrument_version",
    "statement",
    "lineage",
    "current",
    "desired",
    "submitted_on",
    "counted",
]


def pseudonym(*parts: str) -> str:
    message = "|".join(parts).encode("utf-8")
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), message, hashlib.sha256).hexdigest()[:16]


def raw_rows(version=None, municipality_code: str | None = None):
    """Rows of submitted, non-demo responses; levels 0 mean "I don't know"."""
    answers = (
        Answer.objects.filter(response__submitted_at__isnull=False, response__is_demo=False)
        .select_related("response__round", "response__instrument_version", "statement")
        .order_by("response_id", "statement__position")
    )
    if version is not None:
        answers = answers.filter(response__instrument_version=version)
    if municipality_code:
        answers = answers.filter(response__municipality_id=municipality_code)
    for answer in answers.iterator(chunk_size=2000):
        response = answer.response
        round_ = response.round
        yield [
            pseudonym("person", response.identity, response.municipality_id),
            pseudonym("response", str(response.public_id)),
            response.municipality_id,
            round_.pk,
            round_.kind,
            round_.period_label(),
            response.instrument_version.version,
            answer.statement.key,
            answer.statement.lineage,
            answer.current,
            answer.desired,
            response.submitted_at.date().isoformat(),
            response.counted_at is not None and response.superseded_at is None,
        ]


def raw_csv(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([escape_cell(value) if isinstance(value, str) else value for value in row])
    return out.getvalue()
