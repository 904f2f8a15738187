"""Figure a: server time of a personal report page with all comparisons, in-process.

    DATABASE_URL=... .venv/bin/python bench/report_page.py [--requests 50] [--cold 5] [--profile]

The viewer is a counted respondent of the municipality with the most counted respondents; the
report compares with the next two largest (own municipality + 2 chosen: the largest snapshots).
Requests go through Django's test client in this process (the whole middleware stack, URL
resolution, view, template; no HTTP server, no network, no connection set-up: the test client
keeps the database connection open), timed with perf_counter around client.get().

- cold: the three municipalities' snapshots are deleted before each request (outside the timing),
  so reports.aggregates.current_snapshot takes three snapshots in the request (counting over each
  municipality's counted answers);
- steady state: the snapshots exist and no K new responses arrived: served from the snapshots.
Also printed: SQL statements per request (CaptureQueriesContext) and the time split between
building the context (reports.views.report_context) and rendering the template.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    backend_label,
    capture_queries,
    collect_static,
    header,
    ms,
    setup_django,
    summary,
    timed,
    verdict,
)

TARGET_MEDIAN = 0.150


def viewer_and_comparisons():
    from django.db.models import Count, Q

    from assessments.models import Response
    from organisations.models import Municipality

    ranked = list(
        Municipality.objects.annotate(
            n=Count("responses", filter=Q(responses__counted_at__isnull=False, responses__superseded_at__isnull=True))
        ).order_by("-n", "pk")[:3]
    )
    own, *others = ranked
    viewer = Response.objects.counted(include_demo=False).filter(municipality=own).order_by("email").first()
    if viewer is None:
        sys.exit("no counted respondents: run bench/generate.py first")
    viewer.compare_with.set(others)
    return viewer, own, others


def client_for(viewer):
    from django.test import Client

    from conftest import login

    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    login(client, viewer)  # the test client sent the session cookie when it made the session
    return client


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--cold", type=int, default=5, help="cold requests (snapshots taken in the request)")
    parser.add_argument("--verbose", action="store_true", help="print the SQL of a steady-state request")
    parser.add_argument("--profile", action="store_true", help="cProfile 20 steady-state requests")
    args = parser.parse_args()
    setup_django()
    collect_static()
    from django.urls import reverse

    from reports import views
    from reports.models import Snapshot

    build_context = getattr(views, "report_context", None) or views._report_context

    header(f"report page, in-process (Django test client) on {backend_label()}")
    viewer, own, others = viewer_and_comparisons()
    names = ", ".join(f"{m.common_name} (n={counted_n(m)})" for m in [own, *others])
    print(f"   viewer in {own.common_name}; comparisons: {names}")
    client = client_for(viewer)
    url = reverse("reports:report", kwargs={"public_id": viewer.public_id})
    trio = [own, *others]

    def get():
        page = client.get(url)
        assert page.status_code == 200, page.status_code
        return page

    get()  # warm up imports, templates and translations (not counted)
    cold = []
    for _ in range(args.cold):
        Snapshot.objects.filter(municipality__in=trio).delete()
        start = time.perf_counter()
        get()
        cold.append(time.perf_counter() - start)
    Snapshot.objects.filter(municipality__in=trio).delete()
    _page, cold_queries = capture_queries(get)
    print(f"   cold (3 snapshots taken in the request): {summary(cold)}; {len(cold_queries)} SQL statements")

    _page, steady_queries = capture_queries(get)
    steady = timed(get, args.requests)
    median = statistics.median(steady)
    print(f"   steady state (served from snapshots):   {summary(steady)}; {len(steady_queries)} SQL statements")
    size = len(get().content)
    if args.verbose:
        print("   steady-state SQL:\n" + "\n".join(f"     {sql[:200]}" for sql in steady_queries))
    print(f"   page size {size:,} bytes")

    context_times = timed(lambda: build_context(viewer), 20)
    print(f"   of which building the context (report_context, steady): median {ms(statistics.median(context_times))}")

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(20):
            get()
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)

    print(f"   target: steady-state median < {ms(TARGET_MEDIAN)}: {verdict(median < TARGET_MEDIAN)} ({ms(median)})")


def counted_n(municipality):
    from assessments.models import Response

    return Response.objects.counted(include_demo=False).filter(municipality=municipality).count()


if __name__ == "__main__":
    main()
