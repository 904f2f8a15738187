"""Snapshots for tests: the public figures are built from municipalities' latest snapshots."""

from django.utils import timezone

from instrument.models import InstrumentVersion
from reports.models import Snapshot


def counts(*pairs, dont_know=0):
    """counts(2, 4, 3, 6) -> [dk, n1..n5] from (level, number) pairs given as a flat list."""
    result = [dont_know, 0, 0, 0, 0, 0]
    for level, n in zip(pairs[::2], pairs[1::2], strict=True):
        result[level] += n
    return result


def snapshot(code, current, desired, n_responses=None, include_demo=False):
    """A snapshot of municipality `code`; `current`/`desired` are counts, or functions of a statement."""
    version = InstrumentVersion.objects.current()
    data = {}
    for statement in version.statements.all():
        now = current(statement) if callable(current) else current
        wanted = desired(statement) if callable(desired) else desired
        data[statement.lineage] = {"current": list(now), "desired": list(wanted)}
    if n_responses is None:
        first = next(iter(data.values()))
        n_responses = max(sum(first["current"]), sum(first["desired"]))
    from organisations.models import Municipality
    from rounds.services import continuous_round

    return Snapshot.objects.create(
        municipality_id=code,
        round=continuous_round(Municipality.objects.get(pk=code)),
        include_demo=include_demo,
        taken_at=timezone.now(),
        n_responses=n_responses,
        counts=data,
    )


def province_of_utrecht():
    """Hand-computed figures (every statement alike), K = 5:
    Utrecht now 2x4 3x6, desired 4x10; Amersfoort now 1x1 2x2 3x2, desired 4x5; Zeist now 3x3 4x3,
    desired 5x6; Baarn (4 responses, below K, left out) now 5x4, desired 5x4.
    Group now: 1x1 2x6 3x11 4x3 (n 21), mean 58/21 = 2.76 -> 2.8, P25 2, median 3, P75 3,
    distribution 1-2:7 3:11 4-5:3. Desired: 4x15 5x6 (n 21), mean 90/21 = 4.29 -> 4.3, P25 4,
    median 4, P75 5, distribution 1-4:15 5:6. Gap 4.3 - 2.8 = 1.5."""
    snapshot("GM0344", counts(2, 4, 3, 6), counts(4, 10))
    snapshot("GM0307", counts(1, 1, 2, 2, 3, 2), counts(4, 5))
    snapshot("GM0355", counts(3, 3, 4, 3), counts(5, 6))
    snapshot("GM0308", counts(5, 4), counts(5, 4))


NETWORK = {
    # code: (base level now, respondents); Utrecht, Groningen, Flevoland, and two small ones
    "GM0344": (2, 14),
    "GM0307": (1, 9),
    "GM0355": (2, 7),
    "GM0014": (3, 12),
    "GM0034": (2, 10),
    "GM0037": (1, 6),
    "GM0047": (2, 8),
}


def network():
    """A varied national data set for looking at the page: seven municipalities reach K."""
    for index, (code, (base, n)) in enumerate(NETWORK.items()):

        def now(statement, base=base, n=n, index=index):
            level = min(5, base + (statement.position + index) % 3)
            spread = [0] * 6
            spread[level] += n - n // 3
            spread[max(1, level - 1)] += n // 3
            return spread

        def wanted(statement, base=base, n=n, index=index):
            level = min(5, base + 1 + (statement.position * 2 + index) % 3)
            spread = [1, 0, 0, 0, 0, 0]
            spread[level] += n - 3
            spread[min(5, level + 1)] += 2
            return spread

        snapshot(code, now, wanted, n_responses=n)
