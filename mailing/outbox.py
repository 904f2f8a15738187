"""Queue e-mail in the respondent's language and deliver it with retries.

`queue_mail` renders and stores the message, then tries to send it once the transaction
commits. If that fails (mail server down), `send_due` (run by `manage.py send_outbox`)
retries with growing pauses: 1 min, 5 min, 30 min, 2 h, 6 h, then every 12 h, up to MAX_ATTEMPTS.

Every message counts towards its recipient's daily cap (ZELFSCAN_MAIL_CAP_PER_DAY, per person
behind the address, all kinds together); beyond it the message is neither stored nor sent, and
only a log line and an audit event with the masked address record it.
"""

import logging
from datetime import UTC, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone, translation

from audit.services import record
from zelfscan import rows
from zelfscan.privacy import counting_identity, mask_email

from .models import OutboxMessage

logger = logging.getLogger("zelfscan.mailing")
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
]
MAX_ATTEMPTS = 10


def retry_delay(attempts: int) -> timedelta:
    """Pause before the next try after `attempts` failed tries (pure)."""
    if attempts <= 0:
        return timedelta(0)
    if attempts <= len(RETRY_DELAYS):
        return RETRY_DELAYS[attempts - 1]
    return timedelta(hours=12)


def render_plain_text(name: str, context: dict) -> str:
    """Render a plain-text template: no HTML escaping (an "&" in a name stays "&")."""
    return get_template(name).template.render(Context(context, autoescape=False))


def render_mail(template: str, context: dict, language: str) -> tuple[str, str]:
    """Subject and body from `<template>_subject.txt` and `<template>_body.txt`, in `language`."""
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, **context}
        subject = " ".join(render_plain_text(f"{template}_subject.txt", context).split())
        body = render_plain_text(f"{template}_body.txt", context)
    return subject[:200], body


def queue_mail(
    to: str,
    template: str,
    context: dict,
    language: str,
    kind: str,
    *,
    deliver_now: bool = True,
    capped: bool = True,
) -> OutboxMessage | None:
    """Store a message; unless `deliver_now` is off, try to send it once the transaction commits.
    Messages whose sending must not show in the response time (e.g. to addresses that may be
    unknown) pass deliver_now=False and go out with the next `send_outbox` run.
    Returns None when the recipient's daily cap is reached: the caller answers its user as usual."""
    # Mail that only a signed-in coordinator or an administrator can cause (invitations, reminders,
    # role grants; limited by their own rules) is not counted: otherwise anyone could use up an
    # address's cap with registrations and silently stop its invitation.
    identity = counting_identity(to)
    if capped and over_cap(identity):
        suppress(to, kind)
        return None
    subject, body = render_mail(template, context, language)
    message = OutboxMessage(
        to=to,
        identity=identity,
        capped=capped,
        subject=subject,
        body=body,
        kind=kind,
        language=language,
        next_attempt_at=timezone.now(),
    )
    _insert_message([message])
    if deliver_now:
        # robust: whatever happens while sending, the committed registration or submission
        # is answered as the success it is; the outbox retries later.
        transaction.on_commit(lambda: deliver(message.pk), robust=True)
    return message


def over_cap(identity: str, now=None) -> bool:
    """Has this person had ZELFSCAN_MAIL_CAP_PER_DAY capped messages since midnight UTC? One
    count over the outbox (its index on identity and time); the team's own address (the contact
    form's notifications) and a cap of 0 are never limited. Two requests at the same instant may
    both pass at the limit: the cap stops floods, it is not a quota."""
    cap = settings.ZELFSCAN_MAIL_CAP_PER_DAY
    if cap <= 0 or identity == counting_identity(settings.ZELFSCAN_CONTACT_EMAIL):
        return False
    now = now or timezone.now()
    midnight = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return _capped_since(identity, midnight) >= cap


def _capped_since(identity: str, moment) -> int:
    """How many capped messages to this person the outbox holds since `moment` (the SQL built once,
    as the ORM's count() would write it: it runs on every registration and submission)."""
    built = _CAPPED_SINCE.get(connection.vendor)
    if built is None:
        quote = connection.ops.quote_name
        where = f"{quote('identity')} = %s AND {quote('capped')} AND {quote('created_at')} >= %s"
        built = _CAPPED_SINCE[connection.vendor] = (
            f"SELECT COUNT(*) FROM {quote(OutboxMessage._meta.db_table)} WHERE {where}"  # noqa: S608
        )
    with connection.cursor() as cursor:
        cursor.execute(built, [identity, connection.ops.adapt_datetimefield_value(moment)])
        return cursor.fetchone()[0]


_CAPPED_SINCE: dict[str, str] = {}


def suppress(to: str, kind: str) -> None:
    """Record a message that the daily cap stopped, without the address in clear."""
    cap = settings.ZELFSCAN_MAIL_CAP_PER_DAY
    logger.warning("mail (%s) to %s suppressed: more than %s today", kind, mask_email(to), cap)
    record("mail.suppressed", actor="system", target=mask_email(to), kind=kind, cap=cap)


# Every registration and submission delivers a message while the respondent waits: the SQL of
# these two statements is built once (zelfscan.rows) rather than by the ORM on every request.
_QUEUED = rows.Select(OutboxMessage, where=("id", "status"))
_insert_message = rows.Insert(OutboxMessage, returning=True)
_save_sent = rows.Update(OutboxMessage, ("status", "sent_at", "body", "last_error", "attempts"))


def deliver(pk: int) -> bool:
    """Try to send one queued message now. Never raises: a failure is recorded for a retry."""
    with transaction.atomic():
        message = _QUEUED.first(pk, OutboxMessage.Status.QUEUED, for_update=True)
        if message is None:
            return False
        now = timezone.now()
        message.attempts += 1
        try:
            EmailMessage(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.to]).send()
        except Exception as exc:  # noqa: BLE001 - any transport error means: try again later
            message.last_error = f"{type(exc).__name__}: {exc}"[:300]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxMessage.Status.FAILED
                message.body = ""
            message.next_attempt_at = now + retry_delay(message.attempts)
            message.save()
            logger.warning("mail %s (%s) not sent, attempt %s", message.pk, message.kind, message.attempts)
            return False
        message.status = OutboxMessage.Status.SENT
        message.sent_at = now
        message.body = ""
        message.last_error = ""
        _save_sent([message])
        return True


def send_due(limit: int = 200) -> tuple[int, int]:
    """Send queued messages whose time has come. Returns (sent, failed)."""
    due = (
        OutboxMessage.objects.filter(status=OutboxMessage.Status.QUEUED, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    sent = failed = 0
    for pk in list(due):
        if deliver(pk):
            sent += 1
        else:
            failed += 1
    return sent, failed
