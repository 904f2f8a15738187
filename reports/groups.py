"""Peer groups of municipalities: national, province, size class, urbanisation class, G4, G40 and
the regions an administrator defines.

A group's figures are built from its members' latest snapshots (never from live counts), only
from members that reach K themselves for that statement and scale, and are shown only when at
least 3 members do (reports.scoring.peer_group_figure). Because every group is a sum of member
snapshots that each reach K, no group figure minus another shown figure isolates anything
smaller than a municipality that could be shown on its own.
"""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from organisations.models import SIZE_CLASS_LABELS, URBANISATION_LABELS, Municipality

from . import scoring
from .models import Snapshot


@dataclass(frozen=True)
class GroupDefinition:
    key: str
    label: str
    members: Q


def available_groups(municipality: Municipality) -> list[GroupDefinition]:
    """The peer groups a respondent of this municipality can compare with, national first."""
    groups = [
        GroupDefinition("all", str(_("All municipalities")), Q()),
        GroupDefinition(
            "province",
            str(_("Province of %(province)s") % {"province": municipality.province}),
            Q(province_code=municipality.province_code),
        ),
        GroupDefinition(
            "size",
            str(_("Municipalities with %(size)s") % {"size": SIZE_CLASS_LABELS[municipality.size_class]}),
            Q(size_class=municipality.size_class),
        ),
        GroupDefinition(
            "urbanisation",
            str(
                _("Municipalities that are %(class)s")
                % {"class": URBANISATION_LABELS.get(municipality.urbanisation_class, "")}
            ),
            Q(urbanisation_class=municipality.urbanisation_class),
        ),
    ]
    if municipality.g4:
        groups.append(GroupDefinition("g4", str(_("The G4 (four largest cities)")), Q(g4=True)))
    if municipality.g40:
        groups.append(GroupDefinition("g40", str(_("The G40 city network")), Q(g40=True)))
    if municipality.pk:
        for region in municipality.regions.order_by("name"):
            groups.append(GroupDefinition(f"region-{region.slug}", region.name, Q(regions=region)))
    return groups


def find_group(municipality: Municipality, key: str | None) -> GroupDefinition:
    groups = available_groups(municipality)
    return next((group for group in groups if group.key == key), groups[0])


@dataclass
class GroupComparison:
    """A peer group's figures per statement lineage and scale."""

    label: str
    k: int
    # {lineage: {scale: (summed counts of the qualifying members, number of qualifying members)}}
    data: dict = field(default_factory=dict)
    n_municipalities: int = 0
    n_responses: int = 0

    def _entry(self, lineage: str, scale: str) -> tuple[list[int], int]:
        return self.data.get(lineage, {}).get(scale, (scoring.empty_counts(), 0))

    def figure(self, lineage: str, scale: str) -> scoring.GroupFigure:
        counts, members = self._entry(lineage, scale)
        if members < scoring.MIN_GROUP_MEMBERS:
            return scoring.GroupFigure(n=scoring.known_n(counts), mean=None, shown=False, reason="few_members")
        return scoring.group_figure(counts, self.k)

    def spread(self, lineage: str, scale: str) -> scoring.Spread:
        counts, members = self._entry(lineage, scale)
        if members < scoring.MIN_GROUP_MEMBERS:
            return scoring.Spread(None, None, None, shown=False)
        return scoring.spread(counts, self.k)

    def theme_figure(self, lineages: list[str], scale: str) -> scoring.GroupFigure:
        figures = [self.figure(lineage, scale) for lineage in lineages]
        if not figures or not all(f.shown for f in figures):
            return scoring.GroupFigure(n=0, mean=None, shown=False, reason="few_members")
        return scoring.pooled_figure([self._entry(lineage, scale)[0] for lineage in lineages], self.k)

    @property
    def shown(self) -> bool:
        return self.n_municipalities >= scoring.MIN_GROUP_MEMBERS


def build_group(label: str, member_snapshots: list[dict], k: int) -> GroupComparison:
    """Pure: a group from its members' snapshot counts ({lineage: {scale: counts}} each)."""
    lineages = {lineage for counts in member_snapshots for lineage in counts}
    data = {}
    for lineage in lineages:
        data[lineage] = {}
        for scale in scoring.SCALES:
            member_counts = [counts.get(lineage, {}).get(scale, scoring.empty_counts()) for counts in member_snapshots]
            data[lineage][scale] = scoring.group_of_municipalities(member_counts, k)
    return GroupComparison(label=label, k=k, data=data)


def latest_snapshots(include_demo: bool, members: Q | None = None):
    """Each member's shown snapshot: its newest one that reaches K (the most recent round that
    reaches the thresholds, as in `aggregates.shown_snapshot`); members without one do not
    qualify anyway."""
    latest = (
        Snapshot.objects.filter(include_demo=include_demo, n_responses__gte=settings.ZELFSCAN_K)
        .values("municipality_id")
        .annotate(last=Max("id"))
        .values("last")
    )
    # Only today's municipalities: a merged one's responses live on in its successor's snapshot.
    snapshots = Snapshot.objects.filter(id__in=latest, municipality__active=True)
    if members is not None and members != Q():
        codes = Municipality.objects.filter(members, active=True).values("pk")
        snapshots = snapshots.filter(municipality_id__in=codes)
    return snapshots


def group_comparison(group: GroupDefinition) -> GroupComparison:
    """The group's figures from its members' latest snapshots, cached until a snapshot changes."""
    k = settings.ZELFSCAN_K
    include_demo = settings.ZELFSCAN_DEMO_MODE
    newest = Snapshot.objects.filter(include_demo=include_demo).aggregate(newest=Max("id"))["newest"]
    identity = f"{group.key}|{group.members!s}|{include_demo}|{k}|{newest}"
    key = "zelfscan:group:" + hashlib.sha256(identity.encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        cached.label = group.label
        return cached
    rows = list(latest_snapshots(include_demo, group.members).values_list("n_responses", "counts"))
    result = build_group(group.label, [counts for _n, counts in rows], k)
    qualifying = [n for n, _counts in rows if scoring.reaches_k(n, k)]
    result.n_municipalities = len(qualifying)
    result.n_responses = sum(qualifying)
    cache.set(key, result, 60 * 60)
    return result


def national_comparison() -> GroupComparison:
    return group_comparison(GroupDefinition("all", str(_("All municipalities")), Q()))
