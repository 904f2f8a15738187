"""Count attempts in the cache every worker shares, and decide with the pure rules.

Each limited action counts per client IP (a generous budget: a whole municipality may share one
address), per e-mail address (by the person behind it, `counting_identity`) and per account
(a registration, a personal link, an admin username). Counters live in CACHES["shared"], keyed
by a keyed hash of what they count, so the cache holds no address or IP in clear.

When the shared cache fails, the attempt is allowed and the failure logged: a broken counter
must not lock everyone out (README, "Rate limits").
"""

import contextlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils.crypto import salted_hmac

from zelfscan.privacy import counting_identity

from .rules import ALLOWED, Decision, Rate, client_ip, decide, parse_rate, seconds_left, window_index

CACHE_ALIAS = "shared"
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

    def key(self, moment: float) -> str:
        digest = salted_hmac("zelfscan.throttling", self.value).hexdigest()[:32]
        return f"throttle:{self.scope}:{self.rate.period}:{window_index(moment, self.rate.period)}:{digest}"


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
            counts = [(counter.rate, _used(counter, moment, increment)) for counter in found]
    except Exception:  # noqa: BLE001 - any cache failure: allow, and say so in the log
        logger.exception("rate-limit counters unavailable: %s allowed", action)
        return ALLOWED
    decision = decide(moment, counts)
    if not decision.allowed:
        logger.info("rate limit: %s refused, retry after %s s", action, decision.retry_after)
    return decision


def _used(counter: Counter, moment: float, increment: bool) -> int:
    """Attempts in the counter's current window, this one included."""
    cache = caches[CACHE_ALIAS]
    key = counter.key(moment)
    if not increment:
        return cache.get(key, 0) + 1
    # Kept a minute past the window's end; the window's number in the key starts the next one at 0.
    timeout = seconds_left(moment, counter.rate.period) + 60
    if cache.add(key, 1, timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout)
        return 1


def _savepoint():
    """Inside a transaction, a failing database cache must not break the caller's transaction."""
    if transaction.get_connection().in_atomic_block:
        return transaction.atomic()
    return contextlib.nullcontext()


def clear() -> None:
    """Forget every counter (tests; an operator who locked out a whole office by mistake)."""
    caches[CACHE_ALIAS].clear()
