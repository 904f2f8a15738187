"""Retention: each table's handler on hand-made rows (before and after), the run and its log,
the command and its --dry-run, and every page and helper that reads an erased address."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import AccessToken, Answer, Response
from audit.models import AuditEvent
from conftest import answer_all, confirm, counted_response, login, make_response
from contact.models import ContactRequest
from dataprotection import handlers
from dataprotection.models import REQUEST_VALIDITY, DataRequest, RetentionRun
from dataprotection.registry import ERASED_SUFFIX
from dataprotection.retention import apply_retention, retention_cutoff
from mailing.models import OutboxMessage
from reports.aggregates import count_levels
from rounds.models import Invitation, InvitationToken
from rounds.services import continuous_round, issue_invitation_token
from zelfscan.privacy import mask_email

DAYS = 730


@pytest.fixture(autouse=True)
def _period(settings):
    settings.ZELFSCAN_RETENTION_DAYS = DAYS


def age(response: Response, days: int) -> Response:
    """Make a response's last activity `days` ago (update() leaves auto_now alone)."""
    when = timezone.now() - timedelta(days=days)
    Response.objects.filter(pk=response.pk).update(updated_at=when, created_at=when)
    AccessToken.objects.filter(response=response, last_used_at__isnull=False).update(last_used_at=when)
    response.refresh_from_db()
    return response


def with_notes(response: Response) -> Response:
    answer_all(response, current=2, desired=4)
    Answer.objects.filter(response=response).update(note="Mijn afdeling wil niet")
    return response


@pytest.fixture
def old_submitted(version, utrecht):
    response = counted_response(version, utrecht, email="oud@utrecht.nl", current=2, desired=4)
    Response.objects.filter(pk=response.pk).update(name="Oud Lid")
    Answer.objects.filter(response=response).update(note="Mijn afdeling wil niet")
    return age(response, DAYS + 10)


@pytest.fixture
def old_unfinished(version, utrecht):
    response = with_notes(make_response(version, utrecht, email="half@utrecht.nl", name="Half Klaar"))
    Answer.objects.filter(response=response, statement__position__gt=3).delete()
    return age(response, DAYS + 1)


@pytest.fixture
def recent(version, utrecht):
    return with_notes(make_response(version, utrecht, email="nieuw@utrecht.nl", name="Nieuw"))


def snapshot_of(response: Response) -> dict:
    response.refresh_from_db()
    return {
        "levels": sorted(response.answers.values_list("statement_id", "current", "desired")),
        "notes": sorted(set(response.answers.values_list("note", flat=True))),
        "municipality": response.municipality_id,
        "version": response.instrument_version_id,
        "language": response.language,
        "dates": (
            response.created_at,
            response.updated_at,
            response.email_confirmed_at,
            response.submitted_at,
            response.counted_at,
            response.superseded_at,
        ),
        "personal": (response.email, response.name, response.domain, response.role),
    }


# --- Responses ---------------------------------------------------------------------------------


def test_old_responses_lose_personal_fields_and_keep_levels_and_dates(old_submitted, old_unfinished, recent):
    before = {r.pk: snapshot_of(r) for r in (old_submitted, old_unfinished, recent)}
    result = apply_retention()
    assert result.counts["responses"] == 2
    for response in (old_submitted, old_unfinished):
        after = snapshot_of(response)
        assert after["personal"] == (f"erased-{response.pk}{ERASED_SUFFIX}", "", "", "")
        assert after["notes"] == [""]
        for kept in ("levels", "municipality", "version", "language", "dates"):
            assert after[kept] == before[response.pk][kept], kept
        assert after["levels"]  # levels are still there
        assert response.identity == after["personal"][0]
        assert not response.tokens.filter(revoked_at__isnull=True).exists()
    assert snapshot_of(recent) == before[recent.pk]
    assert recent.tokens.filter(revoked_at__isnull=True).exists()


def test_erased_responses_still_count_the_same(old_submitted, version, utrecht):
    colleague = age(counted_response(version, utrecht, email="collega@utrecht.nl", current=5), DAYS + 5)
    counted_before = set(Response.objects.counted().values_list("pk", flat=True))
    levels_before = count_levels(Response.objects.counted())
    apply_retention()
    assert set(Response.objects.counted().values_list("pk", flat=True)) == counted_before
    assert count_levels(Response.objects.counted()) == levels_before
    # Each erased response has an identity of its own: "one address counts once" never merges them.
    old_submitted.refresh_from_db()
    colleague.refresh_from_db()
    assert old_submitted.identity != colleague.identity
    services.refresh_counting(old_submitted)
    assert set(Response.objects.counted().values_list("pk", flat=True)) == counted_before


def test_a_personal_link_opened_recently_keeps_a_response(old_submitted):
    token = old_submitted.tokens.filter(kind=AccessToken.Kind.PERSONAL).first()
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(days=3))
    assert apply_retention().counts["responses"] == 0
    old_submitted.refresh_from_db()
    assert old_submitted.email == "oud@utrecht.nl"


def test_a_read_only_link_opened_by_others_does_not_keep_a_response(old_submitted):
    raw = services.issue_token(old_submitted, AccessToken.Kind.SHARE)
    AccessToken.objects.filter(token_hash=AccessToken.hash(raw)).update(last_used_at=timezone.now())
    assert apply_retention().counts["responses"] == 1


def test_a_response_just_inside_the_period_is_kept(version, utrecht):
    response = age(make_response(version, utrecht, email="bijna@utrecht.nl"), DAYS - 1)
    assert apply_retention().counts["responses"] == 0
    response.refresh_from_db()
    assert response.email == "bijna@utrecht.nl"


def test_the_period_comes_from_the_setting(old_submitted, settings):
    settings.ZELFSCAN_RETENTION_DAYS = DAYS + 30
    assert apply_retention().counts["responses"] == 0
    settings.ZELFSCAN_RETENTION_DAYS = DAYS
    assert apply_retention().counts["responses"] == 1


def test_retention_is_idempotent(old_submitted, old_unfinished):
    assert apply_retention().counts["responses"] == 2
    assert apply_retention().counts["responses"] == 0


def test_erased_links_no_longer_open_the_response(client, old_submitted):
    raw = services.issue_token(old_submitted)
    apply_retention()
    assert client.post(reverse("assessments:link"), {"t": raw}).status_code == 404


def test_pages_and_helpers_tolerate_an_erased_address(client, admin_client, old_submitted, old_unfinished):
    apply_retention()
    old_submitted.refresh_from_db()
    old_unfinished.refresh_from_db()
    assert mask_email(old_submitted.email) == "e***@e***.invalid"
    assert str(old_submitted).startswith("e***@e***.invalid")
    assert admin_client.get(reverse("admin:assessments_response_changelist")).status_code == 200
    change = reverse("admin:assessments_response_change", args=[old_submitted.pk])
    assert admin_client.get(change).status_code == 200
    assert admin_client.get(reverse("admin:contact_contactrequest_changelist")).status_code == 200
    # A session that still holds the response (it cannot get one any more) sees working pages.
    login(client, old_submitted)
    assert client.get(reverse("reports:report", kwargs={"public_id": old_submitted.public_id})).status_code == 200
    pdf = client.get(reverse("reports:report_pdf", kwargs={"public_id": old_submitted.public_id}))
    assert pdf.status_code == 200
    login(client, old_unfinished)
    stopped = client.get(reverse("assessments:stopped", kwargs={"public_id": old_unfinished.public_id}))
    assert stopped.status_code == 200
    assert client.get(reverse("assessments:review", kwargs={"public_id": old_unfinished.public_id})).status_code == 200
    # Asking for new links for the placeholder sends nothing anyone can receive, and breaks nothing.
    assert client.post(reverse("assessments:new_link"), {"email": old_submitted.email}).status_code == 302


# --- Invitations -------------------------------------------------------------------------------


def invitation(municipality, email: str, days_old: int, response=None) -> Invitation:
    row = Invitation.objects.create(
        round=continuous_round(municipality),
        email=email,
        name="Ina Uitgenodigd",
        department="Wonen",
        role="policy",
        language="en",
        response=response,
    )
    issue_invitation_token(row)
    Invitation.objects.filter(pk=row.pk).update(invited_at=timezone.now() - timedelta(days=days_old))
    row.refresh_from_db()
    return row


def test_old_invitations_lose_address_name_department_and_role(utrecht):
    old = invitation(utrecht, "ina@utrecht.nl", DAYS + 1)
    new = invitation(utrecht, "nieuw@utrecht.nl", 3)
    assert apply_retention().counts["invitations"] == 1
    old.refresh_from_db()
    assert (old.email, old.identity, old.name, old.department, old.role) == (
        f"erased-invitation-{old.pk}{ERASED_SUFFIX}",
        f"erased-invitation-{old.pk}{ERASED_SUFFIX}",
        "",
        "",
        "",
    )
    assert (old.round, old.language) == (new.round, "en")
    assert not InvitationToken.objects.filter(invitation=old).exists()
    new.refresh_from_db()
    assert (new.email, new.name) == ("nieuw@utrecht.nl", "Ina Uitgenodigd")
    assert InvitationToken.objects.filter(invitation=new).exists()
    assert apply_retention().counts["invitations"] == 0


def test_an_invitation_waits_for_its_response_and_a_recent_reminder_keeps_it(utrecht, recent, old_submitted):
    with_active_response = invitation(utrecht, "nieuw@utrecht.nl", DAYS + 1, response=recent)
    with_old_response = invitation(utrecht, "oud@utrecht.nl", DAYS + 1, response=old_submitted)
    reminded = invitation(utrecht, "herinnerd@utrecht.nl", DAYS + 1)
    Invitation.objects.filter(pk=reminded.pk).update(last_reminded_at=timezone.now() - timedelta(days=10))
    assert apply_retention().counts["invitations"] == 1  # erased with its response, in the same run
    with_old_response.refresh_from_db()
    assert with_old_response.email.endswith(ERASED_SUFFIX)
    for kept in (with_active_response, reminded):
        kept.refresh_from_db()
        assert not kept.email.endswith(ERASED_SUFFIX)


# --- Contact requests, the outbox, download and deletion requests ---------------------------------


def contact_request(email: str, days_old: int) -> ContactRequest:
    row = ContactRequest.objects.create(
        name="Fatima", email=email, organisation="Gemeente Utrecht", message="Graag een workshop.", language="nl"
    )
    ContactRequest.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(days=days_old))
    return row


def test_old_contact_requests_lose_name_address_and_message(db):
    old = contact_request("fatima@utrecht.nl", DAYS + 1)
    new = contact_request("els@utrecht.nl", 10)
    assert apply_retention().counts["contact_requests"] == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.name, old.email, old.message) == ("", "", "")
    assert (old.organisation, old.topic, old.language, old.status) == ("Gemeente Utrecht", "workshop", "nl", "new")
    assert (new.name, new.email, new.message) == ("Fatima", "els@utrecht.nl", "Graag een workshop.")
    assert apply_retention().counts["contact_requests"] == 0


def outbox_message(to: str, days_old: int) -> OutboxMessage:
    row = OutboxMessage.objects.create(
        to=to, subject="Uw link", body="", kind="confirm", language="nl", next_attempt_at=timezone.now()
    )
    OutboxMessage.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(days=days_old))
    return row


def test_old_outbox_messages_are_deleted(db):
    old = outbox_message("oud@utrecht.nl", DAYS + 1)
    new = outbox_message("nieuw@utrecht.nl", 1)
    assert apply_retention().counts["outbox_messages"] == 1
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()
    assert OutboxMessage.objects.filter(pk=new.pk).exists()


def test_expired_download_and_deletion_requests_are_deleted(db):
    now = timezone.now()
    expired = DataRequest.objects.create(
        purpose="download", identity="a@x.nl", token_hash="1" * 64, created_at=now, expires_at=now - timedelta(1)
    )
    open_ = DataRequest.objects.create(
        purpose="delete", identity="a@x.nl", token_hash="2" * 64, created_at=now, expires_at=now + REQUEST_VALIDITY
    )
    assert apply_retention().counts["data_requests"] == 1
    assert not DataRequest.objects.filter(pk=expired.pk).exists()
    assert DataRequest.objects.filter(pk=open_.pk).exists()


# --- The run, its log and the command ------------------------------------------------------------


@pytest.fixture
def old_everywhere(old_submitted, old_unfinished, recent, utrecht):
    contact_request("fatima@utrecht.nl", DAYS + 1)
    outbox_message("oud@utrecht.nl", DAYS + 1)
    invitation(utrecht, "ina@utrecht.nl", DAYS + 1)
    return {
        "responses": 2,
        "invitations": 1,
        "contact_requests": 1,
        "outbox_messages": 1,
        "data_requests": 0,
        "rate_limit_counters": 0,
    }


def test_a_run_logs_counts_and_dates_only(old_everywhere):
    now = timezone.now()
    result = apply_retention(now=now)
    assert result.counts == old_everywhere
    run = RetentionRun.objects.get()
    assert run.counts == old_everywhere
    assert run.retention_days == DAYS
    assert run.started_at == now
    assert run.cutoff == retention_cutoff(now, DAYS) == now - timedelta(days=DAYS)
    assert run.finished_at >= run.started_at
    event = AuditEvent.objects.get(action="retention.applied")
    assert {k: event.detail[k] for k in old_everywhere} == old_everywhere
    assert event.detail["days"] == DAYS
    logged = str(event.detail) + str(run.counts) + event.target + event.actor
    assert "@" not in logged


def test_dry_run_counts_and_changes_nothing(old_everywhere, old_submitted):
    before = snapshot_of(old_submitted)
    contacts = list(ContactRequest.objects.values())
    invitations = list(Invitation.objects.values())
    messages = OutboxMessage.objects.count()
    result = apply_retention(dry_run=True)
    assert result.counts == old_everywhere
    assert snapshot_of(old_submitted) == before
    assert list(ContactRequest.objects.values()) == contacts
    assert list(Invitation.objects.values()) == invitations
    assert InvitationToken.objects.count() == len(invitations)
    assert OutboxMessage.objects.count() == messages
    assert old_submitted.tokens.filter(revoked_at__isnull=True).exists()
    assert not RetentionRun.objects.exists()
    assert not AuditEvent.objects.exists()


def test_command_dry_run_prints_counts_and_changes_nothing(old_everywhere, old_submitted):
    before = snapshot_of(old_submitted)
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"{DAYS} days" in text
    assert "responses: 2" in text and "invitations: 1" in text and "contact_requests: 1" in text
    assert "outbox_messages: 1" in text
    assert "nothing was changed" in text
    assert snapshot_of(old_submitted) == before
    assert not RetentionRun.objects.exists()


def test_command_erases_and_logs(old_everywhere, old_submitted):
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "Erased 5 rows" in out.getvalue()
    old_submitted.refresh_from_db()
    assert old_submitted.email.endswith(ERASED_SUFFIX)
    assert RetentionRun.objects.get().total == 5


def test_a_failing_handler_changes_nothing(old_everywhere, old_submitted, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(
        "dataprotection.retention.personal_data_tables",
        lambda: [handlers.RESPONSES, handlers.PersonalData("broken", broken, None, None)],
    )
    with pytest.raises(RuntimeError):
        apply_retention()
    old_submitted.refresh_from_db()
    assert old_submitted.email == "oud@utrecht.nl"
    assert not RetentionRun.objects.exists()


def test_unconfirmed_and_confirmed_are_treated_alike(version, utrecht):
    confirmed = make_response(version, utrecht, email="a@utrecht.nl")
    confirm(confirmed)
    age(confirmed, DAYS + 2)
    unconfirmed = age(make_response(version, utrecht, email="b@utrecht.nl"), DAYS + 2)
    assert apply_retention().counts["responses"] == 2
    for response in (confirmed, unconfirmed):
        response.refresh_from_db()
        assert response.email.endswith(ERASED_SUFFIX)
