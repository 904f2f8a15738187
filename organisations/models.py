"""The municipality register (CBS), loaded from organisations/data/gemeenten.csv, and the
regional groups an administrator defines."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Upper bounds (exclusive) of the population size classes 1-4; class 5 is 250,000 and more.
SIZE_CLASS_BOUNDS = (20_000, 50_000, 100_000, 250_000)
SIZE_CLASS_LABELS = {
    1: _("under 20,000 inhabitants"),
    2: _("20,000 to 50,000 inhabitants"),
    3: _("50,000 to 100,000 inhabitants"),
    4: _("100,000 to 250,000 inhabitants"),
    5: _("250,000 inhabitants and more"),
}
URBANISATION_LABELS = {
    1: _("very strongly urban"),
    2: _("strongly urban"),
    3: _("moderately urban"),
    4: _("hardly urban"),
    5: _("not urban"),
}


def size_class(population: int) -> int:
    """1: under 20,000; 2: 20,000-50,000; 3: 50,000-100,000; 4: 100,000-250,000; 5: 250,000+."""
    for index, bound in enumerate(SIZE_CLASS_BOUNDS, start=1):
        if population < bound:
            return index
    return len(SIZE_CLASS_BOUNDS) + 1


class Municipality(models.Model):
    cbs_code = models.CharField(_("CBS code"), max_length=6, primary_key=True)
    name = models.CharField(_("official name"), max_length=100)
    common_name = models.CharField(_("common name"), max_length=100)
    province = models.CharField(_("province"), max_length=40)
    province_code = models.CharField(_("province code"), max_length=4)
    population = models.PositiveIntegerField(_("population"))
    population_date = models.DateField(_("population date"))
    urbanisation_class = models.PositiveSmallIntegerField(_("urbanisation class"))
    size_class = models.PositiveSmallIntegerField(_("size class"), default=1)
    g4 = models.BooleanField("G4", default=False)
    g40 = models.BooleanField("G40", default=False)
    active = models.BooleanField(_("active"), default=True)
    # Set when a register update merged this municipality into another (history stays readable).
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("merged into"),
    )

    class Meta:
        ordering = ["common_name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.common_name

    def successor(self) -> "Municipality":
        """The municipality this one lives on in today (itself if it was never merged)."""
        current, seen = self, {self.pk}
        while current.merged_into_id and current.merged_into_id not in seen:
            seen.add(current.merged_into_id)
            current = current.merged_into
        return current

    def lineage_codes(self) -> list[str]:
        """This municipality's code and those of every municipality merged into it, ever
        (remembered on the instance: one query per municipality and request)."""
        if "_lineage_codes" in self.__dict__:
            return list(self._lineage_codes)
        codes, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(
                Municipality.objects.filter(merged_into_id__in=frontier)
                .exclude(pk__in=codes)
                .values_list("pk", flat=True)
            )
            codes.extend(frontier)
        self._lineage_codes = codes
        return list(codes)


class Region(models.Model):
    """A named group of municipalities, e.g. a metropolitan region, defined in the admin."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("short name"), max_length=50, unique=True)
    municipalities = models.ManyToManyField(Municipality, related_name="regions", verbose_name=_("municipalities"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name
