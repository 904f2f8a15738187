"""Respondents for organisation report tests: a named round with colleagues whose levels,
departments, domains and roles are chosen so that every figure can be computed by hand."""

import datetime

from django.utils import timezone

from assessments import services
from assessments.models import Response
from conftest import answer_all, confirm, make_response
from rounds.models import Round

NOTE = "Vertrouwelijke notitie van een collega"

# Twelve colleagues. A1 now: 1,1,1,2,2,4 (Finance) | 4,5,5,5,3 (IT) | 3 (no department).
A1_CURRENT = [1, 1, 1, 2, 2, 4, 4, 5, 5, 5, 3, 3]
# A1 desired: the first two say "I don't know" (0), the others 4.
A1_DESIRED = [0, 0] + [4] * 10
DEPARTMENTS = ["Finance"] * 6 + ["IT"] * 5 + [""]
DOMAINS = ["energy"] * 6 + ["mobility"] * 6


def named_round(municipality, name="Voorjaar", days_open=(1, 10), **extra) -> Round:
    today = timezone.localdate()
    return Round.objects.create(
        municipality=municipality,
        name=name,
        opens_on=today - datetime.timedelta(days=days_open[0]),
        closes_on=today + datetime.timedelta(days=days_open[1]),
        **extra,
    )


def colleague(version, municipality, email, current, desired, *, department="", domain="it", role="policy", note=""):
    """A counted response (submitted, address confirmed) with a department, domain and role."""
    response = make_response(version, municipality, email=email, domain=domain, role=role)
    Response.objects.filter(pk=response.pk).update(department=department)
    answer_all(response, current, desired)
    if note:
        response.answers.filter(statement__position=1).update(note=note)
    confirm(response)
    services.submit(response)
    response.refresh_from_db()
    return response


def levels(a1, a2, other):
    """A function of the statement: A1 -> a1, A2 -> a2, every other statement -> other."""
    return lambda statement: {1: a1, 2: a2}.get(statement.position, other)


def twelve_colleagues(version, municipality, prefix="c"):
    """A1 as above; A2 now 2 and desired 5; every other statement now 3 and desired 4."""
    return [
        colleague(
            version,
            municipality,
            f"{prefix}{i}@{municipality.pk.lower()}.nl",
            levels(A1_CURRENT[i], 2, 3),
            levels(A1_DESIRED[i], 5, 4),
            department=DEPARTMENTS[i],
            domain=DOMAINS[i],
            note=NOTE,
        )
        for i in range(12)
    ]
