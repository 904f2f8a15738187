"""Figure d: whole respondent journeys per second under gunicorn with production settings.

    DATABASE_URL=... .venv/bin/python bench/journeys.py [--concurrency 1 4 16] [--journeys 40 160 320]
                                                        [--max-seconds 120] [--with-report] [--keep]

Starts gunicorn (gunicorn.conf.py and its sync workers, bench.settings = production settings,
X-Forwarded-Proto: https sent as the TLS proxy does), then runs journeys with N client threads. Each
journey is a new browser session (its own cookies, the CSRF token of each form it submits, Origin and
Sec-Fetch-Site: same-origin on POSTs, no Referer) and is exactly this request sequence:

     1 GET  /                          landing page (sets the csrftoken cookie)
     2 GET  /start/                    registration form
     3 POST /start/                    register (302 -> /start/sent/; the personal link is e-mailed)
     4 GET  /start/sent/               "check your e-mail", with the button to start now
     5 GET  /scan/<id>/theme/1/        the button: theme page 1
     6 POST /scan/<id>/theme/1/        save, action=next: every radio answered, the notes empty (302 -> theme 2)
       ... the same GET + POST for themes 2 to 6 (the last save redirects to the review)
    17 GET  /scan/<id>/review/         review
    18 POST /scan/<id>/review/         submit (302 -> the report)
   [19 GET  /scan/<id>/report/         the report, only with --with-report]

(Until 26 November 2026 the button went to /scan/<id>/, which redirected to theme 1: 19 requests.)

A journey counts as completed when every request answered with the expected status. Printed per
concurrency: journeys/s (completed / wall time), requests/s, the page-save (step 6 and its repeats)
median and p95, every step's median, the client's own CPU (time.process_time of this process, all
threads), the CPU of gunicorn (master + workers) and of PostgreSQL's processes, and a database check:
the responses this run created, submitted, must be exactly the completed journeys. The run's
responses (and their outbox messages) are deleted afterwards unless --keep.
Bounded: at most --journeys per level and --max-seconds per level, loopback only.
"""

import argparse
import itertools
import os
import random
import resource
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.browser import Browser, HTTPError, csrf_token, form_fields, location_path  # noqa: E402
from bench.common import (  # noqa: E402
    BENCH_DOMAIN,
    backend_label,
    collect_static,
    header,
    ms,
    percentile,
    setup_django,
    verdict,
)
from bench.server import Gunicorn, machine_cpu_seconds, postgres_cpu_seconds  # noqa: E402

# The "start now" button of the "check your e-mail" page.
START = __import__("re").compile(r"href=\"(/scan/[0-9a-f-]{36}/theme/1/)\"")
THEMES = 6


class JourneyFailed(Exception):
    pass


def expect(response, status, step):
    if response.status != status:
        snippet = response.text[:200].replace("\n", " ")
        raise JourneyFailed(f"{step}: HTTP {response.status}, expected {status}: {snippet}")
    return response


def theme_post_fields(page: str, rng: random.Random, centre: float) -> list[tuple[str, str]]:
    """What a browser posts for a filled-in theme form: controls in document order, one value per radio
    group, empty notes, and the pressed button (action=next)."""
    fields, seen = [], set()
    for tag, kind, name, value in form_fields(page):
        if kind == "hidden":
            fields.append((name, value))
        elif kind == "radio" and name not in seen:
            seen.add(name)
            level = 0 if rng.random() < 0.04 else max(1, min(5, round(rng.gauss(centre, 0.9))))
            if name.endswith("-desired") and level:
                level = min(5, level + rng.choice((0, 1, 1, 2)))
            fields.append((name, str(level)))
        elif tag == "textarea":
            fields.append((name, ""))
        elif tag == "button" and name == "action" and value == "next":
            fields.append((name, value))
    return fields


def journey(port, email, municipality_name, seed, with_report, log):
    """One respondent, start to submit. Appends (step, seconds) to log; returns the request sequence."""
    rng = random.Random(seed)
    browser = Browser(port)
    try:
        return _journey(browser, rng, email, municipality_name, with_report, log)
    finally:
        browser.connection.close()


def _journey(browser, rng, email, municipality_name, with_report, log):
    sequence = []

    def get(path, status, step):
        response = expect(browser.get(path), status, step)
        log.append((step, response.elapsed))
        sequence.append(f"GET  {path} -> {response.status}")
        return response

    def post(path, fields, status, step):
        response = expect(browser.post(path, fields), status, step)
        log.append((step, response.elapsed))
        sequence.append(f"POST {path} -> {response.status}")
        return response

    get("/", 200, "landing GET")
    page = get("/start/", 200, "registration GET")
    registered = post(
        "/start/",
        [
            ("csrfmiddlewaretoken", csrf_token(page.text)),
            ("email", email),
            ("name", ""),
            ("municipality", municipality_name),
            ("domain", rng.choice(["it", "data", "mobility", "social", "strategy", "energy"])),
            ("role", rng.choice(["policy", "management", "advisory", "programme"])),
            ("language", "nl"),
        ],
        302,
        "registration POST",
    )
    sent = get(location_path(registered), 200, "registered GET")
    start = START.search(sent.text)
    if not start:
        raise JourneyFailed("no start link on the registered page")
    path = start.group(1)
    centre = rng.uniform(1.8, 3.6)
    for _number in range(THEMES):
        page = get(path, 200, "theme GET")
        saved = post(path, theme_post_fields(page.text, rng, centre), 302, "theme save POST")
        path = location_path(saved)
    if not path.endswith("/review/"):
        raise JourneyFailed(f"after the last theme: {path}, expected the review")
    review = get(path, 200, "review GET")
    submitted = post(path, [("csrfmiddlewaretoken", csrf_token(review.text))], 302, "submit POST")
    if with_report:
        get(location_path(submitted), 200, "report GET")
    return sequence


def run_level(server, concurrency, total, max_seconds, prefix, names, weights, with_report, seed):
    counter = itertools.count()
    lock = threading.Lock()
    logs, errors, completed, started = [], [], [0], [0]
    sequences = []
    deadline = time.monotonic() + max_seconds
    picker = random.Random(seed)
    chosen = picker.choices(names, weights=weights, k=total)

    def worker():
        log = []
        while True:
            index = next(counter)
            if index >= total or time.monotonic() > deadline:
                break
            with lock:
                started[0] += 1
            email = f"{prefix}-{index:05d}@journey.{BENCH_DOMAIN}"
            try:
                sequence = journey(server.port, email, chosen[index], seed * 100_003 + index, with_report, log)
            except (JourneyFailed, HTTPError, OSError, ValueError) as exc:
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
                continue
            with lock:
                completed[0] += 1
                if not sequences:
                    sequences.append(sequence)
        with lock:
            logs.extend(log)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    cpu0, usage0 = time.process_time(), resource.getrusage(resource.RUSAGE_SELF)
    server_cpu0, pg_cpu0 = server.cpu_seconds(), postgres_cpu_seconds()
    machine0 = machine_cpu_seconds()
    wall0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "concurrency": concurrency,
        "started": started[0],
        "completed": completed[0],
        "errors": errors,
        "wall": wall,
        "logs": logs,
        "client_cpu": cpu,
        "client_user": usage.ru_utime - usage0.ru_utime,
        "client_sys": usage.ru_stime - usage0.ru_stime,
        "server_cpu": server.cpu_seconds() - server_cpu0,
        "machine": [after - before for after, before in zip(machine_cpu_seconds(), machine0, strict=True)],
        "pg_cpu": postgres_cpu_seconds() - pg_cpu0,
        "sequence": sequences[0] if sequences else [],
        "prefix": prefix,
    }


def report_level(result, vendor):
    c, done, wall = result["concurrency"], result["completed"], result["wall"]
    by_step = defaultdict(list)
    for step, seconds in result["logs"]:
        by_step[step].append(seconds)
    saves = by_step.get("theme save POST", [])
    rate = done / wall if wall else 0.0
    print(
        f"   concurrency {c:>2}: {done} journeys completed of {result['started']} started in {wall:.1f} s = "
        f"{rate:.2f} journeys/s, {len(result['logs']) / wall:.0f} requests/s; failed: {len(result['errors'])}"
    )
    if saves:
        print(
            f"      page save: median {ms(statistics.median(saves))}, p95 {ms(percentile(saves, 95))} "
            f"(n={len(saves)}); all requests: median {ms(statistics.median(s for _, s in result['logs']))}, "
            f"p95 {ms(percentile([s for _, s in result['logs']], 95))}"
        )
    print(
        "      per step (median): "
        + ", ".join(f"{step} {ms(statistics.median(values))}" for step, values in by_step.items())
    )
    per = f" = {result['client_cpu'] / done * 1000:.1f} ms per journey" if done else ""
    print(
        f"      client CPU: {result['client_cpu']:.2f} s (user {result['client_user']:.2f}, sys "
        f"{result['client_sys']:.2f}) = {100 * result['client_cpu'] / wall:.0f}% of one core{per}"
    )
    if done:
        per_journey = result["server_cpu"] / done * 1000
        line = f"      gunicorn CPU: {result['server_cpu']:.1f} s = {per_journey:.0f} ms per journey"
        if vendor == "postgresql":
            line += f"; PostgreSQL CPU: {result['pg_cpu']:.1f} s = {result['pg_cpu'] / done * 1000:.0f} ms per journey"
        print(line)
    busy, total = result["machine"]
    ours = result["server_cpu"] + result["client_cpu"] + (result["pg_cpu"] if vendor == "postgresql" else 0)
    print(
        f"      machine: {100 * busy / total:.0f}% of its {os.cpu_count()} cores busy; other processes used "
        f"{max(0.0, busy - ours):.1f} s of CPU ({100 * max(0.0, busy - ours) / total:.0f}% of the machine)"
    )
    for error in result["errors"][:3]:
        print(f"      error: {error[:240]}")
    return rate, saves


def check_database(results):
    """The responses each level created: registered = started, submitted = completed."""
    from assessments.models import Answer, Response

    ok = True
    for result in results:
        rows = Response.objects.filter(email__startswith=result["prefix"] + "-")
        created, submitted = rows.count(), rows.filter(submitted_at__isnull=False).count()
        answers = Answer.objects.filter(response__in=rows.filter(submitted_at__isnull=False)).count()
        match = submitted == result["completed"]
        ok &= match
        label = "warm-up" if result["prefix"].endswith("w") else f"concurrency {result['concurrency']:>2}"
        verdict_text = "exactly the same" if match else "MISMATCH"
        if submitted > result["completed"]:
            verdict_text += " (submitted in the database, but the client got an error page: see the gunicorn log)"
        print(
            f"   database check, {label}: {created} responses registered, {submitted} submitted "
            f"({answers} answer rows); client completed {result['completed']}: {verdict_text}"
        )
    return ok


def cleanup(run_prefix):
    from django.db import transaction

    from assessments.models import Response
    from mailing.models import OutboxMessage

    with transaction.atomic():
        deleted = Response.objects.filter(email__startswith=run_prefix).delete()[0]
        OutboxMessage.objects.filter(to__startswith=run_prefix).delete()
    print(f"   removed this run's rows ({deleted} incl. answers and tokens) and its outbox messages")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--journeys", type=int, nargs="+", default=[40, 160, 320], help="per level (bound)")
    parser.add_argument("--max-seconds", type=float, default=120, help="per level (bound)")
    parser.add_argument("--warmup", type=int, default=10, help="journeys before measuring (not counted)")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: as gunicorn.conf.py)")
    parser.add_argument("--with-report", action="store_true", help="follow the submit redirect to the report")
    parser.add_argument("--keep", action="store_true", help="keep the run's responses")
    parser.add_argument("--conn-max-age", type=int, default=None, help="ZELFSCAN_DB_CONN_MAX_AGE for gunicorn")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    totals = args.journeys + [args.journeys[-1]] * (len(args.concurrency) - len(args.journeys))

    setup_django()
    collect_static()
    from django.db import connection

    from organisations.models import Municipality

    extra = {}
    if args.conn_max_age is not None:
        extra["ZELFSCAN_DB_CONN_MAX_AGE"] = str(args.conn_max_age)
    header(f"respondent journeys over HTTP, gunicorn + production settings, on {backend_label()}")
    municipalities = list(Municipality.objects.filter(active=True).values_list("common_name", "population"))
    names = [name for name, _ in municipalities]
    weights = [population for _, population in municipalities]
    run_id = time.strftime("j%H%M%S")
    results = []
    with Gunicorn(workers=args.workers, extra_env=extra) as server:
        print(
            f"   gunicorn: {server.workers} sync workers on 127.0.0.1:{server.port}; X-Forwarded-Proto: https sent "
            f"(the TLS proxy's header; SSL redirect stays on); DB connections: CONN_MAX_AGE="
            f"{extra.get('ZELFSCAN_DB_CONN_MAX_AGE', 'default of the settings (60 s)')}; "
            f"report GET {'included' if args.with_report else 'not included'}"
        )
        warm = run_level(
            server, server.workers, args.warmup, 60, f"{run_id}w", names, weights, args.with_report, args.seed
        )
        print(f"   warm-up: {warm['completed']} journeys at concurrency {server.workers} (not counted)")
        for errors in warm["errors"][:3]:
            print(f"      warm-up error: {errors[:240]}")
        results.append(warm)
        rates, saves_at = {}, {}
        for concurrency, total in zip(args.concurrency, totals, strict=False):
            result = run_level(
                server,
                concurrency,
                total,
                args.max_seconds,
                f"{run_id}c{concurrency}",
                names,
                weights,
                args.with_report,
                args.seed + concurrency,
            )
            results.append(result)
            rates[concurrency], saves_at[concurrency] = report_level(result, connection.vendor)
    sequence = next((r["sequence"] for r in results if r["sequence"]), [])
    print(f"   request sequence of one journey ({len(sequence)} requests):")
    for number, line in enumerate(sequence, 1):
        print(f"     {number:>2} {line}")
    ok = check_database(results)
    if not args.keep:
        cleanup(run_id)
    best = max((rates.get(c, 0.0) for c in (4, 16)), default=0.0)
    print(f"   target >= 35 journeys/s at the best of 4 and 16: {verdict(best >= 35)} ({best:.2f}/s)")
    if 1 in rates:
        print(f"   target >= 10 journeys/s at concurrency 1: {verdict(rates[1] >= 10)} ({rates[1]:.2f}/s)")
    if saves_at.get(16):
        p95 = percentile(saves_at[16], 95)
        print(f"   target page-save p95 < 50 ms at concurrency 16: {verdict(p95 < 0.050)} ({ms(p95)})")
    print(f"   database holds exactly the completed journeys: {verdict(ok)}")


if __name__ == "__main__":
    main()
