"""Generate a realistic national data set for the benchmarks (deterministic, seeded).

    DATABASE_URL=sqlite:////tmp/zelfscan-bench.sqlite3 .venv/bin/python bench/generate.py
    DATABASE_URL=postgres://zelfscan:zelfscan@127.0.0.1:55432/zelfscan_bench .venv/bin/python bench/generate.py

What it makes (defaults):
- all municipalities of the register (manage.py load_municipalities) and the instrument (load_instrument);
- 50,000 COUNTED respondents (submitted, confirmed, counted_at set, not demo, one per address and
  municipality), each with all 21 statements answered on both scales: 1,050,000 answer rows;
  spread over the municipalities in proportion to population^1.1 times log-normal noise; about half
  of the municipalities under 20,000 inhabitants take part only with 0-4 respondents;
- 500 earlier submissions of some of those addresses, superseded by the later one (they do not count);
- 4,000 unfinished responses (not submitted, part of the statements answered, 60% confirmed).
Levels: a maturity per municipality (larger ones a little higher) + a difficulty per statement +
a respondent offset + noise; desired = now + 0..3; 3.5% "don't know" now, 4.5% desired.

Every address ends in @<cbs code>.bench.invalid. Rows are written with bulk_create in batches.
If the database already holds benchmark respondents, nothing is written (use --force to empty the
benchmark database first: it is flushed, so never point this at a database you want to keep; the
development database db.sqlite3 is refused).
"""

import argparse
import math
import os
import random
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH_DOMAIN, backend_label, setup_django  # noqa: E402

BATCH = 5000


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--counted", type=int, default=50_000, help="counted respondents (default 50,000)")
    parser.add_argument("--unfinished", type=int, default=4_000, help="unfinished responses (default 4,000)")
    parser.add_argument("--superseded", type=int, default=500, help="earlier, superseded submissions (default 500)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--force", action="store_true", help="flush the benchmark database and generate anew")
    return parser.parse_args()


def clip(value, low, high):
    return low if value < low else high if value > high else value


def respondents_per_municipality(rng, municipalities, total):
    """{cbs_code: n}: skewed by population^1.1 with noise; many small municipalities at 0-4."""
    fixed, weights = {}, {}
    for m in municipalities:
        pop = m.population
        takes_part = rng.random() < (0.45 if pop < 20_000 else 0.8 if pop < 50_000 else 0.97)
        if takes_part:
            weights[m.pk] = pop**1.1 * rng.lognormvariate(0, 0.6)
        else:
            fixed[m.pk] = rng.randint(0, 4)
    rest = total - sum(fixed.values())
    scale = rest / sum(weights.values())
    counts = {code: int(w * scale) for code, w in weights.items()}
    # Hand out what rounding down left, largest remainders first.
    remainders = sorted(weights, key=lambda code: weights[code] * scale - counts[code], reverse=True)
    for code in remainders[: rest - sum(counts.values())]:
        counts[code] += 1
    counts.update(fixed)
    return counts


def maturity(rng, population):
    return clip(rng.gauss(2.3 + 0.35 * math.log10(population / 40_000), 0.35), 1.2, 4.0)


def levels(rng, centre):
    current = int(clip(round(centre + rng.gauss(0, 0.6)), 1, 5))
    desired = int(clip(current + rng.choice((0, 1, 1, 1, 2, 2, 3)), 1, 5))
    if rng.random() < 0.035:
        current = 0
    if rng.random() < 0.045:
        desired = 0
    return current, desired


def main():
    args = parse_args()
    started = time.perf_counter()
    url = setup_django()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from assessments.choices import Domain, Role
    from assessments.models import Answer, Response
    from instrument.models import InstrumentVersion
    from organisations.models import Municipality

    print(f"== bench/generate.py on {backend_label()}")
    with open(os.devnull, "w") as quiet:
        call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
        if args.force:
            call_command("flush", interactive=False, verbosity=0, stdout=quiet)
        call_command("load_municipalities", stdout=quiet)
        call_command("load_instrument", stdout=quiet)

    existing = Response.objects.filter(email__endswith=f".{BENCH_DOMAIN}").count()
    if existing:
        print(f"   the database already holds {existing:,} benchmark responses: nothing written (--force to redo)")
        print_counts(Response, Answer)
        return

    rng = random.Random(args.seed)
    version = InstrumentVersion.objects.current()
    statements = list(version.statements.order_by("position"))
    difficulty = {s.id: rng.gauss(0, 0.4) for s in statements}
    municipalities = list(Municipality.objects.filter(active=True).order_by("pk"))
    per_municipality = respondents_per_municipality(rng, municipalities, args.counted)
    domains = [value for value, _label in Domain.choices]
    roles = [value for value, _label in Role.choices]
    now = timezone.now()

    # Fields that Response.save() derives (bulk_create skips save()), where the model has them.
    field_names = {field.name for field in Response._meta.get_fields()}
    derived = {}
    if "identity" in field_names:
        from zelfscan.privacy import counting_identity

        derived["identity"] = counting_identity

    def new_response(municipality, email, **extra):
        extra.update({name: derive(email) for name, derive in derived.items()})
        if "round" in field_names:  # every response belongs to a round (the continuous one here)
            from rounds.services import continuous_round

            extra["round"] = continuous_round(municipality)
        return Response(
            public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
            instrument_version=version,
            municipality=municipality,
            email=email,
            domain=rng.choice(domains),
            role=rng.choice(roles),
            language="nl" if rng.random() < 0.9 else "en",
            **extra,
        )

    # Plan: (response, centre, statements to answer, answer desired too?)
    planned = []
    counted_addresses = []
    for municipality in municipalities:
        centre = maturity(rng, municipality.population)
        for index in range(per_municipality[municipality.pk]):
            submitted = now - timedelta(days=rng.uniform(1, 300))
            email = f"r{index + 1:05d}@{municipality.pk.lower()}.{BENCH_DOMAIN}"
            response = new_response(
                municipality,
                email,
                email_confirmed_at=submitted - timedelta(minutes=rng.uniform(1, 600)),
                submitted_at=submitted,
                counted_at=submitted,
            )
            planned.append((response, centre + rng.gauss(0, 0.45), len(statements), True))
            counted_addresses.append((response, centre))
    for response, centre in rng.sample(counted_addresses, min(args.superseded, len(counted_addresses))):
        earlier = response.submitted_at - timedelta(days=rng.uniform(1, 60))
        older = new_response(
            response.municipality,
            response.email,
            email_confirmed_at=earlier - timedelta(minutes=5),
            submitted_at=earlier,
            counted_at=earlier,
            superseded_at=response.submitted_at,
        )
        planned.append((older, centre + rng.gauss(0, 0.45), len(statements), True))
    weights = [m.population for m in municipalities]
    for index, municipality in enumerate(rng.choices(municipalities, weights=weights, k=args.unfinished)):
        confirmed = now - timedelta(days=rng.uniform(0, 120)) if rng.random() < 0.6 else None
        response = new_response(
            municipality, f"u{index + 1:05d}@{municipality.pk.lower()}.{BENCH_DOMAIN}", email_confirmed_at=confirmed
        )
        planned.append((response, maturity(rng, municipality.population), rng.randint(0, 20), rng.random() < 0.7))
    planned_at = time.perf_counter()

    answers_written = 0
    with transaction.atomic():
        for start in range(0, len(planned), BATCH):
            chunk = planned[start : start + BATCH]
            Response.objects.bulk_create([row[0] for row in chunk], batch_size=BATCH)
            answers = []
            for response, centre, answered, with_desired in chunk:
                for statement in statements[:answered]:
                    current, desired = levels(rng, centre + difficulty[statement.id])
                    answers.append(
                        Answer(
                            response_id=response.pk,
                            statement_id=statement.id,
                            current=current,
                            desired=desired if with_desired else None,
                        )
                    )
            Answer.objects.bulk_create(answers, batch_size=BATCH)
            answers_written += len(answers)
    written_at = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum does shortly after a bulk load
    done = time.perf_counter()

    print(f"   database: {url.split('@')[-1]}")
    print(
        f"   planned {len(planned):,} responses in {planned_at - started:.1f} s (migrate, register, instrument, plan)"
    )
    print(f"   wrote {len(planned):,} responses and {answers_written:,} answer rows in {written_at - planned_at:.1f} s")
    if connection.vendor == "postgresql":
        print(f"   ANALYZE in {done - written_at:.1f} s")
    print_counts(Response, Answer)
    sizes = sorted(per_municipality.values())
    bands = [(0, 0), (1, 4), (5, 19), (20, 99), (100, 499), (500, 999), (1000, 10**9)]
    histogram = ", ".join(
        f"{low}-{high if high < 10**9 else '...'}: {sum(1 for n in sizes if low <= n <= high)}" for low, high in bands
    )
    print(f"   municipalities by counted respondents: {histogram}")
    largest = sorted(municipalities, key=lambda m: per_municipality[m.pk], reverse=True)[:5]
    print("   largest: " + ", ".join(f"{m.common_name} {per_municipality[m.pk]:,}" for m in largest))
    print(f"   total time {done - started:.1f} s")


def print_counts(Response, Answer):
    counted = Response.objects.counted(include_demo=False)
    print(
        f"   counted respondents: {counted.count():,}; their answer rows: "
        f"{Answer.objects.filter(response__in=counted).count():,}; all answer rows: {Answer.objects.count():,}"
    )
    print(
        f"   superseded submissions: {Response.objects.filter(superseded_at__isnull=False).count():,}; "
        f"unfinished (not submitted): {Response.objects.filter(submitted_at__isnull=True).count():,}; "
        f"municipalities with any response: {Response.objects.values('municipality').distinct().count()}"
    )


if __name__ == "__main__":
    main()
