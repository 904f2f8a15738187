"""The peer groups anyone may read: national, each province, size class and urbanisation class,
the G4, the G40 and the administrator-defined regions.

Each group has a stable public key (used in URLs, the API and exports) and is computed by
reports.groups.group_comparison, the same function the personal report uses, so a group shows the
same numbers everywhere.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import translation
from django.utils.translation import gettext as _

from organisations.models import SIZE_CLASS_LABELS, URBANISATION_LABELS, Municipality, Region
from reports.groups import GroupDefinition

KINDS = ("national", "size", "province", "urbanisation", "g4", "g40", "region")
NATIONAL = "national"


@dataclass(frozen=True)
class PublicGroup:
    key: str  # "national", "province-PV26", "size-3", "urbanisation-2", "g4", "g40", "region-<slug>"
    kind: str
    value: str  # the province code, class number or region slug; "" for national, g4, g40
    name: str  # the province's or region's own name (not translated); "" otherwise
    members_in_register: int

    @property
    def members(self) -> Q:
        if self.kind == "province":
            return Q(province_code=self.value)
        if self.kind == "size":
            return Q(size_class=int(self.value))
        if self.kind == "urbanisation":
            return Q(urbanisation_class=int(self.value))
        if self.kind in ("g4", "g40"):
            return Q(**{self.kind: True})
        if self.kind == "region":
            return Q(regions__slug=self.value)
        return Q()

    def label(self, language: str | None = None) -> str:
        """The group's name in the active language, or in `language`."""
        if language is not None:
            with translation.override(language):
                return self.label()
        if self.kind == "national":
            return _("All municipalities")
        if self.kind == "province":
            return _("Province of %(province)s") % {"province": self.name}
        if self.kind == "size":
            return _("Municipalities with %(size)s") % {"size": SIZE_CLASS_LABELS[int(self.value)]}
        if self.kind == "urbanisation":
            return _("Municipalities that are %(class)s") % {"class": URBANISATION_LABELS[int(self.value)]}
        if self.kind == "g4":
            return _("The G4 (four largest cities)")
        if self.kind == "g40":
            return _("The G40 city network")
        return self.name

    def definition(self) -> GroupDefinition:
        """The definition reports.groups.group_comparison computes."""
        return GroupDefinition(self.key, self.label(), self.members)


def public_groups() -> list[PublicGroup]:
    """Every public group, national first, then size classes, provinces, urbanisation classes,
    G4, G40 and regions; with how many of today's municipalities belong to each (two queries)."""
    active = list(
        Municipality.objects.filter(active=True).values_list(
            "province_code", "province", "size_class", "urbanisation_class", "g4", "g40"
        )
    )
    provinces = Counter((code, name) for code, name, *_rest in active)
    sizes = Counter(row[2] for row in active)
    urbanisation = Counter(row[3] for row in active)
    groups = [PublicGroup(NATIONAL, "national", "", "", len(active))]
    groups += [PublicGroup(f"size-{c}", "size", str(c), "", sizes[c]) for c in sorted(SIZE_CLASS_LABELS)]
    groups += [
        PublicGroup(f"province-{code}", "province", code, name, count)
        for (code, name), count in sorted(provinces.items(), key=lambda item: item[0][1])
    ]
    groups += [
        PublicGroup(f"urbanisation-{c}", "urbanisation", str(c), "", urbanisation[c])
        for c in sorted(URBANISATION_LABELS)
    ]
    groups.append(PublicGroup("g4", "g4", "", "", sum(1 for row in active if row[4])))
    groups.append(PublicGroup("g40", "g40", "", "", sum(1 for row in active if row[5])))
    groups += [PublicGroup(f"region-{slug}", "region", slug, name, count) for slug, name, count in _regions()]
    return groups


def _regions() -> list[tuple[str, str, int]]:
    rows = Region.objects.annotate(
        members=Count("municipalities", filter=Q(municipalities__active=True), distinct=True)
    ).order_by("name")
    return [(region.slug, region.name, region.members) for region in rows]


def find_public_group(key: str) -> PublicGroup | None:
    return next((group for group in public_groups() if group.key == key), None)


def national_definition() -> GroupDefinition:
    """The national group, as the complement rule needs it (without querying the register)."""
    return PublicGroup(NATIONAL, "national", "", "", 0).definition()
