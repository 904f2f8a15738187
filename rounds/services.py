"""The rounds write layer: which round a new response joins, and closing rounds."""

import datetime
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import record
from instrument.models import InstrumentVersion
from mailing.outbox import queue_mail
from organisations.models import Municipality
from zelfscan import rows
from zelfscan.privacy import counting_identity

from .models import Department, Invitation, InvitationToken, Round


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


# A municipality's rounds: a handful (its continuous round and a few named ones a year), read in
# one statement built once (zelfscan.rows), and chosen from in Python.
_ROUNDS_OF = rows.Select(Round, where=("municipality",))


def open_among(rounds, today: datetime.date) -> Round | None:
    """The named round of `rounds` open on `today` (rounds of one municipality never overlap; the
    latest opened wins should they ever)."""
    open_ = [
        r
        for r in rounds
        if r.kind == Round.Kind.NAMED
        and r.closed_at is None
        and r.opens_on is not None
        and r.closes_on is not None
        and r.opens_on <= today <= r.closes_on
    ]
    return max(open_, key=lambda r: (r.opens_on, r.id), default=None)


def round_for_new_response(municipality: Municipality, today: datetime.date | None = None) -> Round:
    """Responses started while a named round is open belong to it; otherwise to the continuous round."""
    rounds = _ROUNDS_OF.all(municipality.pk)
    found = open_among(rounds, today or timezone.localdate())
    if found is None:
        found = next((r for r in rounds if r.kind == Round.Kind.CONTINUOUS), None)
    return found or continuous_round(municipality)


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


# --- invitations ---

REMINDER_INTERVAL = datetime.timedelta(days=3)
MAX_REMINDERS = 3
OPT_OUT_SALT = "zelfscan.rounds.reminder-opt-out"


def issue_invitation_token(invitation: Invitation) -> str:
    raw = secrets.token_urlsafe(32)
    InvitationToken.objects.create(invitation=invitation, token_hash=InvitationToken.hash(raw))
    return raw


def invitation_link(raw: str) -> str:
    return f"{settings.SITE_URL}{reverse('rounds:accept')}?t={raw}"


def opt_out_link(invitation: Invitation) -> str:
    value = signing.dumps(invitation.pk, salt=OPT_OUT_SALT)
    return f"{settings.SITE_URL}{reverse('rounds:opt_out')}?t={value}"


def invitation_from_opt_out(value: str) -> Invitation | None:
    try:
        pk = signing.loads(value, salt=OPT_OUT_SALT, max_age=60 * 60 * 24 * 365)
    except signing.BadSignature:
        return None
    return Invitation.objects.filter(pk=pk).first()


def check_invitation_token(raw: str) -> tuple[Invitation | None, str]:
    """(invitation, state): state is "valid", "expired" (older than the link validity, or the
    round takes no answers any more) or "unknown"."""
    if not raw or len(raw) > 100:
        return None, "unknown"
    token = (
        InvitationToken.objects.select_related("invitation__round__municipality", "invitation__response")
        .filter(token_hash=InvitationToken.hash(raw))
        .first()
    )
    if token is None:
        return None, "unknown"
    invitation = token.invitation
    if timezone.now() - token.created_at > datetime.timedelta(days=settings.ZELFSCAN_LINK_VALIDITY_DAYS):
        return invitation, "expired"
    if not invitation.round.accepts_answers():
        return invitation, "closed"
    return invitation, "valid"


def _send_invitation(invitation: Invitation, template: str, kind: str, *, reminder: bool) -> None:
    from assessments.models import AccessToken
    from assessments.services import issue_token, personal_link

    response = invitation.response
    if response is not None and response.tokens.filter(kind=AccessToken.Kind.PERSONAL).exists():
        link = personal_link(issue_token(response))  # already started: straight back to the answers
    else:
        link = invitation_link(issue_invitation_token(invitation))
    round_ = invitation.round
    queue_mail(
        invitation.email,
        template,
        {
            "invitation": invitation,
            "round": round_,
            "municipality": round_.municipality,
            "link": link,
            "opt_out": opt_out_link(invitation) if reminder else None,
            "closes_on": round_.closes_on,
            "k": settings.ZELFSCAN_K,
        },
        invitation.language,
        kind=kind,
        deliver_now=False,
        capped=False,
    )


@dataclass
class InviteResult:
    invited: list = field(default_factory=list)
    already: list = field(default_factory=list)
    departments_added: list = field(default_factory=list)


@transaction.atomic
def invite(round_: Round, invitees, *, invited_by: str) -> InviteResult:
    """Invite people to a round: each new address gets its personal link (an address already
    invited to this round is skipped). Departments not yet on the municipality's list are added."""
    result = InviteResult()
    known = set(Invitation.objects.filter(round=round_).values_list("identity", flat=True))
    departments = set(Department.objects.filter(municipality=round_.municipality).values_list("name", flat=True))
    for invitee in invitees:
        identity = counting_identity(invitee.email)
        if identity in known:
            result.already.append(invitee.email)
            continue
        known.add(identity)
        if invitee.department and invitee.department not in departments:
            Department.objects.create(municipality=round_.municipality, name=invitee.department)
            departments.add(invitee.department)
            result.departments_added.append(invitee.department)
        invitation = Invitation.objects.create(
            round=round_,
            email=invitee.email,
            name=invitee.name,
            department=invitee.department,
            role=invitee.role,
            language=invitee.language,
            invited_by=invited_by,
        )
        _send_invitation(invitation, "rounds/email/invitation", "invitation", reminder=False)
        result.invited.append(invitation)
    if result.invited:
        record(
            "round.invited",
            actor=invited_by,
            target=f"round#{round_.pk}",
            municipality=round_.municipality_id,
            count=len(result.invited),
        )
    return result


def reminder_due(invitation: Invitation, now: datetime.datetime) -> bool:
    """At most one reminder every 3 days after the last mail, at most 3 in all, none after an
    opt-out or once finished, only while the round takes answers."""
    if invitation.opted_out_at is not None or invitation.reminders_sent >= MAX_REMINDERS:
        return False
    if invitation.status == Invitation.Status.FINISHED:
        return False
    last_mail = invitation.last_reminded_at or invitation.invited_at
    return now - last_mail >= REMINDER_INTERVAL and invitation.round.accepts_answers(timezone.localdate(now))


def send_reminders(round_: Round, now: datetime.datetime | None = None, *, by: str = "system") -> int:
    now = now or timezone.now()
    sent = 0
    invitations = Invitation.objects.filter(round=round_).select_related("round__municipality", "response")
    for invitation in invitations:
        if not reminder_due(invitation, now):
            continue
        with transaction.atomic():
            locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if locked.reminders_sent != invitation.reminders_sent:
                continue  # another run just reminded this person
            _send_invitation(invitation, "rounds/email/reminder", "reminder", reminder=True)
            Invitation.objects.filter(pk=invitation.pk).update(
                reminders_sent=invitation.reminders_sent + 1, last_reminded_at=now
            )
        sent += 1
    if sent:
        record("round.reminded", actor=by, target=f"round#{round_.pk}", municipality=round_.municipality_id, count=sent)
    return sent


@transaction.atomic
def accept_invitation(invitation: Invitation, *, name: str, domain: str, role: str, department: str):
    """The invitee opened their link and confirmed their details: their response starts in the
    invitation's round, with the address confirmed (the link reached it)."""
    from assessments.models import Response

    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    linked = locked.response
    if linked is not None and linked.email_confirmed_at is not None and linked.identity == locked.identity:
        return linked
    round_ = locked.round
    response = Response.objects.create(
        instrument_version=version_for(round_),
        municipality=round_.municipality,
        round=round_,
        email=locked.email,
        name=name.strip(),
        domain=domain,
        role=role,
        department=department,
        language=locked.language,
        email_confirmed_at=timezone.now(),
    )
    locked.response = response
    locked.save(update_fields=["response"])
    invitation.response = response
    return response
