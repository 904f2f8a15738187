"""Retention (privacy-model.md, "Data kept"): after ZELFSCAN_RETENTION_DAYS without activity,
personal fields are erased in every table of the registry; a log keeps counts and dates only."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.services import record

from .models import RetentionRun
from .registry import personal_data_tables


@dataclass
class RetentionResult:
    cutoff: datetime
    counts: dict[str, int]
    dry_run: bool
    run: RetentionRun | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def retention_cutoff(now: datetime, days: int) -> datetime:
    """Whatever was last active before this moment is past the retention period (pure)."""
    return now - timedelta(days=days)


def apply_retention(*, now: datetime | None = None, days: int | None = None, dry_run: bool = False) -> RetentionResult:
    """Erase what is past the period in every registered table, in one transaction, and log the
    counts (a RetentionRun and an audit event). With `dry_run`, count only and change nothing."""
    now = now or timezone.now()
    days = settings.ZELFSCAN_RETENTION_DAYS if days is None else days
    cutoff = retention_cutoff(now, days)
    with transaction.atomic():
        counts = {table.name: table.expire(cutoff=cutoff, now=now, dry_run=dry_run) for table in personal_data_tables()}
        if dry_run:
            return RetentionResult(cutoff, counts, dry_run=True)
        run = RetentionRun.objects.create(
            started_at=now, finished_at=timezone.now(), retention_days=days, cutoff=cutoff, counts=counts
        )
        record("retention.applied", actor="apply_retention", cutoff=cutoff.isoformat(), days=days, **counts)
    return RetentionResult(cutoff, counts, dry_run=False, run=run)
