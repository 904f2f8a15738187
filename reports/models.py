"""Published aggregate snapshots: comparisons are served from these, never from live counts."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from organisations.models import Municipality
from rounds.models import Round


class Snapshot(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="snapshots")
    # A snapshot is of one round; a named round's last snapshot is published when it closes.
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="snapshots")
    published = models.BooleanField(default=False)
    # Demo data counts only in demo mode; the two kinds of snapshot are kept apart.
    include_demo = models.BooleanField(default=False)
    taken_at = models.DateTimeField(db_index=True)
    n_responses = models.PositiveIntegerField()
    # {lineage: {"current": [dk, l1..l5], "desired": [dk, l1..l5]}}
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-taken_at", "-id"]
        get_latest_by = "taken_at"
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")

    def __str__(self) -> str:
        return f"{self.municipality} {self.taken_at:%Y-%m-%d %H:%M} (n={self.n_responses})"
