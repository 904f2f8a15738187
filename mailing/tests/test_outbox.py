"""Tests for mailing/outbox.py: queueing, delivery with retries, language, and send_outbox."""

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import timezone, translation

from conftest import make_response
from mailing import outbox
from mailing.models import OutboxMessage
from mailing.outbox import MAX_ATTEMPTS, deliver, queue_mail, render_mail, retry_delay, send_due

LINK = "http://testserver/link/?t=secret-token-123"
TEMPLATE = "assessments/email/confirm"


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture
def failing_mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"


@pytest.fixture
def response_en(version, utrecht):
    response = make_response(version, utrecht, email="bob@utrecht.nl", language="en")
    # registering queued its own confirmation mail: start from an empty outbox
    OutboxMessage.objects.all().delete()
    mail.outbox.clear()
    return response


def _context(response):
    return {"response": response, "link": LINK, "validity_days": 90}


def _queue(response, language="en"):
    return queue_mail(response.email, TEMPLATE, _context(response), language, kind="confirm")


def _make_due(message):
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


# --- retry schedule (pure) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("attempts", "delay"),
    [
        (-1, timedelta(0)),
        (0, timedelta(0)),
        (1, timedelta(minutes=1)),
        (2, timedelta(minutes=5)),
        (3, timedelta(minutes=30)),
        (4, timedelta(hours=2)),
        (5, timedelta(hours=6)),
        (6, timedelta(hours=12)),
        (9, timedelta(hours=12)),
        (MAX_ATTEMPTS, timedelta(hours=12)),
    ],
)
def test_retry_delay_schedule(attempts, delay):
    assert retry_delay(attempts) == delay


# --- queue and deliver ------------------------------------------------------------------------


@pytest.mark.django_db
def test_queue_mail_stores_a_queued_message_due_now(response_en):
    before = timezone.now()
    message = _queue(response_en)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED
    assert message.to == "bob@utrecht.nl"
    assert message.kind == "confirm"
    assert message.language == "en"
    assert message.attempts == 0
    assert LINK in message.body
    assert before <= message.next_attempt_at <= timezone.now()
    assert mail.outbox == []  # nothing is sent before the transaction commits


@pytest.mark.django_db
def test_send_due_delivers_and_wipes_the_body(response_en):
    message = _queue(response_en)
    assert send_due() == (1, 0)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["bob@utrecht.nl"]
    assert sent.subject == message.subject
    assert LINK in sent.body
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.body == ""
    assert message.sent_at is not None
    assert message.attempts == 1
    assert message.last_error == ""


@pytest.mark.django_db
def test_send_due_sends_a_message_only_once(response_en):
    _queue(response_en)
    send_due()
    assert send_due() == (0, 0)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_queued_mail_is_delivered_when_the_transaction_commits(response_en, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = _queue(response_en)
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.body == ""


@pytest.mark.django_db
def test_deliver_skips_a_message_that_is_not_queued(response_en):
    message = _queue(response_en)
    assert deliver(message.pk) is True
    assert deliver(message.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_send_due_leaves_messages_that_are_not_due_yet(response_en):
    message = _queue(response_en)
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() + timedelta(minutes=5))
    assert send_due() == (0, 0)
    assert mail.outbox == []


# --- failures and retries -----------------------------------------------------------------


@pytest.mark.django_db
def test_failed_send_stays_queued_for_a_retry_a_minute_later(response_en, failing_mail):
    message = _queue(response_en)
    before = timezone.now()
    assert send_due() == (0, 1)
    after = timezone.now()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED
    assert message.attempts == 1
    assert message.last_error == "ConnectionRefusedError: mail server down"
    assert before + timedelta(minutes=1) <= message.next_attempt_at <= after + timedelta(minutes=1)
    assert LINK in message.body  # kept for the retry
    assert mail.outbox == []
    # not due again until the minute has passed
    assert send_due() == (0, 0)
    message.refresh_from_db()
    assert message.attempts == 1


@pytest.mark.django_db
def test_failed_send_with_patched_send_is_recorded(response_en, monkeypatch):
    def broken_send(self, fail_silently=False):
        raise OSError("connection reset")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken_send)
    message = _queue(response_en)
    assert deliver(message.pk) is False
    message.refresh_from_db()
    assert message.last_error == "OSError: connection reset"
    assert message.status == OutboxMessage.Status.QUEUED


@pytest.mark.django_db
def test_retry_succeeds_once_the_server_is_back(response_en, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    message = _queue(response_en)
    send_due()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _make_due(message)
    assert send_due() == (1, 0)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 2
    assert message.last_error == ""
    assert message.body == ""
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_after_max_attempts_the_message_fails_and_its_body_is_wiped(response_en, failing_mail):
    message = _queue(response_en)
    for attempt in range(1, MAX_ATTEMPTS):
        _make_due(message)
        assert send_due() == (0, 1)
        message.refresh_from_db()
        assert message.attempts == attempt
        assert message.status == OutboxMessage.Status.QUEUED
        assert message.body != ""
    _make_due(message)
    assert send_due() == (0, 1)
    message.refresh_from_db()
    assert message.attempts == MAX_ATTEMPTS
    assert message.status == OutboxMessage.Status.FAILED
    assert message.body == ""
    assert message.last_error
    # a failed message is never tried again
    _make_due(message)
    assert send_due() == (0, 0)
    message.refresh_from_db()
    assert message.attempts == MAX_ATTEMPTS


# --- language ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "nl"])
def test_mail_is_rendered_with_the_language_asked_active(response_en, monkeypatch, language):
    seen = []
    real_render = outbox.render_plain_text

    def recording_render(template_name, context):
        seen.append(translation.get_language())
        return real_render(template_name, context)

    monkeypatch.setattr(outbox, "render_plain_text", recording_render)
    other = "nl" if language == "en" else "en"
    with translation.override(other):
        message = _queue(response_en, language=language)
        assert translation.get_language() == other  # restored afterwards
    assert seen == [language, language]  # subject and body
    assert message.language == language


@pytest.mark.django_db
def test_english_mail_is_in_english(response_en):
    with translation.override("nl"):
        subject, body = render_mail(TEMPLATE, _context(response_en), "en")
    assert subject == "Your personal link for the Smart City Self-Assessment"
    assert "Open this personal link to confirm your e-mail address" in body
    assert "for Utrecht" in body
    assert LINK in body
    assert "90 days" in body
    assert "http://testserver" in body  # site_url is added to the context


@pytest.mark.django_db
def test_dutch_mail_renders_with_the_link(response_en):
    # The Dutch catalogue may not be complete yet: only check that it renders and carries the link.
    subject, body = render_mail(TEMPLATE, _context(response_en), "nl")
    assert subject.strip()
    assert "\n" not in subject
    assert LINK in body
    assert "Utrecht" in body


def test_plain_text_subject_is_not_html_escaped():
    # contact/email/notification_subject.txt puts the organisation in the subject; a mail subject is
    # plain text, so "&" and "'" must arrive as typed.
    subject, body = render_mail(
        "contact/email/notification", {"request": SimpleNamespace(organisation="Smith & Co 's-Hertogenbosch")}, "en"
    )
    assert "Smith & Co 's-Hertogenbosch" in body  # the body template switches autoescape off
    assert subject == "New Zelfscan request from Smith & Co 's-Hertogenbosch"


@pytest.mark.django_db
def test_registration_queues_the_confirmation_in_the_respondents_language(version, utrecht):
    OutboxMessage.objects.all().delete()
    make_response(version, utrecht, email="carla@utrecht.nl", language="en")
    message = OutboxMessage.objects.get()
    assert (message.to, message.kind, message.language) == ("carla@utrecht.nl", "confirm", "en")
    assert "http://testserver/link/?t=" in message.body


# --- send_outbox command ---------------------------------------------------------------------


@pytest.mark.django_db
def test_send_outbox_command_sends_due_mail(response_en):
    message = _queue(response_en)
    out = io.StringIO()
    call_command("send_outbox", stdout=out)
    assert out.getvalue().strip() == "sent 1, not sent 0"
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


@pytest.mark.django_db
def test_send_outbox_command_reports_failures(response_en, failing_mail):
    _queue(response_en)
    out = io.StringIO()
    call_command("send_outbox", stdout=out)
    assert out.getvalue().strip() == "sent 0, not sent 1"


@pytest.mark.django_db
def test_send_outbox_command_is_quiet_with_nothing_to_send():
    OutboxMessage.objects.all().delete()
    out = io.StringIO()
    call_command("send_outbox", stdout=out)
    assert out.getvalue() == ""
