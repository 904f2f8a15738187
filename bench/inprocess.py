"""Figure e (and the profile behind d): the journey's requests in-process, with SQL statements per request.

    DATABASE_URL=... .venv/bin/python bench/inprocess.py [--journeys 20] [--profile] [--sql]

Runs the same request sequence as bench/journeys.py through Django's test client in this process
(production settings, CSRF checks enforced, X-Forwarded-Proto: https, Origin and Sec-Fetch-Site on
POSTs), then the report page of a counted respondent with own municipality + 2 comparisons. Prints
per step the server time (median over --journeys) and the SQL statements of one request
(CaptureQueriesContext). --profile: cProfile over all journeys, top functions by own and cumulative
time. --sql: print the statements of the landing page, registration, a page save, submit and the report.
"""

import argparse
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.browser import csrf_token  # noqa: E402
from bench.common import BENCH_DOMAIN, backend_label, capture_queries, collect_static, header, ms, setup_django  # noqa: E402
from bench.journeys import START, THEMES, theme_post_fields  # noqa: E402

FORM = "application/x-www-form-urlencoded"
HEADERS = {"HTTP_HOST": "127.0.0.1", "HTTP_X_FORWARDED_PROTO": "https"}
POST_HEADERS = {"HTTP_ORIGIN": "https://127.0.0.1", "HTTP_SEC_FETCH_SITE": "same-origin"}


class Step:
    def __init__(self):
        self.times = defaultdict(list)
        self.queries = {}
        self.sql = {}

    def __call__(self, name, function, status):
        queries = None
        if name not in self.queries:
            response, queries = capture_queries(function)
            self.queries[name] = len(queries)
            self.sql[name] = queries
        else:
            start = time.perf_counter()
            response = function()
            self.times[name].append(time.perf_counter() - start)
        if response.status_code != status:
            raise RuntimeError(f"{name}: HTTP {response.status_code}, expected {status}")
        return response


_CLIENT = []


def new_browser():
    """A fresh browser session (no cookies). One test client is reused: a new Client builds a new
    handler, which loads the middleware again (WhiteNoise then scans every static file), which
    gunicorn does once per worker, not per request."""
    from http.cookies import SimpleCookie

    from django.test import Client

    if not _CLIENT:
        _CLIENT.append(Client(enforce_csrf_checks=True, **HEADERS))
    client = _CLIENT[0]
    client.cookies = SimpleCookie()
    return client


def journey(step, email, municipality, seed):
    rng = random.Random(seed)
    client = new_browser()

    def get(name, path, status):
        return step(name, lambda: client.get(path), status)

    def post(name, path, data, status):
        # urlencoded, as a browser posts these forms (the test client's default would be multipart)
        body = urlencode(list(data.items()) if isinstance(data, dict) else data)
        return step(name, lambda: client.post(path, body, content_type=FORM, **POST_HEADERS), status)

    get("landing GET", "/", 200)
    page = get("registration GET", "/start/", 200)
    data = {
        "csrfmiddlewaretoken": csrf_token(page.content.decode()),
        "email": email,
        "name": "",
        "municipality": municipality,
        "domain": "it",
        "role": "policy",
        "language": "nl",
    }
    registered = post("registration POST", "/start/", data, 302)
    sent = get("registered GET", registered["Location"], 200)
    path = START.search(sent.content.decode()).group(1)
    centre = rng.uniform(1.8, 3.6)
    for _number in range(THEMES):
        page = get("theme GET", path, 200)
        fields = theme_post_fields(page.content.decode(), rng, centre)
        path = post("theme save POST", path, fields, 302)["Location"]
    review = get("review GET", path, 200)
    submitted = post("submit POST", path, {"csrfmiddlewaretoken": csrf_token(review.content.decode())}, 302)
    return client, submitted["Location"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--journeys", type=int, default=20)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--sql",
        action="store_true",
        help="print the SQL of the landing page, registration, a page save, submit and the report page",
    )
    args = parser.parse_args()
    setup_django()
    collect_static()
    from assessments.models import Response
    from bench.report_page import client_for, viewer_and_comparisons
    from mailing.models import OutboxMessage
    from organisations.models import Municipality

    header(f"journey requests in-process (Django test client, CSRF enforced) on {backend_label()}")
    names = list(Municipality.objects.filter(active=True).order_by("pk").values_list("common_name", flat=True))
    prefix = time.strftime("i%H%M%S")
    step = Step()
    journey(step, f"{prefix}-warm@journey.{BENCH_DOMAIN}", names[0], 0)  # warm-up (and the SQL counts)

    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    for index in range(args.journeys):
        journey(step, f"{prefix}-{index:04d}@journey.{BENCH_DOMAIN}", names[index % len(names)], index)
    elapsed = time.perf_counter() - start
    if profiler:
        profiler.disable()

    viewer, own, others = viewer_and_comparisons()
    report_client = client_for(viewer)
    report_url = f"/scan/{viewer.public_id}/report/"
    report_client.get(report_url, **HEADERS)  # the snapshots exist after this
    for _ in range(args.journeys):
        step("report GET (own + 2, steady)", lambda: report_client.get(report_url, **HEADERS), 200)

    print(f"   {args.journeys} journeys in {elapsed:.2f} s = {args.journeys / elapsed:.1f} journeys/s in one process")
    print(f"   {'step':<32} {'server time (median)':>21} {'SQL statements':>15}")
    total_queries = 0
    for name, times in step.times.items():
        repeats = THEMES if name.startswith("theme") else 1
        if not name.startswith("report"):
            total_queries += step.queries[name] * repeats
        print(f"   {name:<32} {ms(statistics.median(times)):>21} {step.queries[name]:>15}")
    print(f"   SQL statements per journey (18 requests, without the report): {total_queries}")
    if args.sql:
        for name in (
            "landing GET",
            "registration POST",
            "theme save POST",
            "submit POST",
            "report GET (own + 2, steady)",
        ):
            print(f"   SQL of one {name}:")
            for sql in step.sql[name]:
                print(f"     {sql[:220]}")

    rows = Response.objects.filter(email__startswith=prefix)
    rows.delete()
    OutboxMessage.objects.filter(to__startswith=prefix).delete()
    if profiler:
        import pstats

        print("   cProfile of the journeys, by own time:")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(30)
        print("   cProfile of the journeys, by cumulative time:")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
