"""A municipality's smart city roadmap: statements chosen from the organisation report, each
with a target level, a horizon, an owner, actions and how progress is measured."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from instrument.models import Statement
from organisations.models import Municipality
from reports.models import Snapshot


class Roadmap(models.Model):
    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="roadmap", verbose_name=_("municipality")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("roadmap")
        verbose_name_plural = _("roadmaps")

    def __str__(self) -> str:
        return f"roadmap {self.municipality}"


class RoadmapItem(models.Model):
    class Horizon(models.TextChoices):
        # In time order: the order of the phases on the timeline.
        NOW = "now", _("Now")
        YEAR = "1y", _("Within 1 year")
        SHORT = "1-3y", _("1 to 3 years")
        LONG = "3-5y", _("3 to 5 years")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        ON_HOLD = "on_hold", _("On hold")

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="items")
    # The statement as it was chosen (texts); progress follows its lineage across versions.
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="+", verbose_name=_("statement"))
    lineage = models.CharField(max_length=60)
    target_level = models.PositiveSmallIntegerField(
        _("target level"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    horizon = models.CharField(_("horizon"), max_length=8, choices=Horizon.choices, default=Horizon.SHORT)
    owner = models.CharField(_("owner (department)"), max_length=120, blank=True)
    actions = models.TextField(_("actions"), max_length=4000, blank=True)
    budget = models.CharField(_("budget or financing"), max_length=500, blank=True)
    partners = models.CharField(_("partners"), max_length=500, blank=True)
    indicator = models.CharField(_("indicator"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    # The figures the item was chosen on (a round's snapshot): the starting point for progress.
    baseline = models.ForeignKey(
        Snapshot, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("starting point")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.CharField(_("created by"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["statement__position", "id"]
        verbose_name = _("roadmap item")
        verbose_name_plural = _("roadmap items")
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "lineage"], name="one_item_per_statement_on_a_roadmap"),
            models.CheckConstraint(
                condition=models.Q(target_level__gte=1, target_level__lte=5), name="roadmap_target_is_a_level"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement.key} → {self.target_level}"
