"""gunicorn configuration for production: `gunicorn -c gunicorn.conf.py zelfscan.wsgi`.

The access log leaves out query strings, which carry personal-link tokens (/link/?t=...).
"""

import multiprocessing
import os

bind = os.environ.get("ZELFSCAN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("ZELFSCAN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
accesslog = "-"
# %(U)s is the path without the query string; never log %(r)s or %(q)s here.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
forwarded_allow_ips = os.environ.get("ZELFSCAN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Builds only the atoms the format above uses (gunicorn builds every header and environ variable
# of every request for its access log); the line logged is the same.
logger_class = "zelfscan.accesslog.AccessLogger"
