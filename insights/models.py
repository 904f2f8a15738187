"""Breakdown snapshots: a round snapshot's counts per department, domain and role.

A round snapshot (reports.Snapshot) holds counts per statement for the whole round. The
department and role view needs counts per group, taken at the same moment: one breakdown per
round snapshot, made when the snapshot is made (or, for a snapshot from before this app, the
first time it is shown, from the responses as they counted then) and never recomputed. So the
breakdown moves only when the round's snapshot moves (after K new counted responses).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.models import Snapshot


class BreakdownSnapshot(models.Model):
    snapshot = models.OneToOneField(Snapshot, on_delete=models.CASCADE, related_name="breakdown")
    created_at = models.DateTimeField(auto_now_add=True)
    # {"department" | "domain" | "role": {group: {lineage: {"current": [dk, l1..l5], "desired": [...]}}}}
    counts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("breakdown snapshot")
        verbose_name_plural = _("breakdown snapshots")

    def __str__(self) -> str:
        return f"breakdown of {self.snapshot}"

    def groups(self, dimension: str) -> dict:
        return self.counts.get(dimension, {})

    def total(self) -> dict | None:
        """The round's counts these groups belong to, when the breakdown was carried over from an
        earlier snapshot (see insights.breakdown.breakdown_for); None: the snapshot's own counts."""
        return self.counts.get(TOTAL_KEY)


# The key under which a carried-over breakdown keeps the round counts it was taken with.
TOTAL_KEY = "_total"
