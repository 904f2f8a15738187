"""Issue 6: "200 registrations from one IP across two workers all succeed, while a flood against
one address is stopped."

What is real here: two separate OS processes (throttling/tests/workers.py), each with its own
Django and database connection, run at the same time (the tests check that
their runs overlap) against one file SQLite database; the only thing they share is that file,
and so the counters' table. Each sends its requests through Django's full request stack with
the test client (the WSGI handler gunicorn would call), not over HTTP through gunicorn itself.
The settings are the test settings with the default budgets (1000/h per IP, 5/h per address);
every attempt is one INSERT ... ON CONFLICT DO UPDATE ... RETURNING on `throttling.Counter`.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _start(env, *args):
    return subprocess.Popen(
        [sys.executable, "-m", "throttling.tests.workers", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )


def _result(process) -> dict:
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 0
    return json.loads(output.strip().splitlines()[-1])


def _at_once(env, go: Path, *commands) -> list[dict]:
    """Start one worker per command, let them all go at the same moment, return their results."""
    workers = [_start(env, *command, str(go)) for command in commands]
    for worker in workers:
        assert worker.stdout.readline().strip() == "ready"
    go.touch()
    results = [_result(worker) for worker in workers]
    assert len({result["pid"] for result in results}) == len(results)
    assert max(r["started"] for r in results) < min(r["ended"] for r in results)  # they ran at once
    return results


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    folder = tmp_path_factory.mktemp("workers")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zelfscan.settings.test",
        "DATABASE_URL": f"sqlite:///{folder / 'workers.sqlite3'}",
        "ZELFSCAN_RATE_PER_IP": "1000/h",
        "ZELFSCAN_RATE_PER_ADDRESS": "5/h",
        "ZELFSCAN_MAIL_CAP_PER_DAY": "10",
    }
    setup = _start(env, "setup")
    setup.communicate(timeout=600)
    assert setup.returncode == 0
    return env, folder


def test_200_registrations_from_one_ip_across_two_workers_pass_and_a_flood_is_stopped(env):
    env, folder = env
    # Each worker registers 100 colleagues from the municipality's one address and, alongside,
    # sends 10 registrations for one target address from its own address.
    first, second = _at_once(
        env, folder / "go-register", ("register", "0", "100", "192.0.2.1"), ("register", "100", "100", "192.0.2.2")
    )
    assert first["registrations"] + second["registrations"] == [302] * 200
    flood = first["flood"] + second["flood"]
    assert len(flood) == 20
    assert flood.count(302) == 5 and flood.count(429) == 15  # exactly the address's budget, across both

    counts = _result(_start(env, "inspect"))
    assert (counts["ip_count"], counts["responses"], counts["target_responses"]) == (200, 205, 5)


def test_two_workers_counting_at_once_lose_no_increment(env):
    """The atomic incr of throttling.cache.DatabaseCache: Django's own DatabaseCache reads and
    writes back, and loses increments when two processes count the same key at once."""
    env, folder = env
    _at_once(env, folder / "go-count", ("count", "300"), ("count", "300"))
    assert _result(_start(env, "inspect"))["hammered"] == 600
