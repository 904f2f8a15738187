"""Rate-limit counters are personal data too (a keyed hash of the address): downloaded, deleted
with the person, and gone a minute after their window ends."""

from datetime import UTC, datetime

import pytest
from django.test import RequestFactory

from dataprotection import handlers
from dataprotection.registry import Subject
from throttling import services
from throttling.models import Counter

T = 1772446800.0  # 2026-03-02 10:20:00 UTC; hourly windows end at 11:00:00


@pytest.fixture
def counted(db, monkeypatch):
    monkeypatch.setattr(services, "now", lambda: T)
    services.clear()
    request = RequestFactory().post("/start/", REMOTE_ADDR="203.0.113.9")
    services.attempt(request, "register", address="Jan+work@utrecht.nl")
    services.attempt(request, "new_link", address="jan@utrecht.nl", per_ip=False)
    services.attempt(request, "new_link", address="jan@utrecht.nl", per_ip=False)
    services.attempt(request, "register", address="piet@utrecht.nl")
    return request


def test_the_download_lists_the_persons_counters_by_action_without_keys(counted):
    rows = handlers.export_rate_limit_counters(Subject.of("jan@utrecht.nl"))
    assert sorted((row["action"], row["attempts"]) for row in rows) == [("new_link", 2), ("register", 1)]
    assert {row["window_ends_at"] for row in rows} == {"2026-03-02T11:00:00+00:00"}
    assert all(set(row) == {"action", "window_ends_at", "attempts"} for row in rows)


def test_deletion_removes_the_persons_counters_and_nothing_else(counted):
    assert handlers.delete_rate_limit_counters(Subject.of("jan@utrecht.nl")) == 2
    # Piet's address counter and the IP's counter (two registrations) stay.
    assert sorted(Counter.objects.values_list("count", flat=True)) == [1, 2]


def test_retention_deletes_counters_a_minute_after_their_window_ended(counted):
    end = datetime(2026, 3, 2, 11, 0, tzinfo=UTC).timestamp()
    at = lambda seconds: datetime.fromtimestamp(end + seconds, UTC)  # noqa: E731
    assert handlers.expire_rate_limit_counters(cutoff=None, now=at(60), dry_run=False) == 0
    assert handlers.expire_rate_limit_counters(cutoff=None, now=at(61), dry_run=True) == 4
    assert Counter.objects.count() == 4
    assert handlers.expire_rate_limit_counters(cutoff=None, now=at(61), dry_run=False) == 4
    assert not Counter.objects.exists()
