"""Count attempts in the database every worker shares, and decide with the pure rules.

Each limited action counts per client IP (a generous budget: a whole municipality may share one
address), per e-mail address (by the person behind it, `counting_identity`) and per account
(a registration, a personal link, an admin username). Counters are rows of `Counter`, keyed by
the action, the window and a keyed hash of what they count, so no address or IP is stored in
clear. One attempt is one statement whatever the number of counters: an INSERT ... ON CONFLICT DO
UPDATE ... RETURNING (SQLite >= 3.35, PostgreSQL >= 9.5), atomic on both, so two workers counting
at the same moment never lose an attempt.

When counting fails, the attempt is allowed and the failure logged: a broken counter must not
lock everyone out (README, "Rate limits").
"""

import contextlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils.crypto import salted_hmac

from zelfscan.privacy import counting_identity

from .models import Counter as CounterRow
from .rules import ALLOWED, Decision, Rate, client_ip, decide, parse_rate, window_end, window_index

# Rows are kept this long past their window's end before they are purged.
PURGE_AFTER = 60
# A worker purges ended windows at most this often (and apply_retention daily).
PURGE_EVERY = 300
logger = logging.getLogger("zelfscan.throttling")


def now() -> float:
    """The clock the counters use (tests move it)."""
    return time.time()


def request_ip(request) -> str:
    return client_ip(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        settings.ZELFSCAN_TRUSTED_PROXY_COUNT,
    )


@dataclass(frozen=True)
class Counter:
    scope: str  # what is counted, e.g. "register:address"
    value: str  # whose attempts: an IP, an identity, an account label
    rate: Rate

    @property
    def digest(self) -> str:
        return value_digest(self.value)

    def key(self, moment: float) -> str:
        return f"{self.scope}:{self.rate.period}:{window_index(moment, self.rate.period)}:{self.digest}"


def value_digest(value: str) -> str:
    """A keyed hash of whose attempts a counter holds (an IP, an identity, an account label)."""
    return salted_hmac("zelfscan.throttling", value).hexdigest()[:32]


def counters(request, action: str, *, address: str = "", account: str = "", per_ip: bool = True) -> list[Counter]:
    found = []
    if per_ip:
        found.append(Counter(f"{action}:ip", request_ip(request), parse_rate(settings.ZELFSCAN_RATE_PER_IP)))
    if address:
        rate = parse_rate(settings.ZELFSCAN_RATE_PER_ADDRESS)
        found.append(Counter(f"{action}:address", counting_identity(address), rate))
    if account:
        found.append(Counter(f"{action}:account", str(account)[:200], parse_rate(settings.ZELFSCAN_RATE_PER_ACCOUNT)))
    return found


def attempt(request, action: str, *, address: str = "", account: str = "", per_ip: bool = True) -> Decision:
    """Count one attempt at `action` by this request's client IP (unless per_ip is off), for the
    e-mail `address` and for the `account` when given, and decide whether it may go ahead."""
    found = counters(request, action, address=address, account=account, per_ip=per_ip)
    return _decide(found, action, increment=True)


def peek(request, action: str, *, address: str = "", account: str = "", per_ip: bool = True) -> Decision:
    """Would one more attempt be allowed? Counts nothing: for actions where only failures count
    (a wrong password, an unknown link), which are then counted with `attempt`."""
    found = counters(request, action, address=address, account=account, per_ip=per_ip)
    return _decide(found, action, increment=False)


def _decide(found: list[Counter], action: str, *, increment: bool) -> Decision:
    moment = now()
    try:
        with _savepoint():
            used = _count(found, moment) if increment else _read(found, moment)
            _purge_now_and_then(moment)
    except Exception:  # noqa: BLE001 - any database failure: allow, and say so in the log
        logger.exception("rate-limit counters unavailable: %s allowed", action)
        return ALLOWED
    decision = decide(moment, [(counter.rate, used[counter.key(moment)]) for counter in found])
    if not decision.allowed:
        logger.info("rate limit: %s refused, retry after %s s", action, decision.retry_after)
    return decision


def _count(found: list[Counter], moment: float) -> dict[str, int]:
    """Add this attempt to every counter in one statement; the counts with it, by key."""
    if not found:
        return {}
    rows = sorted({counter.key(moment): window_end(moment, counter.rate.period) for counter in found}.items())
    quote = connection.ops.quote_name
    table, key, count = quote(CounterRow._meta.db_table), quote("key"), quote("count")
    # Sorted keys: two PostgreSQL transactions lock the same rows in the same order.
    sql = (
        f"INSERT INTO {table} ({key}, {quote('ends_at')}, {count}) VALUES {', '.join(['(%s, %s, 1)'] * len(rows))} "  # noqa: S608 - names quoted, values are parameters
        f"ON CONFLICT ({key}) DO UPDATE SET {count} = {table}.{count} + 1 RETURNING {key}, {count}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])
        return dict(cursor.fetchall())


def _read(found: list[Counter], moment: float) -> dict[str, int]:
    """The counts one more attempt would reach, by key, counting nothing."""
    keys = {counter.key(moment) for counter in found}
    stored = dict(CounterRow.objects.filter(key__in=keys).values_list("key", "count"))
    return {key: stored.get(key, 0) + 1 for key in keys}


_last_purge = [0.0]


def _purge_now_and_then(moment: float) -> None:
    """Delete ended windows, at most once per PURGE_EVERY seconds per worker."""
    if moment - _last_purge[0] >= PURGE_EVERY:
        _last_purge[0] = moment
        purge(moment)


def purge(moment: float | None = None) -> int:
    """Delete the counters whose window ended more than PURGE_AFTER seconds ago; how many."""
    moment = now() if moment is None else moment
    deleted, _ = CounterRow.objects.filter(ends_at__lt=moment - PURGE_AFTER).delete()
    return deleted


def _savepoint():
    """Inside a transaction, a failing counter must not break the caller's transaction."""
    if transaction.get_connection().in_atomic_block:
        return transaction.atomic()
    return contextlib.nullcontext()


def clear() -> None:
    """Forget every counter (tests; an operator who locked out a whole office by mistake)."""
    CounterRow.objects.all().delete()
