"""Many respondents saving and submitting at once against real gunicorn workers on PostgreSQL,
with one worker killed (SIGKILL) in the middle. Afterwards every acknowledged answer is in the
database exactly once, with the last acknowledged value, and every acknowledged submit counts once.

Runs in the PostgreSQL pass of `make test` (marker `postgresql`; the SQLite pass uses an in-memory
database that other processes cannot open, so it deselects this test). The client behaves as a
browser: its own session per respondent, the CSRF token of the form it posts, and a retry of the
same page when the connection drops (a user pressing the button again).
"""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.db import connection

from assessments import services
from assessments.models import Answer, Response
from conftest import confirm, ensure_base_data, make_response

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

RESPONDENTS = 12
WORKERS = 3
ROOT = Path(__file__).resolve().parent.parent


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start_gunicorn(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zelfscan.settings.test",
        "DATABASE_URL": database_url(),
        "ZELFSCAN_SECRET_KEY": settings.SECRET_KEY,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--graceful-timeout",
            "2",
            "--log-level",
            "warning",
            "zelfscan.wsgi",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError("gunicorn did not start: " + process.stderr.read().decode()[-2000:])


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


class Respondent(threading.Thread):
    """One browser: answers every theme page twice (the second time with other levels), then submits."""

    def __init__(self, base: str, response: Response, themes: list[list[str]], barrier: threading.Barrier):
        super().__init__(daemon=True)
        self.base, self.response, self.themes, self.barrier = base, response, themes, barrier
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        self.acknowledged: dict[str, tuple[int, int]] = {}
        self.submitted = False
        self.failures = 0
        self.error: BaseException | None = None

    def cookie(self, name: str, value: str) -> None:
        from http.cookiejar import Cookie

        self.jar.set_cookie(
            Cookie(
                0, name, value, None, False, "127.0.0.1", False, False, "/", True, False, None, False, None, None, {}
            )
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        """GET or POST until the server answers (a dropped connection is retried, as a user would)."""
        for _attempt in range(20):
            body = urllib.parse.urlencode(data).encode() if data is not None else None
            request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 (http to loopback)
            if body is not None:
                request.add_header("Origin", self.base)
            try:
                with self.opener.open(request, timeout=20) as reply:
                    return reply.status, reply.read().decode()
            except urllib.error.HTTPError as error:
                if error.code in (301, 302, 303):
                    return error.code, ""
                if error.code >= 500:
                    self.failures += 1
                    continue
                raise
            except (ConnectionError, urllib.error.URLError, TimeoutError, http.client.HTTPException):
                # The killed worker dropped the connection, possibly halfway through an answer.
                self.failures += 1
                time.sleep(0.05)
        raise AssertionError(f"no answer for {path}")

    def run(self):
        try:
            self.barrier.wait()
            scan = f"/scan/{self.response.public_id}/"
            for round_number, levels in enumerate([(2, 4), (3, 5)]):
                for number, keys in enumerate(self.themes, start=1):
                    status, page = self.request(f"{scan}theme/{number}/")
                    assert status == 200, (status, page[:300])
                    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
                    current, desired = levels[0] + (number + round_number) % 2, levels[1]
                    data = {"csrfmiddlewaretoken": token, "action": "next"}
                    for key in keys:
                        data.update({f"{key}-current": current, f"{key}-desired": desired, f"{key}-note": ""})
                    status, _page = self.request(f"{scan}theme/{number}/", data)
                    assert status == 302, status
                    for key in keys:
                        self.acknowledged[key] = (current, desired)
            status, page = self.request(f"{scan}review/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            status, _page = self.request(f"{scan}review/", {"csrfmiddlewaretoken": token, "action": "submit"})
            self.submitted = status == 302
        except BaseException as error:  # reported by the test
            self.error = error


def test_concurrent_saves_and_submits_survive_a_killed_worker():
    version = ensure_base_data()
    from organisations.models import Municipality

    utrecht = Municipality.objects.get(pk="GM0344")
    themes = [[s.key for s in theme.statements.order_by("position")] for theme in version.themes.order_by("position")]
    responses = []
    for index in range(RESPONDENTS):
        response = make_response(version, utrecht, email=f"load{index}@utrecht.nl")
        confirm(response)
        responses.append(response)

    port = free_port()
    server = start_gunicorn(port)
    try:
        base = f"http://127.0.0.1:{port}"
        barrier = threading.Barrier(RESPONDENTS)
        clients = []
        for response in responses:
            client = Respondent(base, response, themes, barrier)
            session = SessionStore()
            services.grant_session(session, response)
            session.save()
            client.cookie(settings.SESSION_COOKIE_NAME, session.session_key)
            clients.append(client)
        for client in clients:
            client.start()
        time.sleep(0.6)  # saves are under way
        victims = worker_pids(server.pid)
        os.kill(victims[0], signal.SIGKILL)
        for client in clients:
            client.join(timeout=120)
        deadline = time.monotonic() + 10
        while victims[0] in worker_pids(server.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert victims[0] not in worker_pids(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)

    for client in clients:
        assert client.error is None, repr(client.error)
        assert client.submitted
    by_key = {s.key: s.id for s in version.statements.all()}
    for client in clients:
        rows = list(Answer.objects.filter(response=client.response).values_list("statement_id", "current", "desired"))
        assert len(rows) == len({statement for statement, _c, _d in rows}) == 21  # each answer exactly once
        stored = {statement: (current, desired) for statement, current, desired in rows}
        for key, levels in client.acknowledged.items():
            assert stored[by_key[key]] == levels, (client.response.email, key)
    assert Response.objects.filter(email__startswith="load").count() == RESPONDENTS  # no duplicate responses
    counted = Response.objects.counted().filter(email__startswith="load")
    assert counted.count() == RESPONDENTS
    print(f"connection failures retried: {sum(c.failures for c in clients)}")
