"""The access logger writes the line gunicorn's own logger writes, for the format gunicorn.conf.py sets."""

import datetime
import runpy
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config
from gunicorn.glogging import Logger

from zelfscan.accesslog import AccessLogger

CONF = Path(__file__).resolve().parent.parent.parent / "gunicorn.conf.py"


def line(logger_class, access_log_format):
    config = Config()
    config.set("access_log_format", access_log_format)
    logger = logger_class(config)
    logger.now = lambda: "[26/Nov/2026:20:00:00 +0100]"
    environ = {
        "REMOTE_ADDR": "127.0.0.1",
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/scan/x/theme/1/",
        "QUERY_STRING": "t=secret",
        "RAW_URI": "/scan/x/theme/1/?t=secret",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_USER_AGENT": 'agent "quoted"',
    }
    resp = SimpleNamespace(status="302 Found", sent=0, headers=[("Location", "/scan/x/theme/2/")])
    req = SimpleNamespace(headers=[("HOST", "127.0.0.1"), ("USER-AGENT", 'agent "quoted"')])
    atoms = logger.atoms_wrapper_class(logger.atoms(resp, req, environ, datetime.timedelta(microseconds=4321)))
    return access_log_format % atoms


def test_same_line_as_gunicorns_logger_for_the_configured_format():
    access_log_format = runpy.run_path(str(CONF))["access_log_format"]
    assert line(AccessLogger, access_log_format) == line(Logger, access_log_format)
    expected = '127.0.0.1 [26/Nov/2026:20:00:00 +0100] "POST /scan/x/theme/1/" 302 0 4ms'
    assert line(AccessLogger, access_log_format) == expected


def test_other_formats_get_gunicorns_atoms():
    other = '%(h)s "%(r)s" %(a)s %({location}o)s'
    assert line(AccessLogger, other) == line(Logger, other)
