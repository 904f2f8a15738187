"""No public figure derivable by subtraction (privacy-model.md: "No shown figure may be derivable
by subtracting shown figures from another shown figure ... test every combination of filters a
surface offers").

The public surfaces (national page, API, exports, open data) show groups of municipalities. Per
statement and scale, a group's figure sums its members that reach K. Two shown groups can give
a small set of municipalities by subtraction:
- a group inside another (a region inside its province; the G4 inside size class 5; every group
  inside the national one): the larger minus the smaller;
- groups of one kind that divide the country (provinces, size classes, urbanisation classes),
  inside a larger shown group: the larger minus all of them.
Either difference must hold no municipality or at least 3 (scoring.MIN_GROUP_MEMBERS); otherwise
the smaller group (the smallest of the kind) is hidden for that statement and scale, and the check
runs again until nothing changes. The rule is checked on the members that count for the figure
(those reaching K for that statement and scale), so it is exact for what is shown.
"""

import hashlib
from collections.abc import Mapping

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max

from organisations.models import Municipality
from reports import scoring
from reports.groups import latest_snapshots
from reports.models import Snapshot

# Kinds whose groups do not overlap: all of a kind together are (part of) the country.
PARTITION_KINDS = ("province", "size", "urbanisation")


def _allows(difference: int) -> bool:
    return difference == 0 or difference >= scoring.MIN_GROUP_MEMBERS


def hidden_groups(groups: Mapping[str, tuple[str, frozenset]], qualifying: frozenset) -> set[str]:
    """Pure: the keys of the groups to hide for one statement and scale. `groups`: {key: (kind,
    members)}; `qualifying`: the municipalities that reach K for it."""
    members = {key: frozenset(codes) & qualifying for key, (_kind, codes) in groups.items()}
    kinds = {key: kind for key, (kind, _codes) in groups.items()}
    shown = {key for key, codes in members.items() if len(codes) >= scoring.MIN_GROUP_MEMBERS}
    hidden: set[str] = set()
    changed = True
    while changed:
        changed = False
        for outer in sorted(shown, key=lambda key: (-len(members[key]), key)):
            if outer not in shown:
                continue
            inside = [key for key in shown if key != outer and members[key] <= members[outer]]
            for inner in sorted(inside, key=lambda key: (len(members[key]), key)):
                if inner in shown and not _allows(len(members[outer] - members[inner])):
                    shown.discard(inner)
                    hidden.add(inner)
                    changed = True
            for kind in PARTITION_KINDS:
                parts = sorted(
                    (key for key in shown if kinds[key] == kind and key != outer and members[key] <= members[outer]),
                    key=lambda key: (len(members[key]), key),
                )
                while parts:
                    covered = frozenset().union(*(members[key] for key in parts))
                    if _allows(len(members[outer] - covered)):
                        break
                    smallest = parts.pop(0)
                    shown.discard(smallest)
                    hidden.add(smallest)
                    changed = True
    return hidden


def _member_sets(public) -> dict[str, tuple[str, frozenset]]:
    return {
        group.key: (
            group.kind,
            frozenset(Municipality.objects.filter(group.members, active=True).values_list("pk", flat=True)),
        )
        for group in public
    }


def hidden_figures() -> set[tuple[str, str, str]]:
    """{(group key, lineage, scale)} that the public surfaces must not show, from every
    municipality's shown snapshot; cached until a snapshot changes."""
    from .catalogue import public_groups

    include_demo = settings.ZELFSCAN_DEMO_MODE
    k = settings.ZELFSCAN_K
    newest = Snapshot.objects.filter(include_demo=include_demo).aggregate(newest=Max("id"))["newest"]
    key = "zelfscan:subtraction:" + hashlib.sha256(f"{include_demo}|{k}|{newest}".encode()).hexdigest()
    found = cache.get(key)
    if found is not None:
        return found
    groups = _member_sets(public_groups())
    qualifying: dict[tuple[str, str], set[str]] = {}
    for code, counts in latest_snapshots(include_demo).values_list("municipality_id", "counts"):
        for lineage, by_scale in counts.items():
            for scale in scoring.SCALES:
                if scoring.reaches_k(scoring.known_n(by_scale.get(scale, scoring.empty_counts())), k):
                    qualifying.setdefault((lineage, scale), set()).add(code)
    result = {
        (group, lineage, scale)
        for (lineage, scale), codes in qualifying.items()
        for group in hidden_groups(groups, frozenset(codes))
    }
    cache.set(key, result, 60 * 60)
    return result
