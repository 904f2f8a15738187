"""Settings for the benchmarks: the production settings, unchanged, plus one bench-only URL.

`zelfscan.settings.production` is imported as it is (DEBUG off, secure cookies, HSTS, SSL
redirect, WhiteNoise with the manifest storage). This module only
- supplies the environment production requires (a bench-only secret key, allowed hosts), when
  the caller did not set them;
- raises the per-IP rate limit, since every benchmark client is 127.0.0.1 (unless the caller set it);
- routes through bench.urls, which is zelfscan.urls plus /bench/bare/ (a view without database);
- collects static files into /tmp instead of the project's staticfiles/;
- sends e-mail to Django's dummy backend unless ZELFSCAN_EMAIL_BACKEND says otherwise (the
  outbox still renders, stores and "delivers" every message, as in production; nothing leaves).

TLS is terminated by a proxy in production; the benchmark clients send `X-Forwarded-Proto: https`
as that proxy does (SECURE_PROXY_SSL_HEADER), so the SSL redirect stays on and is not triggered.
Never point DATABASE_URL at the development database: bench/generate.py refuses to.
"""

import os

os.environ.setdefault(
    "ZELFSCAN_SECRET_KEY", "bench-only-key-0f3c9a7e51d2b8846a1e7c3d9f0b2a5c6e8d1f4a7b9c2e5d8f1a3b6c9e2d5f8a"
)
os.environ.setdefault("ZELFSCAN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("ZELFSCAN_EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")
os.environ.setdefault("ZELFSCAN_SITE_URL", "https://127.0.0.1")
# Every benchmark client comes from 127.0.0.1: the per-IP rate limit (1000/h) would refuse the load.
os.environ.setdefault("ZELFSCAN_RATE_PER_IP", "1000000/h")

from zelfscan.settings.production import *  # noqa: E402,F403

ROOT_URLCONF = "bench.urls"
STATIC_ROOT = os.environ.get("ZELFSCAN_BENCH_STATIC_ROOT", "/tmp/zelfscan-bench-static")  # noqa: S108
# Django's request logger would print every 4xx/5xx; the clients count them instead.
LOGGING["loggers"]["django.request"]["level"] = "ERROR"  # noqa: F405
