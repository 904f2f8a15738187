"""The personal-data entries of the registry (registry.TABLES): one per table.

Retention keeps what statistics need: a response's levels, municipality, round, instrument
version, language and dates stay; its notes, name, e-mail address, domain, department and role
go, and its links are revoked. Invitations lose address, name, department and role (their round,
dates and status stay); contact requests lose name, address and message; outbox messages and
expired download or deletion requests are deleted whole, and so are rate-limit counters whose
window has ended.
"""

from datetime import UTC, datetime

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat

from assessments.models import AccessToken, Answer, Response
from assessments.signals import counted_responses_changed
from contact.models import ContactRequest
from mailing.models import OutboxMessage
from rounds.models import Invitation, InvitationToken
from throttling.models import Counter
from throttling.services import PURGE_AFTER, value_digest

from .models import DataRequest
from .registry import ERASED_SUFFIX, PersonalData, Subject, chunks, stamp

# --- Responses (answers and links belong to them) ---


def responses_to_expire(cutoff):
    """Responses not yet erased whose last activity was before `cutoff`: last saved (answers,
    registration, submission) before it, and no personal link opened since. (Creating a link
    is not activity: anyone can ask for new links for any address.)"""
    recent_link_use = AccessToken.objects.filter(
        response=OuterRef("pk"), kind=AccessToken.Kind.PERSONAL, last_used_at__gte=cutoff
    )
    return (
        Response.objects.filter(updated_at__lt=cutoff)
        .exclude(email__endswith=ERASED_SUFFIX)
        .exclude(Exists(recent_link_use))
    )


def placeholder_address(prefix: str):
    """A database expression: "<prefix><id>@erased.invalid", unique per row."""
    return Concat(Value(prefix), Cast("pk", output_field=CharField()), Value(ERASED_SUFFIX))


def expire_responses(*, cutoff, now, dry_run: bool) -> int:
    ids = list(responses_to_expire(cutoff).values_list("pk", flat=True))
    if dry_run:
        return len(ids)
    placeholder = placeholder_address("erased-")
    for part in chunks(ids):
        # update() leaves the auto_now dates alone: dates are kept for statistics.
        Answer.objects.filter(response_id__in=part).exclude(note="").update(note="")
        AccessToken.objects.filter(response_id__in=part, revoked_at__isnull=True).update(revoked_at=now)
        Response.objects.filter(pk__in=part).update(
            email=placeholder, identity=placeholder, name="", domain="", department="", role=""
        )
    return len(ids)


def export_responses(subject: Subject) -> list[dict]:
    responses = (
        Response.objects.filter(identity=subject.identity)
        .select_related("municipality", "instrument_version", "round")
        .prefetch_related("answers__statement", "tokens", "compare_with")
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": str(r.public_id),
            "email": r.email,
            "name": r.name,
            "municipality": {"code": r.municipality_id, "name": str(r.municipality)},
            "round": r.round.display_name,
            "domain": r.domain,
            "domain_label": str(r.get_domain_display()),
            "department": r.department,
            "role": r.role,
            "role_label": str(r.get_role_display()),
            "language": r.language,
            "instrument_version": r.instrument_version.version,
            "created_at": stamp(r.created_at),
            "last_saved_at": stamp(r.updated_at),
            "email_confirmed_at": stamp(r.email_confirmed_at),
            "submitted_at": stamp(r.submitted_at),
            "counted_since": stamp(r.counted_at),
            "replaced_by_later_submission_at": stamp(r.superseded_at),
            "compared_with": sorted(m.pk for m in r.compare_with.all()),
            "answers": [
                {
                    "statement": a.statement.key,
                    "topic": a.statement.get_topic(),
                    "now": a.current,
                    "in_3_to_5_years": a.desired,
                    "note": a.note,
                    "last_saved_at": stamp(a.updated_at),
                }
                for a in sorted(r.answers.all(), key=lambda a: (a.statement.position, a.statement.key))
            ],
            "links": [
                {
                    "kind": t.kind,
                    "created_at": stamp(t.created_at),
                    "last_used_at": stamp(t.last_used_at),
                    "revoked_at": stamp(t.revoked_at),
                }
                for t in sorted(r.tokens.all(), key=lambda t: t.pk)
            ],
        }
        for r in responses
    ]


def delete_responses(subject: Subject) -> int:
    rows = list(Response.objects.filter(identity=subject.identity).values_list("pk", "municipality_id", "round_id"))
    if not rows:
        return 0
    Response.objects.filter(pk__in=[pk for pk, _code, _round in rows]).delete()  # answers and links cascade
    # The existing refresh path (reports.aggregates.refresh_snapshot_if_due): every snapshot taken
    # from now on leaves these answers out. It still refreshes only after K new responses (and a
    # closed round keeps its published snapshot), so a deletion never reveals the deleted answers
    # as the difference of two snapshots.
    for code, round_id in sorted({(code, round_id) for _pk, code, round_id in rows}):
        transaction.on_commit(
            lambda code=code, round_id=round_id: counted_responses_changed.send(
                sender=Response, municipality_id=code, round_id=round_id
            )
        )
    return len(rows)


RESPONSES = PersonalData("responses", expire_responses, export_responses, delete_responses)


# --- Invitations to a round (rounds app) ---


def invitations_to_expire(cutoff):
    """Invitations not yet erased, sent and last reminded before `cutoff`, whose response (if
    any) has been erased already (the responses entry runs first)."""
    return (
        Invitation.objects.filter(invited_at__lt=cutoff)
        .exclude(last_reminded_at__gte=cutoff)
        .exclude(email__endswith=ERASED_SUFFIX)
        .filter(Q(response__isnull=True) | Q(response__email__endswith=ERASED_SUFFIX))
    )


def expire_invitations(*, cutoff, now, dry_run: bool) -> int:
    ids = list(invitations_to_expire(cutoff).values_list("pk", flat=True))
    if dry_run:
        return len(ids)
    placeholder = placeholder_address("erased-invitation-")
    for part in chunks(ids):
        InvitationToken.objects.filter(invitation_id__in=part).delete()  # the invitation links stop working
        Invitation.objects.filter(pk__in=part).update(
            email=placeholder, identity=placeholder, name="", department="", role=""
        )
    return len(ids)


def export_invitations(subject: Subject) -> list[dict]:
    rows = (
        Invitation.objects.filter(identity=subject.identity)
        .select_related("round", "response")
        .order_by("invited_at", "pk")
    )
    return [
        {
            "municipality": i.round.municipality_id,
            "round": i.round.display_name,
            "email": i.email,
            "name": i.name,
            "department": i.department,
            "role": i.role,
            "language": i.language,
            "invited_at": stamp(i.invited_at),
            "status": i.status,
            "reminders_sent": i.reminders_sent,
            "last_reminded_at": stamp(i.last_reminded_at),
            "no_reminders_since": stamp(i.opted_out_at),
        }
        for i in rows
    ]


def delete_invitations(subject: Subject) -> int:
    return Invitation.objects.filter(identity=subject.identity).delete()[1].get("rounds.Invitation", 0)


INVITATIONS = PersonalData("invitations", expire_invitations, export_invitations, delete_invitations)


# --- Contact and workshop requests ---


def expire_contact_requests(*, cutoff, now, dry_run: bool) -> int:
    rows = ContactRequest.objects.filter(created_at__lt=cutoff).exclude(email="", name="", message="")
    if dry_run:
        return rows.count()
    # Organisation, topic, language, status and date stay: they say nothing about a person.
    return rows.update(name="", email="", message="")


def export_contact_requests(subject: Subject) -> list[dict]:
    return [
        {
            "name": c.name,
            "email": c.email,
            "organisation": c.organisation,
            "topic": c.topic,
            "message": c.message,
            "language": c.language,
            "status": c.status,
            "received_at": stamp(c.created_at),
        }
        for c in subject.rows(ContactRequest.objects.all(), "email").order_by("created_at", "pk")
    ]


def delete_contact_requests(subject: Subject) -> int:
    return subject.rows(ContactRequest.objects.all(), "email").delete()[0]


CONTACT_REQUESTS = PersonalData(
    "contact_requests", expire_contact_requests, export_contact_requests, delete_contact_requests
)


# --- The mail outbox (bodies are wiped once sent; the rest is delivery metadata) ---


def expire_outbox_messages(*, cutoff, now, dry_run: bool) -> int:
    rows = OutboxMessage.objects.filter(created_at__lt=cutoff)
    return rows.count() if dry_run else rows.delete()[0]


def export_outbox_messages(subject: Subject) -> list[dict]:
    # Metadata only: an unsent body may hold a live personal link, which a file should not.
    return [
        {
            "to": m.to,
            "kind": m.kind,
            "subject": m.subject,
            "language": m.language,
            "status": m.status,
            "attempts": m.attempts,
            "created_at": stamp(m.created_at),
            "sent_at": stamp(m.sent_at),
        }
        for m in subject.rows(OutboxMessage.objects.all(), "to").order_by("created_at", "pk")
    ]


def delete_outbox_messages(subject: Subject) -> int:
    return subject.rows(OutboxMessage.objects.all(), "to").delete()[0]


OUTBOX_MESSAGES = PersonalData(
    "outbox_messages", expire_outbox_messages, export_outbox_messages, delete_outbox_messages
)


# --- Download and deletion requests (this app) ---


def expire_data_requests(*, cutoff, now, dry_run: bool) -> int:
    """Requests are deleted as soon as their link has expired, whatever the retention period."""
    rows = DataRequest.objects.filter(expires_at__lte=now)
    return rows.count() if dry_run else rows.delete()[0]


def export_data_requests(subject: Subject) -> list[dict]:
    return [
        {
            "purpose": d.purpose,
            "created_at": stamp(d.created_at),
            "expires_at": stamp(d.expires_at),
            "last_used_at": stamp(d.used_at),
        }
        for d in DataRequest.objects.filter(identity=subject.identity).order_by("created_at", "pk")
    ]


def delete_data_requests(subject: Subject) -> int:
    return DataRequest.objects.filter(identity=subject.identity).delete()[0]


DATA_REQUESTS = PersonalData("data_requests", expire_data_requests, export_data_requests, delete_data_requests)


# --- Rate-limit counters (throttling): a keyed hash of the address, per action and window ---


def _subject_counters(subject: Subject):
    return Counter.objects.filter(key__endswith=":" + value_digest(subject.identity))


def expire_rate_limit_counters(*, cutoff, now, dry_run: bool) -> int:
    """Counters go a minute after their window (at most a day) ends, whatever the retention period;
    workers purge them as they count, this catches the ones left when nobody came back."""
    ended = Counter.objects.filter(ends_at__lt=now.timestamp() - PURGE_AFTER)
    return ended.count() if dry_run else ended.delete()[0]


def export_rate_limit_counters(subject: Subject) -> list[dict]:
    return [
        {
            "action": key.split(":", 1)[0],
            "window_ends_at": stamp(datetime.fromtimestamp(ends_at, UTC)),
            "attempts": count,
        }
        for key, ends_at, count in _subject_counters(subject)
        .order_by("ends_at", "key")
        .values_list("key", "ends_at", "count")
    ]


def delete_rate_limit_counters(subject: Subject) -> int:
    return _subject_counters(subject).delete()[0]


RATE_LIMIT_COUNTERS = PersonalData(
    "rate_limit_counters", expire_rate_limit_counters, export_rate_limit_counters, delete_rate_limit_counters
)
