"""Counting in the database: one upsert per attempt, windows, keys, peek, purging, failures."""

import io
import logging

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from throttling import services
from throttling.models import Counter
from throttling.rules import Decision, Rate

T = 1772446800.0  # 2026-03-02 10:20:00 UTC: 40 minutes left in the hour


@pytest.fixture
def clock(monkeypatch):
    moment = {"now": T}
    monkeypatch.setattr(services, "now", lambda: moment["now"])
    return moment


@pytest.fixture
def shared(db):
    """The counters' table, empty."""
    services.clear()
    return Counter.objects


def _request(ip="203.0.113.9", forwarded=None):
    extra = {"REMOTE_ADDR": ip}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/start/", **extra)


def test_one_attempt_is_one_statement_whatever_the_number_of_counters(clock, shared):
    request = _request()
    services.purge(T)  # the worker's purge is not due in the statements counted below
    services._last_purge[0] = T
    with CaptureQueriesContext(connection) as queries:
        services.attempt(request, "register", address="anna@utrecht.nl", account="acct")
    # The test runs inside a transaction, so the savepoint that guards the caller's transaction
    # shows too; in a request (autocommit) there is none.
    statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 1
    assert "ON CONFLICT" in statements[0] and "RETURNING" in statements[0]
    assert sorted(shared.values_list("count", flat=True)) == [1, 1, 1]


def test_counting_adds_to_the_stored_row_and_keeps_its_window_end(clock, shared):
    rate = Rate(limit=10, period=3600)
    counter = services.Counter("hammer:address", "anna@utrecht.nl", rate)
    assert services._count([counter], T) == {counter.key(T): 1}
    assert services._count([counter], T + 5) == {counter.key(T): 2}
    row = shared.get()
    assert (row.count, row.ends_at) == (2, 1772449200)  # 11:00:00 UTC, the end of the hour
    # The next window is a new row that starts at 1.
    assert services._count([counter], T + 2400) == {counter.key(T + 2400): 1}


def test_each_attempt_reads_its_count_back_from_the_row(clock, shared):
    """The count comes from the row, never from a worker's memory (two real worker processes:
    test_two_workers.py)."""
    rate = Rate(limit=10, period=3600)
    counter = services.Counter("hammer:address", "anna@utrecht.nl", rate)
    counts = [services._count([counter], T)[counter.key(T)] for _ in range(3)]
    assert counts == [1, 2, 3]
    assert services._read([counter], T) == {counter.key(T): 4}  # a peek: the next attempt would be the 4th
    assert shared.get().count == 3


def test_ended_windows_are_purged_a_minute_after_their_end(clock, shared):
    request = _request()
    services.attempt(request, "register", address="anna@utrecht.nl")  # windows end at 11:00:00
    assert shared.count() == 2
    assert services.purge(1772449200 + 60) == 0
    assert services.purge(1772449200 + 61) == 2
    assert shared.count() == 0


def test_a_worker_purges_at_most_every_five_minutes(clock, shared, monkeypatch):
    calls = []
    monkeypatch.setattr(services, "purge", lambda moment=None: calls.append(moment))
    monkeypatch.setattr(services, "_last_purge", [0.0])
    request = _request()
    for offset in (0, 10, 299, 300, 301, 600):
        clock["now"] = T + offset
        services.attempt(request, "register", address="anna@utrecht.nl")
    assert calls == [T, T + 300, T + 600]


def test_attempts_count_up_to_the_limit_and_refuse_the_next_until_the_window_ends(clock, shared, settings):
    settings.ZELFSCAN_RATE_PER_ADDRESS = "5/h"
    request = _request()
    for _ in range(5):
        assert services.attempt(request, "register", address="anna@utrecht.nl").allowed
    assert services.attempt(request, "register", address="anna@utrecht.nl") == Decision(False, 2400)
    clock["now"] = T + 2399  # 10:59:59
    assert services.attempt(request, "register", address="anna@utrecht.nl") == Decision(False, 1)
    clock["now"] = T + 2400  # 11:00:00: a new window
    assert services.attempt(request, "register", address="anna@utrecht.nl").allowed


def test_an_address_counts_per_person_and_per_action(clock, shared):
    request = _request()
    for address in ["anna@utrecht.nl", "Anna+1@utrecht.nl", "ANNA@utrecht.nl", "anna+x@utrecht.nl", "anna@utrecht.nl"]:
        assert services.attempt(request, "new_link", address=address).allowed
    assert not services.attempt(request, "new_link", address="anna+6@utrecht.nl").allowed
    # Another action and another person have their own counters.
    assert services.attempt(request, "register", address="anna@utrecht.nl").allowed
    assert services.attempt(request, "new_link", address="bert@utrecht.nl").allowed


def test_peek_counts_nothing(clock, shared, settings):
    settings.ZELFSCAN_RATE_PER_ACCOUNT = "2/h"
    request = _request()
    for _ in range(5):
        assert services.peek(request, "admin_login", account="root").allowed
    services.attempt(request, "admin_login", account="root")
    assert services.peek(request, "admin_login", account="root").allowed
    services.attempt(request, "admin_login", account="root")
    assert services.peek(request, "admin_login", account="root") == Decision(False, 2400)


def test_the_per_ip_budget_is_shared_by_everyone_behind_one_address(clock, shared, settings):
    settings.ZELFSCAN_RATE_PER_IP = "3/h"
    office = _request("198.51.100.20")
    for number in range(3):
        assert services.attempt(office, "register", address=f"colleague{number}@utrecht.nl").allowed
    assert not services.attempt(office, "register", address="colleague3@utrecht.nl").allowed
    assert services.attempt(_request("198.51.100.21"), "register", address="colleague3@utrecht.nl").allowed


def test_the_counters_hold_no_address_or_ip_in_clear(clock, shared):
    services.attempt(_request("203.0.113.77"), "register", address="secret.person@utrecht.nl")
    keys = list(shared.values_list("key", flat=True))
    assert len(keys) == 2
    assert all("secret" not in key and "utrecht" not in key and "203.0.113" not in key for key in keys)
    assert any(key.startswith("register:ip:3600:492346:") for key in keys)


def test_request_ip_ignores_a_forged_forwarded_for_unless_proxies_are_trusted(settings):
    settings.ZELFSCAN_TRUSTED_PROXY_COUNT = 0
    assert services.request_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"
    settings.ZELFSCAN_TRUSTED_PROXY_COUNT = 1
    assert services.request_ip(_request("10.0.0.2", "6.6.6.6, 198.51.100.1")) == "198.51.100.1"
    assert services.request_ip(_request("10.0.0.2")) == "10.0.0.2"


def test_broken_counting_allows_the_attempt_and_logs_it(clock, shared, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise ConnectionError("database down")

    monkeypatch.setattr(services, "_count", broken)
    with caplog.at_level(logging.ERROR, logger="zelfscan.throttling"):
        assert services.attempt(_request(), "register", address="anna@utrecht.nl").allowed
    assert "rate-limit counters unavailable: register allowed" in caplog.text
    assert "anna" not in caplog.text


def test_clear_rate_limits_command_forgets_every_counter(clock, shared, settings):
    from django.core.management import call_command

    settings.ZELFSCAN_RATE_PER_ADDRESS = "1/h"
    request = _request()
    services.attempt(request, "register", address="anna@utrecht.nl")
    assert not services.attempt(request, "register", address="anna@utrecht.nl").allowed
    call_command("clear_rate_limits", stdout=io.StringIO())
    assert services.attempt(request, "register", address="anna@utrecht.nl").allowed


def test_a_missing_counter_table_inside_a_transaction_leaves_the_transaction_usable(db, monkeypatch, caplog):
    """Without the savepoint, PostgreSQL would abort the caller's transaction (a registration)."""
    from django.db import transaction

    from organisations.models import Municipality

    monkeypatch.setattr(Counter._meta, "db_table", "no_such_table")
    with caplog.at_level(logging.ERROR, logger="zelfscan.throttling"), transaction.atomic():
        assert services.attempt(None, "register", address="alice@utrecht.nl", per_ip=False).allowed
        assert Municipality.objects.filter(pk="GM0344").exists()
    assert "rate-limit counters unavailable: register allowed" in caplog.text
