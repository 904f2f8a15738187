"""Counting in the shared cache: the database cache's atomic incr, windows, keys, peek, failures."""

import io
import logging
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from throttling import services
from throttling.cache import DatabaseCache
from throttling.rules import Decision

T = 1772446800.0  # 2026-03-02 10:20:00 UTC: 40 minutes left in the hour


@pytest.fixture
def clock(monkeypatch):
    moment = {"now": T}
    monkeypatch.setattr(services, "now", lambda: moment["now"])
    return moment


@pytest.fixture
def shared(db):
    return caches[services.CACHE_ALIAS]


def _request(ip="203.0.113.9", forwarded=None):
    extra = {"REMOTE_ADDR": ip}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/start/", **extra)


def test_the_shared_cache_is_the_database_cache_with_an_atomic_incr(shared):
    assert isinstance(shared, DatabaseCache)


def test_incr_adds_to_the_stored_value_and_keeps_its_expiry(shared):
    shared.add("counter", 1, 120)
    table = connection.ops.quote_name(shared._table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT expires FROM {table}")  # noqa: S608 - test
        before = cursor.fetchone()[0]
    assert shared.incr("counter") == 2
    assert shared.incr("counter", 3) == 5
    assert shared.get("counter") == 5
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT expires FROM {table}")  # noqa: S608 - test
        assert cursor.fetchone()[0] == before


def test_incr_of_a_missing_or_expired_key_raises_value_error(shared):
    with pytest.raises(ValueError):
        shared.incr("nothing")
    shared.set("old", 4, 60)
    table = connection.ops.quote_name(shared._table)
    past = connection.ops.adapt_datetimefield_value((timezone.now() - timedelta(minutes=1)).replace(tzinfo=None))
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET expires = %s", [past])  # noqa: S608 - test
    with pytest.raises(ValueError):
        shared.incr("old")


def test_two_cache_instances_over_one_table_count_together(shared):
    """What two workers do: each has its own backend object, both over the same table."""
    first = DatabaseCache(shared._table, {"TIMEOUT": 3600, "KEY_PREFIX": "zelfscan"})
    second = DatabaseCache(shared._table, {"TIMEOUT": 3600, "KEY_PREFIX": "zelfscan"})
    assert first.add("ip", 1, 60) is True
    assert second.add("ip", 1, 60) is False
    assert second.incr("ip") == 2
    assert first.incr("ip") == 3
    assert shared.get("ip") == 3


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


def test_the_cache_holds_no_address_or_ip_in_clear(clock, shared):
    services.attempt(_request("203.0.113.77"), "register", address="secret.person@utrecht.nl")
    table = connection.ops.quote_name(shared._table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {table}")  # noqa: S608 - test
        keys = [row[0] for row in cursor.fetchall()]
    assert len(keys) == 2
    assert all("secret" not in key and "utrecht" not in key and "203.0.113" not in key for key in keys)
    assert any(":register:ip:3600:492346:" in key for key in keys)


def test_request_ip_ignores_a_forged_forwarded_for_unless_proxies_are_trusted(settings):
    settings.ZELFSCAN_TRUSTED_PROXY_COUNT = 0
    assert services.request_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"
    settings.ZELFSCAN_TRUSTED_PROXY_COUNT = 1
    assert services.request_ip(_request("10.0.0.2", "6.6.6.6, 198.51.100.1")) == "198.51.100.1"
    assert services.request_ip(_request("10.0.0.2")) == "10.0.0.2"


def test_a_broken_cache_allows_the_attempt_and_logs_it(clock, shared, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(type(shared), "add", broken)
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


def test_a_missing_cache_table_inside_a_transaction_leaves_the_transaction_usable(db, settings, caplog):
    """Without the savepoint, PostgreSQL would abort the caller's transaction (a registration)."""
    from django.db import transaction

    from organisations.models import Municipality

    settings.CACHES = {**settings.CACHES, "shared": {**settings.CACHES["shared"], "LOCATION": "no_such_table"}}
    with caplog.at_level(logging.ERROR, logger="zelfscan.throttling"), transaction.atomic():
        assert services.attempt(None, "register", address="alice@utrecht.nl", per_ip=False).allowed
        assert Municipality.objects.filter(pk="GM0344").exists()
    assert "rate-limit counters unavailable: register allowed" in caplog.text
