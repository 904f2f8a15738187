"""A respondent's download and deletion of everything held about their address, each after a
fresh confirmation through e-mail (privacy-model.md, "Personal links and sessions")."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessments.models import Response
from audit.services import record
from mailing.outbox import queue_mail
from zelfscan.privacy import mask_email

from .models import REQUEST_VALIDITY, DataRequest
from .registry import ERASED_SUFFIX, Subject, personal_data_tables

FORMAT = "zelfscan-personal-data/1"
# A second request for the same purpose within this time sends no second e-mail.
RESEND_INTERVAL = timedelta(minutes=5)


def confirmation_link(raw_token: str) -> str:
    return f"{settings.SITE_URL}{reverse('dataprotection:confirm')}?t={raw_token}"


def validity_hours() -> int:
    return int(REQUEST_VALIDITY.total_seconds() // 3600)


@transaction.atomic
def request_confirmation(response: Response, purpose: str) -> bool:
    """E-mail a confirmation link for a download or a deletion of everything held about the
    response's address. Returns False when no e-mail was sent (one went out just now)."""
    if purpose not in DataRequest.Purpose.values:
        raise ValueError(f"unknown purpose {purpose!r}")
    if response.email.endswith(ERASED_SUFFIX):
        return False
    now = timezone.now()
    DataRequest.objects.filter(expires_at__lte=now).delete()
    identity = Subject.of(response.email).identity
    recent = DataRequest.objects.filter(
        identity=identity, purpose=purpose, used_at__isnull=True, created_at__gt=now - RESEND_INTERVAL
    )
    if recent.exists():
        return False
    raw = secrets.token_urlsafe(32)
    DataRequest.objects.create(
        purpose=purpose,
        identity=identity,
        token_hash=DataRequest.hash(raw),
        created_at=now,
        expires_at=now + REQUEST_VALIDITY,
    )
    queue_mail(
        response.email,
        f"dataprotection/email/{purpose}",
        {"link": confirmation_link(raw), "hours": validity_hours()},
        response.language,
        kind=f"data_{purpose}",
    )
    return True


@dataclass
class RequestCheck:
    request: DataRequest | None
    state: str  # "valid", "expired", "used" (a deletion carried out) or "unknown"


def check_request(raw: str) -> RequestCheck:
    if not raw or len(raw) > 100:
        return RequestCheck(None, "unknown")
    request = DataRequest.objects.filter(token_hash=DataRequest.hash(raw)).first()
    if request is None:
        return RequestCheck(None, "unknown")
    if request.purpose == DataRequest.Purpose.DELETE and request.used_at is not None:
        return RequestCheck(request, "used")
    if request.expires_at <= timezone.now():
        return RequestCheck(request, "expired")
    return RequestCheck(request, "valid")


def held_about(identity: str) -> dict:
    """Everything every registered table holds about this person, JSON-ready."""
    subject = Subject(identity)
    data = {"format": FORMAT, "exported_at": timezone.now().isoformat(), "email_identity": identity}
    for table in personal_data_tables():
        data[table.name] = table.export(subject)
    return data


def download(request: DataRequest) -> dict:
    """The download of a valid download request; the link works until it expires."""
    data = held_about(request.identity)
    DataRequest.objects.filter(pk=request.pk).update(used_at=timezone.now())
    counts = {name: len(rows) for name, rows in data.items() if isinstance(rows, list)}
    record("personal_data.downloaded", actor="respondent", target=mask_email(request.identity), **counts)
    return data


def overview(identity: str) -> list[Response]:
    """The responses a deletion would remove, for the confirmation page."""
    return list(Response.objects.filter(identity=identity).select_related("municipality").order_by("created_at", "pk"))


@transaction.atomic
def delete_everything(request: DataRequest) -> dict[str, int] | None:
    """Carry out a deletion request once: delete every row about the person in every registered
    table. Returns the counts per table, or None if the request was used or expired meanwhile."""
    now = timezone.now()
    locked = DataRequest.objects.select_for_update().filter(pk=request.pk).first()
    if locked is None or locked.purpose != DataRequest.Purpose.DELETE:
        return None
    if locked.used_at is not None or locked.expires_at <= now:
        return None
    subject = Subject(locked.identity)
    # The request itself forgets the person; its hash stays until it expires, to tell a second
    # press of the button that the deletion was done.
    locked.used_at = now
    locked.identity = ""
    locked.save(update_fields=["used_at", "identity"])
    counts = {table.name: table.delete(subject) for table in personal_data_tables()}
    record("deletion.respondent", actor="respondent", target=mask_email(subject.identity), **counts)
    return counts
