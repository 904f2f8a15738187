"""Figure c: page-save throughput under gunicorn with production settings, as a ratio to a bare view.

    DATABASE_URL=... .venv/bin/python bench/http_save.py [--concurrency 8] [--requests 1500] [--max-seconds 30]

One gunicorn (gunicorn.conf.py and its sync workers, bench.settings = production settings plus
/bench/bare/) serves both:
- page save: POST /scan/<id>/theme/1/ (CSRF token from the form, session and csrftoken cookies, Origin
  and Sec-Fetch-Site: same-origin, X-Forwarded-Proto: https as the TLS proxy sends), every radio of the
  theme answered, the notes empty, action=next; 302 to theme 2. Each client thread has its own
  registered respondent, and the levels change from one post to the next, so every save writes rows
  (4 answers updated and the response touched), as a respondent changing their answers does;
- bare view: POST /bench/bare/ with the same body, cookies and headers: the same middleware (security,
  WhiteNoise, sessions, language, common, fetch metadata, CSRF, auth, messages, clickjacking), no
  database, no template; 302.
Phases alternate (bare, save, bare, save) and each is bounded by --requests and --max-seconds; the
throughput of each kind is its successful requests over the time of its phases. Target: save/bare >= 0.5.
"""

import argparse
import itertools
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.browser import Browser, csrf_token, location_path  # noqa: E402
from bench.common import BENCH_DOMAIN, backend_label, collect_static, header, ms, percentile, setup_django, verdict  # noqa: E402
from bench.journeys import START, theme_post_fields  # noqa: E402
from bench.server import Gunicorn, postgres_cpu_seconds  # noqa: E402


def registered_browser(port, email):
    """A respondent that registered and opened theme 1: (browser, theme path, the form's fields)."""
    import random

    browser = Browser(port)
    browser.get("/")
    page = browser.get("/start/")
    registered = browser.post(
        "/start/",
        [
            ("csrfmiddlewaretoken", csrf_token(page.text)),
            ("email", email),
            ("name", ""),
            ("municipality", "Utrecht"),
            ("domain", "it"),
            ("role", "policy"),
            ("language", "nl"),
        ],
    )
    sent = browser.get(location_path(registered))
    path = START.search(sent.text).group(1)
    page = browser.get(path)
    fields = theme_post_fields(page.text, random.Random(email), 3.0)
    return browser, path, fields


def varied(fields, round_number):
    """The same form with other levels: every save changes what is stored."""
    out = []
    for name, value in fields:
        if name.endswith("-current") or name.endswith("-desired"):
            value = str((int(value) + round_number) % 5 + 1)
        out.append((name, value))
    return out


def phase(sessions, kind, total, max_seconds):
    counter = itertools.count()
    deadline = time.monotonic() + max_seconds
    latencies, failures = [], []
    lock = threading.Lock()

    def worker(browser, path, fields):
        own_latencies, own_failures = [], []
        for round_number in itertools.count():
            if next(counter) >= total or time.monotonic() > deadline:
                break
            if kind == "save":
                response = browser.post(path, varied(fields, round_number))
            else:
                response = browser.post("/bench/bare/", fields)
            if response.status == 302:
                own_latencies.append(response.elapsed)
            else:
                own_failures.append(response.status)
        with lock:
            latencies.extend(own_latencies)
            failures.extend(own_failures)

    threads = [threading.Thread(target=worker, args=session) for session in sessions]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--requests", type=int, default=1500, help="per phase (bound)")
    parser.add_argument("--max-seconds", type=float, default=30, help="per phase (bound)")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--conn-max-age", type=int, default=None, help="ZELFSCAN_DB_CONN_MAX_AGE for gunicorn")
    args = parser.parse_args()
    setup_django()
    collect_static()
    from django.db import connection

    from assessments.models import Response
    from mailing.models import OutboxMessage

    extra = {}
    if args.conn_max_age is not None:
        extra["ZELFSCAN_DB_CONN_MAX_AGE"] = str(args.conn_max_age)
    header(f"page save vs bare view over HTTP, gunicorn + production settings, on {backend_label()}")
    prefix = time.strftime("s%H%M%S")
    results = {"bare": [[], [], 0.0], "save": [[], [], 0.0]}
    cpu = {"bare": 0.0, "save": 0.0}
    with Gunicorn(workers=args.workers, extra_env=extra) as server:
        print(
            f"   gunicorn: {server.workers} sync workers; client: {args.concurrency} threads, raw sockets, one "
            f"connection per request; X-Forwarded-Proto: https sent (SSL redirect on); CONN_MAX_AGE="
            f"{extra.get('ZELFSCAN_DB_CONN_MAX_AGE', 'default of the settings (60 s)')}"
        )
        sessions = [
            registered_browser(server.port, f"{prefix}-{n:03d}@journey.{BENCH_DOMAIN}") for n in range(args.concurrency)
        ]
        phase(sessions, "bare", 200, 10)  # warm every worker
        phase(sessions, "save", 200, 10)
        cpu0, server0, pg0 = time.process_time(), server.cpu_seconds(), postgres_cpu_seconds()
        for kind in ("bare", "save", "bare", "save"):
            before = server.cpu_seconds()
            latencies, failures, wall = phase(sessions, kind, args.requests // 2, args.max_seconds / 2)
            cpu[kind] += server.cpu_seconds() - before
            results[kind][0] += latencies
            results[kind][1] += failures
            results[kind][2] += wall
        client_cpu = time.process_time() - cpu0
        server_cpu, pg_cpu = server.cpu_seconds() - server0, postgres_cpu_seconds() - pg0
    rates = {}
    for kind, (latencies, failures, wall) in results.items():
        rates[kind] = len(latencies) / wall
        failed = f"; failed {len(failures)} (HTTP {sorted(set(failures))})" if failures else ""
        print(
            f"   {kind:>4}: {len(latencies)} requests in {wall:.1f} s = {rates[kind]:.0f}/s; latency median "
            f"{ms(statistics.median(latencies))}, p95 {ms(percentile(latencies, 95))}; gunicorn CPU "
            f"{ms(cpu[kind] / max(1, len(latencies) + len(failures)))} per request{failed}"
        )
    total_wall = results["bare"][2] + results["save"][2]
    share = 100 * client_cpu / total_wall
    line = f"   CPU over both: client {client_cpu:.1f} s ({share:.0f}% of a core), gunicorn {server_cpu:.1f} s"
    if connection.vendor == "postgresql":
        line += f", PostgreSQL {pg_cpu:.1f} s"
    print(line)
    ratio = rates["save"] / rates["bare"]
    print(f"   page-save throughput / bare-view throughput = {ratio:.2f}; target >= 0.5: {verdict(ratio >= 0.5)}")
    Response.objects.filter(email__startswith=prefix).delete()
    OutboxMessage.objects.filter(to__startswith=prefix).delete()


if __name__ == "__main__":
    main()
