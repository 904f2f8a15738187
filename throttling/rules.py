"""Rate-limit decisions as pure functions: no cache, no settings, no clock of their own.

Counting happens in fixed windows: a window of `period` seconds starts at every multiple of
`period` since the Unix epoch (so hourly windows start on the hour, daily ones at 00:00 UTC).
An attempt is allowed while the count in its window, this attempt included, stays within the
limit; a refused attempt may try again when the window ends.
"""

import ipaddress
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE = re.compile(r"^\s*(?P<limit>\d+)\s*/\s*(?P<count>\d*)\s*(?P<unit>[smhd])\s*$")
# At most a day: a counter is personal data (a keyed hash of an address or IP), kept no longer
# than its window (throttling.services.purge).
LONGEST_PERIOD = UNITS["d"]


@dataclass(frozen=True)
class Rate:
    limit: int  # attempts allowed per window
    period: int  # window length in seconds


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int = 0  # seconds until the attempt may be made again (0 when allowed)

    @property
    def minutes(self) -> int:
        """Whole minutes to wait, rounded up, for the message to the user."""
        return max(1, math.ceil(self.retry_after / 60))


ALLOWED = Decision(True)


def parse_rate(text: str) -> Rate:
    """ "5/h" is 5 per hour; "20/15m" is 20 per 15 minutes. Units: s, m, h, d (at most one day)."""
    found = RATE.match(text or "")
    if not found:
        raise ValueError(f"{text!r} is not a rate like 5/h or 20/15m")
    period = int(found["count"] or 1) * UNITS[found["unit"]]
    if not 0 < period <= LONGEST_PERIOD:
        raise ValueError(f"{text!r}: the period must be between 1 second and 1 day")
    return Rate(limit=int(found["limit"]), period=period)


def window_index(now: float, period: int) -> int:
    """The number of the fixed window `now` falls in; it is part of the counter's key."""
    return math.floor(now / period)


def window_end(now: float, period: int) -> int:
    return (window_index(now, period) + 1) * period


def seconds_left(now: float, period: int) -> int:
    """Whole seconds until the window of `now` ends, rounded up, at least 1 (for Retry-After)."""
    return max(1, math.ceil(window_end(now, period) - now))


def decide(now: float, counts: Iterable[tuple[Rate, int]]) -> Decision:
    """Refuse when any count (this attempt included) is above its limit; the attempt may be made
    again when every exceeded window has ended."""
    exceeded = [rate for rate, count in counts if count > rate.limit]
    if not exceeded:
        return ALLOWED
    return Decision(False, max(seconds_left(now, rate.period) for rate in exceeded))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = (text or "").strip()
    candidates = [text]
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        candidates.append(text[1 : text.index("]")])
    elif text.count(":") == 1:  # 192.0.2.1:443
        candidates.append(text.split(":", 1)[0])
    for candidate in candidates:
        try:
            return ipaddress.ip_address(candidate)
        except ValueError:
            continue
    return None


def client_ip(remote_addr: str, forwarded_for: str, trusted_proxies: int) -> str:
    """The address rate limits count per.

    With no trusted proxies (the default) that is the connection's address (REMOTE_ADDR), and an
    X-Forwarded-For header is ignored: any client can write one. Behind `trusted_proxies` proxies,
    each of which appends the address it received the request from, the client's address is the
    `trusted_proxies`-th entry from the right; what the client itself wrote is left of it.
    An IPv6 client counts per /64 network (one household or office gets a whole /64);
    an IPv4-mapped IPv6 address counts as its IPv4 address.
    """
    address = None
    if trusted_proxies > 0 and forwarded_for:
        hops = [hop for hop in (part.strip() for part in forwarded_for.split(",")) if hop]
        if len(hops) >= trusted_proxies:
            address = _address(hops[-trusted_proxies])
    if address is None:
        address = _address(remote_addr)
    if address is None:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
