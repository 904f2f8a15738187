"""gunicorn configuration for production: `gunicorn -c gunicorn.conf.py zelfscan.wsgi`.

The access log leaves out query strings, which carry personal-link tokens (/link/?t=...).
"""

import os

bind = os.environ.get("ZELFSCAN_BIND", "127.0.0.1:8000")
# Sync workers, as many as the cores this process may use (at least 2). A request is CPU work in
# Python (SQLite is in the process; PostgreSQL answers a lookup in well under a millisecond), so
# more processes than cores only take turns, and each switch costs CPU (bench/README.md, measured
# on 2 cores with the database on the same machine): 5 workers (gunicorn's usual 2 x cores + 1)
# cost 56-64 ms of CPU per respondent journey against 46-51 ms with 3; with PostgreSQL on the same
# cores, 2 workers against 3 took 36-41 ms against 41-45 ms and completed 36-40 journeys/s against
# 33-35, and SQLite did as well with 2 as with 3. Raise it with ZELFSCAN_WORKERS where requests
# wait longer: a database on another host, or many PDF downloads (one holds a worker for about a
# second).
usable_cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
workers = int(os.environ.get("ZELFSCAN_WORKERS", max(2, usable_cores)))
accesslog = "-"
# %(U)s is the path without the query string; never log %(r)s or %(q)s here.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
forwarded_allow_ips = os.environ.get("ZELFSCAN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Builds only the atoms the format above uses (gunicorn builds every header and environ variable
# of every request for its access log); the line logged is the same.
logger_class = "zelfscan.accesslog.AccessLogger"


def post_worker_init(worker):
    """The application is loaded: move what it loaded (modules, settings, URL patterns, ...) out of
    the cyclic garbage collector's sight, which otherwise walks all of it in every full collection.
    In-process, the collector's CPU per respondent journey went from 3.3 to 1.1 ms (gc.callbacks,
    32 journeys), and the two full collections of 25 ms each that a run made disappeared."""
    import gc

    gc.freeze()
