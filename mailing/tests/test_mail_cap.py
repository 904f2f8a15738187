"""The per-recipient daily cap in the outbox: every kind of mail counts, beyond the cap nothing is
stored or sent, the suppression is logged and audited with a masked address, and the pages
people see answer exactly as before."""

import logging

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from mailing.models import OutboxMessage
from mailing.outbox import queue_mail
from throttling import services

T = 1772446800.0  # 2026-03-02 10:20:00 UTC
NEXT_DAY = 1772496000.0  # 2026-03-03 00:00:00 UTC
TEMPLATE = "contact/email/confirmation"


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    moment = {"now": T}
    monkeypatch.setattr(services, "now", lambda: moment["now"])
    return moment


def _queue(to, kind="contact_confirmation"):
    return queue_mail(to, TEMPLATE, {}, "nl", kind=kind)


@pytest.mark.django_db
def test_mail_beyond_the_daily_cap_is_neither_stored_nor_sent_but_logged_and_audited(settings, caplog):
    settings.ZELFSCAN_MAIL_CAP_PER_DAY = 10
    for number in range(10):
        assert _queue("alice@utrecht.nl", kind="confirm" if number % 2 else "new_links") is not None
    with caplog.at_level(logging.WARNING, logger="zelfscan.mailing"):
        assert _queue("alice@utrecht.nl", kind="report_ready") is None
    assert OutboxMessage.objects.filter(to="alice@utrecht.nl").count() == 10
    event = AuditEvent.objects.get(action="mail.suppressed")
    assert (event.actor, event.target, event.detail) == ("system", "a***@u***.nl", {"kind": "report_ready", "cap": 10})
    assert "mail (report_ready) to a***@u***.nl suppressed: more than 10 today" in caplog.text
    assert "alice@" not in caplog.text


@pytest.mark.django_db
def test_the_cap_counts_the_person_not_the_spelling(settings):
    settings.ZELFSCAN_MAIL_CAP_PER_DAY = 2
    assert _queue("jan@utrecht.nl") is not None
    assert _queue("Jan+survey@Utrecht.nl") is not None
    assert _queue("JAN+2@utrecht.nl") is None
    assert _queue("piet@utrecht.nl") is not None


@pytest.mark.django_db
def test_the_cap_starts_again_the_next_day(settings):
    """The day is a UTC day: a message sent at 10:20 counts until 23:59:59 and not at midnight."""
    import datetime

    from mailing.outbox import over_cap

    settings.ZELFSCAN_MAIL_CAP_PER_DAY = 1
    assert _queue("alice@utrecht.nl") is not None
    assert _queue("alice@utrecht.nl") is None
    sent_at = datetime.datetime.fromtimestamp(T, tz=datetime.UTC)
    OutboxMessage.objects.update(created_at=sent_at)
    just_before = datetime.datetime.fromtimestamp(NEXT_DAY - 1, tz=datetime.UTC)
    midnight = datetime.datetime.fromtimestamp(NEXT_DAY, tz=datetime.UTC)
    assert over_cap("alice@utrecht.nl", now=just_before) is True
    assert over_cap("alice@utrecht.nl", now=midnight) is False


@pytest.mark.django_db
def test_invitations_and_reminders_do_not_count_towards_the_cap(settings):
    settings.ZELFSCAN_MAIL_CAP_PER_DAY = 1
    assert queue_mail("alice@utrecht.nl", TEMPLATE, {}, "nl", kind="invitation", capped=False) is not None
    assert _queue("alice@utrecht.nl") is not None
    assert _queue("alice@utrecht.nl") is None
    assert queue_mail("alice@utrecht.nl", TEMPLATE, {}, "nl", kind="reminder", capped=False) is not None


@pytest.mark.django_db
def test_the_teams_own_address_and_a_cap_of_zero_are_not_limited(settings):
    settings.ZELFSCAN_MAIL_CAP_PER_DAY = 1
    for _ in range(3):
        assert _queue(settings.ZELFSCAN_CONTACT_EMAIL, kind="contact_notification") is not None
    settings.ZELFSCAN_MAIL_CAP_PER_DAY = 0
    for _ in range(3):
        assert _queue("alice@utrecht.nl") is not None


@pytest.mark.django_db
def test_a_suppressed_mail_does_not_change_what_the_pages_answer(client, version, utrecht, settings, sent_mail):
    from conftest import make_response

    settings.ZELFSCAN_MAIL_CAP_PER_DAY = 1
    data = {
        "email": "anna@utrecht.nl",
        "municipality": "Utrecht",
        "domain": "mobility",
        "role": "policy",
        "language": "nl",
    }
    first = client.post(reverse("assessments:start"), data)
    second = client.post(reverse("assessments:start"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert client.get(second["Location"]).status_code == 200
    # A known address whose cap is spent answers like an unknown one.
    make_response(version, utrecht, email="bert@utrecht.nl")
    known = client.post(reverse("assessments:new_link"), {"email": "bert@utrecht.nl"})
    unknown = client.post(reverse("assessments:new_link"), {"email": "nobody@utrecht.nl"})
    assert known.status_code == unknown.status_code == 302 and known["Location"] == unknown["Location"]
    assert [m.to for m in sent_mail()] == [["anna@utrecht.nl"], ["bert@utrecht.nl"]]
    assert AuditEvent.objects.filter(action="mail.suppressed").count() == 2
