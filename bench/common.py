"""Shared helpers for the benchmark scripts: Django set-up on a benchmark database, statistics, output."""

import os
import platform
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEV_DB = BASE_DIR / "db.sqlite3"
DEFAULT_URL = "sqlite:////tmp/zelfscan-bench.sqlite3"
# Every benchmark address ends in this domain; the generator and the journey client use it.
BENCH_DOMAIN = "bench.invalid"


def database_url() -> str:
    """DATABASE_URL for the benchmarks: never the development database."""
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if url.startswith("sqlite:"):
        path = Path(url.split("sqlite://", 1)[1] or "/")
        if path.resolve() == DEV_DB.resolve() or path.name == "db.sqlite3":
            sys.exit(f"refusing to benchmark on the development database ({path}); use e.g. {DEFAULT_URL}")
    return url


def setup_django(migrate: bool = True) -> str:
    """Configure Django with bench.settings on the benchmark database and bring its schema up to date
    (the code may have gained migrations since the data set was generated); returns the database URL."""
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    url = database_url()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    if migrate:
        import io

        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0, stdout=io.StringIO())
    from django.conf import settings
    from django.db import connection

    init_command = connection.settings_dict.get("OPTIONS", {}).get("init_command", "")
    if connection.vendor == "sqlite" and "journal_mode" not in init_command:
        # The journal mode is kept in the file: put it back to the default unless the tuned variant
        # runs. Settings that choose a journal mode themselves (the app's, since 51e81ed) are left
        # alone: resetting it here made this process (the in-process figures) run in DELETE mode,
        # unlike the app and gunicorn's workers.
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA journal_mode={'WAL' if settings.SQLITE_TUNED else 'DELETE'}")
    return url


def backend_label() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} ({connection.settings_dict['NAME']}; the app's settings)"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    where = connection.settings_dict
    return f"PostgreSQL {version} ({where['HOST']}:{where['PORT']}/{where['NAME']})"


def header(title: str) -> None:
    print(f"== {title}")
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"   machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"settings {os.environ.get('DJANGO_SETTINGS_MODULE')}; load average before: {load}"
    )


def percentile(values, q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def summary(values) -> str:
    """median, p95, min and max of durations in seconds."""
    return (
        f"median {ms(statistics.median(values))}, p95 {ms(percentile(values, 95))}, "
        f"min {ms(min(values))}, max {ms(max(values))} (n={len(values)})"
    )


def timed(function, repeat: int) -> list[float]:
    durations = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        durations.append(time.perf_counter() - start)
    return durations


def verdict(ok: bool) -> str:
    return "MET" if ok else "NOT MET"


def collect_static() -> None:
    """Production settings serve hashed static names from a manifest: collect them (into /tmp)."""
    import io

    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0, stdout=io.StringIO())


def capture_queries(function):
    """(result, [sql, ...]) of one call. The log is emptied first: Django empties it at the start of
    every request (request_started -> reset_queries), so a capture spans exactly one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as context:
        result = function()
    return result, [query["sql"] for query in context.captured_queries]
