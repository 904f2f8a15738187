"""A worker process for test_two_workers.py (not a test itself).

Each worker is its own Python process with its own Django and its
own database connection, as a gunicorn worker is; the workers share only the SQLite file and so
the counters' table in it. Requests go through Django's full stack (middleware, view,
throttling, outbox) via the test client, i.e. through the WSGI handler a gunicorn worker calls.

    python -m throttling.tests.workers setup
    python -m throttling.tests.workers register FIRST COUNT FLOOD_IP GO_FILE
    python -m throttling.tests.workers count TIMES GO_FILE
    python -m throttling.tests.workers inspect

DJANGO_SETTINGS_MODULE and DATABASE_URL (a file SQLite database) come from the environment.
"""

import json
import os
import sys
import time

import django

T = 1772446800.0  # a fixed clock for the counters: the test never straddles a window boundary
MUNICIPALITY_IP = "203.0.113.50"  # the whole municipality behind one NAT address
TARGET = "target@utrecht.nl"


def registration(email: str) -> dict:
    return {"email": email, "municipality": "Utrecht", "domain": "it", "role": "policy", "language": "nl"}


def wait_for(go_file: str) -> None:
    """Say "ready", then wait for the test to let every worker go at once."""
    print("ready", flush=True)
    deadline = time.monotonic() + 120
    while not os.path.exists(go_file):
        if time.monotonic() > deadline:
            raise SystemExit(f"{go_file} never appeared")
        time.sleep(0.01)


def setup() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_municipalities", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("load_instrument", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def register(first: int, count: int, flood_ip: str, go_file: str) -> None:
    from django.test import Client

    municipality = Client(REMOTE_ADDR=MUNICIPALITY_IP)
    flooder = Client(REMOTE_ADDR=flood_ip)
    wait_for(go_file)
    started = time.time()
    statuses, flood = [], []
    for number in range(first, first + count):
        statuses.append(municipality.post("/start/", registration(f"colleague{number}@utrecht.nl")).status_code)
        if number % 10 == 0:  # the flood runs alongside, against one address
            flood.append(flooder.post("/start/", registration(TARGET)).status_code)
    result = {"pid": os.getpid(), "started": started, "ended": time.time(), "registrations": statuses, "flood": flood}
    print(json.dumps(result), flush=True)


def count(times: int, go_file: str) -> None:
    """Count `times` attempts on one address as fast as possible (for the atomic increment)."""
    from django.test import RequestFactory

    from throttling import services

    request = RequestFactory().post("/new-link/", REMOTE_ADDR=MUNICIPALITY_IP)
    wait_for(go_file)
    started = time.time()
    for _ in range(times):
        services.attempt(request, "hammer", address=TARGET, per_ip=False)
    print(json.dumps({"pid": os.getpid(), "started": started, "ended": time.time()}), flush=True)


def inspect() -> None:
    from django.test import RequestFactory

    from assessments.models import Response
    from throttling import services

    request = RequestFactory().post("/start/", REMOTE_ADDR=MUNICIPALITY_IP)
    (ip_counter,) = services.counters(request, "register")
    (hammered,) = services.counters(request, "hammer", address=TARGET, per_ip=False)
    from throttling.models import Counter

    stored = dict(Counter.objects.values_list("key", "count"))
    result = {
        "ip_count": stored.get(ip_counter.key(T)),
        "hammered": stored.get(hammered.key(T), 0),
        "responses": Response.objects.count(),
        "target_responses": Response.objects.filter(email=TARGET).count(),
    }
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    django.setup()
    from throttling import services

    services.now = lambda: T
    command, *args = sys.argv[1:]
    if command == "setup":
        setup()
    elif command == "register":
        register(int(args[0]), int(args[1]), args[2], args[3])
    elif command == "count":
        count(int(args[0]), args[1])
    elif command == "inspect":
        inspect()
    else:
        raise SystemExit(f"unknown command {command!r}")
