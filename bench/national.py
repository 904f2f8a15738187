"""Figure b: the national benchmark for all 21 statements, beside the floor (one raw SQL query).

    DATABASE_URL=... .venv/bin/python bench/national.py [--repeat 20] [--explain]

Timed, each the median of --repeat runs in this process (connection open, perf_counter):
1. reports.groups.national_comparison() plus .figure(lineage, scale) for the 21 lineages x 2 scales,
   when reports.groups exists: with the group cache cleared before each run (computed from the
   members' latest snapshots) and warm (served from the cache). It needs every municipality's
   snapshot: those are taken first, and that time is printed as well.
2. reports.aggregates.count_levels(Response.objects.counted()): the level counts over every counted
   response through the ORM (one grouped query with conditional counts), plus the scoring.
3. The floor: the same counts as ONE raw SQL query, in three shapes: A grouped by lineage with
   conditional counts (the ORM's shape), B grouped by lineage, current, desired, both over answers
   joined to counted responses; C grouped by statement, current, desired over the answers of the
   counted responses (IN subquery, no join to the statements; the 21 statement ids are mapped to
   their lineage in Python). The fastest counts as the floor.
Target: < 200 ms and at most 2x the floor.
"""

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import backend_label, header, ms, setup_django, summary, timed, verdict  # noqa: E402

TARGET = 0.200

# Counted responses (ResponseQuerySet.counted, demo mode off), answers joined to them, in plain SQL.
JOINED = """
    FROM assessments_answer a
    JOIN assessments_response r ON r.id = a.response_id
    JOIN instrument_statement s ON s.id = a.statement_id
    WHERE r.counted_at IS NOT NULL AND r.superseded_at IS NULL AND r.is_demo = %s
"""
LEVEL_SUMS = ", ".join(
    f"SUM(CASE WHEN a.{scale} = {level} THEN 1 ELSE 0 END)" for scale in ("current", "desired") for level in range(6)
)
COUNTED_IDS = (
    "SELECT r.id FROM assessments_response r"
    " WHERE r.counted_at IS NOT NULL AND r.superseded_at IS NULL AND r.is_demo = %s"
)
# All are built from the constants above only.
RAW_BY_STATEMENT = (
    "SELECT a.statement_id, a.current, a.desired, COUNT(*) FROM assessments_answer a"  # noqa: S608
    f" WHERE a.response_id IN ({COUNTED_IDS}) GROUP BY a.statement_id, a.current, a.desired"
)
RAW_BY_LINEAGE = f"SELECT s.lineage, {LEVEL_SUMS} {JOINED} GROUP BY s.lineage"  # noqa: S608
RAW_BY_LEVELS = f"SELECT s.lineage, a.current, a.desired, COUNT(*) {JOINED} GROUP BY s.lineage, a.current, a.desired"  # noqa: S608


def raw_by_lineage(cursor):
    cursor.execute(RAW_BY_LINEAGE, [False])
    return {row[0]: {"current": list(row[1:7]), "desired": list(row[7:13])} for row in cursor.fetchall()}


def raw_by_levels(cursor):
    cursor.execute(RAW_BY_LEVELS, [False])
    result = {}
    for lineage, current, desired, n in cursor.fetchall():
        entry = result.setdefault(lineage, {"current": [0] * 6, "desired": [0] * 6})
        if current is not None:
            entry["current"][current] += n
        if desired is not None:
            entry["desired"][desired] += n
    return result


def raw_by_statement(cursor, lineage_of):
    """Grouped by statement (no join to the statements), summed per lineage here: lineage_of maps
    the statement ids to their lineage (known in advance: the instrument is loaded once)."""
    cursor.execute(RAW_BY_STATEMENT, [False])
    result = {}
    for statement_id, current, desired, n in cursor.fetchall():
        entry = result.setdefault(lineage_of[statement_id], {"current": [0] * 6, "desired": [0] * 6})
        if current is not None:
            entry["current"][current] += n
        if desired is not None:
            entry["desired"][desired] += n
    return result


def figures(source, lineages):
    return [source.figure(lineage, scale) for lineage in lineages for scale in ("current", "desired")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    args = parser.parse_args()
    setup_django()
    import time

    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection

    from assessments.models import Response
    from instrument.models import InstrumentVersion
    from organisations.models import Municipality
    from reports import aggregates

    header(f"national benchmark, 21 statements x 2 scales, in-process on {backend_label()}")
    version = InstrumentVersion.objects.current()
    lineages = list(version.statements.order_by("position").values_list("lineage", flat=True))
    k = settings.ZELFSCAN_K
    n_counted = Response.objects.counted().count()
    print(f"   counted responses: {n_counted:,}; K={k}")
    results = {}

    try:
        from reports import groups
    except ImportError:
        groups = None
    if groups is not None and hasattr(groups, "national_comparison"):
        start = time.perf_counter()
        for municipality in Municipality.objects.filter(active=True):
            aggregates.current_snapshot(municipality)
        print(f"   every municipality's snapshot taken or checked: {ms(time.perf_counter() - start)}")

        def national_cold():
            cache.clear()
            return figures(groups.national_comparison(), lineages)

        def national_warm():
            return figures(groups.national_comparison(), lineages)

        national_cold()
        results["national_comparison() cold (cache cleared)"] = timed(national_cold, args.repeat)
        results["national_comparison() warm (cached)"] = timed(national_warm, args.repeat)
        group = groups.national_comparison()
        print(
            f"   national group: {group.n_municipalities} municipalities reaching K, {group.n_responses:,} responses "
            f"(from snapshots); A1 now: {group.figure(lineages[0], 'current')}"
        )
    else:
        print("   reports.groups.national_comparison is not there: timing count_levels only")

    def orm():
        counts = aggregates.count_levels(Response.objects.counted())
        comparison = aggregates.Comparison(None, n_counted, None, counts, k)
        return figures(comparison, lineages)

    with connection.cursor() as cursor:
        orm()
        results["count_levels(Response.objects.counted()) via the ORM"] = timed(orm, args.repeat)
        raw_by_lineage(cursor)
        results["floor A: one raw query, grouped by lineage"] = timed(lambda: raw_by_lineage(cursor), args.repeat)
        raw_by_levels(cursor)
        results["floor B: one raw query, grouped by lineage, now, desired"] = timed(
            lambda: raw_by_levels(cursor), args.repeat
        )
        from instrument.models import Statement

        lineage_of = dict(Statement.objects.values_list("id", "lineage"))
        raw_by_statement(cursor, lineage_of)
        results["floor C: one raw query, grouped by statement, now, desired"] = timed(
            lambda: raw_by_statement(cursor, lineage_of), args.repeat
        )
        # All give the same counts.
        orm_counts = aggregates.count_levels(Response.objects.counted())
        assert orm_counts == raw_by_lineage(cursor) == raw_by_levels(cursor), "counts differ"
        assert orm_counts == raw_by_statement(cursor, lineage_of), "counts differ"
        if args.explain:
            queryset = aggregates.Answer.objects.filter(response__in=Response.objects.counted())
            print("   ORM SQL: " + str(queryset.values("statement__lineage").query)[:300])
            for name, sql in (("floor A", RAW_BY_LINEAGE), ("floor B", RAW_BY_LEVELS), ("floor C", RAW_BY_STATEMENT)):
                prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
                cursor.execute(prefix + sql, [False])
                print(f"   plan of {name}:")
                for row in cursor.fetchall():
                    print("     " + " | ".join(str(col) for col in row))

    width = max(len(name) for name in results)
    for name, durations in results.items():
        print(f"   {name:<{width}}  {summary(durations)}")
    floor = min(statistics.median(durations) for name, durations in results.items() if name.startswith("floor"))
    print(f"   floor (fastest raw query): {ms(floor)}")
    for name, durations in results.items():
        if name.startswith("floor"):
            continue
        median = statistics.median(durations)
        print(
            f"   target for {name}: < 200 ms {verdict(median < TARGET)}, <= 2x floor "
            f"{verdict(median <= 2 * floor)} ({median / floor:.2f}x)"
        )


if __name__ == "__main__":
    main()
