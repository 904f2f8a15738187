"""Respondents' requests to download or delete their data, and the log of retention runs."""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zelfscan.privacy import token_hash

# A confirmation link for a download or a deletion works this long after it was e-mailed.
REQUEST_VALIDITY = timedelta(hours=24)


class DataRequest(models.Model):
    """A confirmation e-mailed to a respondent's address before a download or a deletion.

    Only the hash of the token is kept. `identity` (zelfscan.privacy.counting_identity) names
    the person while the request is open; it is blanked when a deletion is carried out, and
    expired requests are deleted (by the next request and by `apply_retention`).
    """

    class Purpose(models.TextChoices):
        DOWNLOAD = "download", _("download")
        DELETE = "delete", _("deletion")

    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    identity = models.CharField(max_length=254, db_index=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.purpose} request {self.pk}"

    @staticmethod
    def hash(token: str) -> str:
        return token_hash(token)


class RetentionRun(models.Model):
    """One run of `apply_retention`: dates and counts per table, nothing about any person."""

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    retention_days = models.PositiveIntegerField(_("retention period (days)"))
    cutoff = models.DateTimeField(_("erased what was last active before"))
    # {"responses": 3, "contact requests": 0, ...}
    counts = models.JSONField(_("rows erased per table"), default=dict)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} ({self.total} rows)"

    @property
    def total(self) -> int:
        return sum(self.counts.values())
