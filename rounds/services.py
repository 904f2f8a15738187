"""The rounds write layer: which round a new response joins, and closing rounds."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from instrument.models import InstrumentVersion
from organisations.models import Municipality

from .models import Invitation, Round


def continuous_round(municipality: Municipality) -> Round:
    """The municipality's continuous round, made the first time it is needed."""
    found = Round.objects.filter(municipality=municipality, kind=Round.Kind.CONTINUOUS).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Round.objects.create(municipality=municipality, kind=Round.Kind.CONTINUOUS, name="Continuous round")
    except IntegrityError:  # made by a concurrent request
        return Round.objects.get(municipality=municipality, kind=Round.Kind.CONTINUOUS)


def open_named_round(municipality: Municipality, today: datetime.date | None = None) -> Round | None:
    today = today or timezone.localdate()
    return (
        Round.objects.filter(
            municipality=municipality,
            kind=Round.Kind.NAMED,
            closed_at__isnull=True,
            opens_on__lte=today,
            closes_on__gte=today,
        )
        .order_by("-opens_on", "-id")
        .first()
    )


def round_for_new_response(municipality: Municipality, today: datetime.date | None = None) -> Round:
    """Responses started while a named round is open belong to it; otherwise to the continuous round."""
    return open_named_round(municipality, today) or continuous_round(municipality)


def version_for(round_: Round) -> InstrumentVersion:
    return round_.instrument_version or InstrumentVersion.objects.current()


def may_count(round_: Round, identity: str) -> bool:
    """In an invite-only round only invited addresses count (privacy-model.md)."""
    if not round_.invite_only:
        return True
    return Invitation.objects.filter(round=round_, identity=identity).exists()


def overlapping_round(municipality: Municipality, opens_on, closes_on, exclude_pk=None) -> Round | None:
    """A named round of the same municipality whose period overlaps (rounds may not overlap,
    so that "the round a response starts in" is never ambiguous)."""
    rounds = Round.objects.filter(
        municipality=municipality, kind=Round.Kind.NAMED, opens_on__lte=closes_on, closes_on__gte=opens_on
    )
    if exclude_pk is not None:
        rounds = rounds.exclude(pk=exclude_pk)
    return rounds.first()


@transaction.atomic
def finalise(round_: Round, now: datetime.datetime | None = None) -> bool:
    """After its grace period: publish the round's snapshot and move responses that were not
    submitted to the continuous round (nothing entered is lost). Returns False when not due."""
    from assessments.models import Response
    from reports.aggregates import publish_snapshot

    now = now or timezone.now()
    locked = Round.objects.select_for_update().get(pk=round_.pk)
    if locked.is_continuous or locked.closed_at is not None:
        return False
    if timezone.localdate(now) <= locked.grace_ends_on:
        return False
    unfinished = Response.objects.filter(round=locked, submitted_at__isnull=True)
    unfinished.update(round=continuous_round(locked.municipality))
    publish_snapshot(locked, now)
    locked.closed_at = now
    locked.save(update_fields=["closed_at"])
    round_.closed_at = now
    return True


def finalise_due_rounds(now: datetime.datetime | None = None) -> list[Round]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = Round.objects.filter(kind=Round.Kind.NAMED, closed_at__isnull=True, closes_on__lt=today)
    return [round_ for round_ in due if finalise(round_, now)]
