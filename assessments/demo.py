"""Fictional, flagged respondents so that comparisons show in development.

Demo rows are marked is_demo=True: they count only while ZELFSCAN_DEMO_MODE is on, which the
production settings refuse. Loading twice adds nothing.
"""

import random

from django.db import transaction
from django.utils import timezone

from instrument.models import InstrumentVersion
from organisations.models import Municipality
from rounds.services import continuous_round

from .choices import Domain, Role
from .models import DONT_KNOW, Answer, Response

# (CBS code, number of demo respondents, typical current level). Vlieland stays below K on purpose.
DEMO_MUNICIPALITIES = [
    ("GM0344", 30, 2.8),  # Utrecht
    ("GM0014", 22, 2.6),  # Groningen
    ("GM0307", 18, 2.3),  # Amersfoort
    ("GM0772", 16, 3.0),  # Eindhoven
    ("GM0193", 12, 2.1),  # Zwolle
    ("GM0518", 9, 2.7),  # Den Haag
    ("GM0096", 3, 1.6),  # Vlieland
]
DEMO_DOMAIN = "@demo.zelfscan.invalid"


def _level(rng: random.Random, centre: float) -> int:
    return max(1, min(5, round(rng.gauss(centre, 0.8))))


@transaction.atomic
def load_demo_data(version: InstrumentVersion, seed: int = 2026) -> int:
    """Create the demo respondents for `version` unless they exist. Returns how many were created."""
    if Response.objects.filter(is_demo=True, instrument_version=version).exists():
        return 0
    rng = random.Random(seed)
    statements = list(version.statements.order_by("position"))
    now = timezone.now()
    domains = [choice for choice, _label in Domain.choices]
    roles = [choice for choice, _label in Role.choices]
    created = 0
    for code, count, centre in DEMO_MUNICIPALITIES:
        municipality = Municipality.objects.filter(pk=code).first()
        if municipality is None:
            continue
        for index in range(count):
            response = Response.objects.create(
                instrument_version=version,
                municipality=municipality,
                round=continuous_round(municipality),
                email=f"demo-{code.lower()}-{index + 1:03d}{DEMO_DOMAIN}",
                name="",
                domain=rng.choice(domains),
                role=rng.choice(roles),
                language="nl",
                is_demo=True,
                email_confirmed_at=now,
                submitted_at=now,
                counted_at=now,
            )
            answers = []
            for statement in statements:
                statement_centre = centre + (
                    0.4 if statement.position % 4 == 0 else -0.3 * (statement.position % 3 == 0)
                )
                current = _level(rng, statement_centre)
                desired = min(5, current + rng.choice([0, 1, 1, 2, 2]))
                if rng.random() < 0.06:
                    current = DONT_KNOW
                if rng.random() < 0.04:
                    desired = DONT_KNOW
                answers.append(Answer(response=response, statement=statement, current=current, desired=desired))
            Answer.objects.bulk_create(answers)
            created += 1
    return created
