"""Download and deletion by the respondent: asked for on their own pages, confirmed through a
fresh e-mail, carried out by a button. Denied to others; expired, reused and altered links fail
with a clear page."""

import json
import logging
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.logging import RedactTokensFilter
from assessments.models import AccessToken, Answer, Response
from audit.models import AuditEvent
from conftest import answer_all, counted_response, login, make_response
from contact.models import ContactRequest
from dataprotection import services
from dataprotection.models import DataRequest
from mailing.models import OutboxMessage
from rounds.models import Invitation

LINK = re.compile(r"https?://[^/\s]+(/your-data/confirm/\?t=([\w-]+))")


def your_data_url(response):
    return reverse("dataprotection:your_data", kwargs={"public_id": response.public_id})


def ask(client, response, purpose, sent_mail) -> str:
    """Ask for a download or deletion from the respondent's page; return the e-mailed token."""
    sent_mail()  # deliver what was queued before
    mail.outbox.clear()
    result = client.post(your_data_url(response), {"purpose": purpose})
    assert result.status_code == 302
    messages = [m for m in sent_mail() if response.email in m.to]
    assert len(messages) == 1, [m.subject for m in messages]
    found = LINK.search(messages[0].body)
    assert found, messages[0].body
    return found.group(2)


@pytest.fixture
def owner(version, utrecht, amersfoort):
    """Jan, with a submitted response in Utrecht (notes), one in Amersfoort under a +tag address,
    a contact request and e-mails."""
    first = counted_response(version, utrecht, email="jan@utrecht.nl", current=2, desired=5)
    Response.objects.filter(pk=first.pk).update(name="Jan Jansen")
    Answer.objects.filter(response=first, statement__key="A1").update(note="Jans geheime notitie")
    second = make_response(version, amersfoort, email="Jan+amersfoort@utrecht.nl", language="en")
    answer_all(second, current=1, desired=3)
    Answer.objects.filter(response=second, statement__key="B1").update(note="Tweede notitie van Jan")
    ContactRequest.objects.create(
        name="Jan", email="JAN@utrecht.nl", organisation="Gemeente Utrecht", message="Workshop graag", language="nl"
    )
    Invitation.objects.create(
        round=first.round, email="jan@utrecht.nl", name="Jan J.", department="ICT", response=first
    )
    first.refresh_from_db()
    return first


@pytest.fixture
def other(version, utrecht):
    """Piet, a colleague in the same municipality, with notes and a contact request of his own."""
    response = counted_response(version, utrecht, email="piet@utrecht.nl", current=4, desired=4)
    Answer.objects.filter(response=response).update(note="Piets notitie")
    ContactRequest.objects.create(
        name="Piet", email="piet@utrecht.nl", organisation="Gemeente Utrecht", message="Vraag van Piet", language="nl"
    )
    Invitation.objects.create(round=response.round, email="piet@utrecht.nl", name="Piet P.", response=response)
    return response


@pytest.fixture
def owner_client(client, owner):
    login(client, owner)
    return client


# --- Asking ------------------------------------------------------------------------------------


def test_the_respondents_pages_link_to_your_data(client, version, utrecht, owner):
    login(client, owner)
    report = client.get(reverse("reports:report", kwargs={"public_id": owner.public_id})).content.decode()
    assert your_data_url(owner) in report
    unfinished = make_response(version, utrecht, email="els@utrecht.nl")
    login(client, unfinished)
    for name in ("assessments:stopped", "assessments:review"):
        page = client.get(reverse(name, kwargs={"public_id": unfinished.public_id})).content.decode()
        assert your_data_url(unfinished) in page


def test_the_shared_report_and_the_pdf_do_not_link_to_your_data(client, owner):
    from assessments.services import issue_token

    raw = issue_token(owner, AccessToken.Kind.SHARE)
    shared = client.get(reverse("reports:shared"), {"t": raw}).content.decode()
    assert "/your-data/" not in shared


def test_your_data_page_needs_the_owners_session(client, owner, other):
    assert client.get(your_data_url(owner)).status_code == 403
    login(client, other)
    assert client.get(your_data_url(owner)).status_code == 403
    result = client.post(your_data_url(owner), {"purpose": "download"})
    assert result.status_code == 403
    assert not DataRequest.objects.exists()


def test_asking_e_mails_a_fresh_single_purpose_link_and_stores_only_its_hash(owner_client, owner, sent_mail):
    page = owner_client.get(your_data_url(owner))
    assert page.status_code == 200
    assert "j***@u***.nl" in page.content.decode()
    raw = ask(owner_client, owner, "download", sent_mail)
    request = DataRequest.objects.get()
    assert request.purpose == "download"
    assert request.identity == "jan@utrecht.nl"
    assert request.token_hash == DataRequest.hash(raw) != raw
    assert len(raw) >= 40
    assert timedelta(hours=23) < request.expires_at - request.created_at <= timedelta(hours=24)
    assert not DataRequest.objects.filter(token_hash=raw).exists()


def test_the_e_mail_is_in_the_respondents_language(client, owner, version, amersfoort, sent_mail):
    english = Response.objects.get(municipality=amersfoort, identity="jan@utrecht.nl")
    login(client, english)
    sent_mail()
    mail.outbox.clear()
    client.post(your_data_url(english), {"purpose": "delete"})
    message = [m for m in sent_mail() if english.email in m.to][0]
    assert message.subject == "Confirm: delete your data from the Smart City Self-Assessment"
    assert "only once" in message.body
    # Jan's Utrecht response is in Dutch: so is the mail for it (another browser, without the
    # English language cookie, which would make the Utrecht response English too).
    dutch_browser = Client()
    login(dutch_browser, owner)
    dutch_browser.post(your_data_url(owner), {"purpose": "download"})
    dutch = [m for m in sent_mail() if owner.email in m.to][-1]
    assert dutch.subject == "Uw gegevens downloaden uit de Smart City Zelfscan"
    assert "De link werkt 24 uur" in dutch.body


def test_asking_twice_within_minutes_sends_one_e_mail(owner_client, owner, sent_mail):
    ask(owner_client, owner, "download", sent_mail)
    mail.outbox.clear()
    assert owner_client.post(your_data_url(owner), {"purpose": "download"}).status_code == 302
    assert [m for m in sent_mail() if owner.email in m.to] == []
    # A different purpose is a different request.
    ask(owner_client, owner, "delete", sent_mail)


def test_an_unknown_choice_is_refused_without_mail(owner_client, owner, sent_mail):
    sent_mail()
    mail.outbox.clear()
    page = owner_client.post(your_data_url(owner), {"purpose": "everything"})
    assert page.status_code == 400
    assert "error-summary" in page.content.decode()
    assert sent_mail() == []
    assert not DataRequest.objects.exists()


def test_the_sent_page_names_the_masked_address(owner_client, owner, sent_mail):
    owner_client.post(your_data_url(owner), {"purpose": "delete"})
    url = reverse("dataprotection:requested", kwargs={"public_id": owner.public_id})
    page = owner_client.get(url, {"purpose": "delete"})
    assert page.status_code == 200
    assert "j***@u***.nl" in page.content.decode()
    assert "jan@utrecht.nl" not in page.content.decode()


# --- The confirmation link -----------------------------------------------------------------------


def test_opening_the_link_shows_a_button_and_changes_nothing(client, owner_client, owner, sent_mail):
    raw = ask(owner_client, owner, "delete", sent_mail)
    for _ in range(2):  # a mail scanner opens the link first
        page = Client().get(reverse("dataprotection:confirm"), {"t": raw})
        assert page.status_code == 200
        assert f'value="{raw}"' in page.content.decode()
        assert "no-store" in page["Cache-Control"]
        assert page["Referrer-Policy"] == "no-referrer"
    assert Response.objects.filter(identity="jan@utrecht.nl").count() == 2
    assert DataRequest.objects.get().used_at is None


def test_the_deletion_page_lists_what_will_be_deleted(owner_client, owner, sent_mail):
    raw = ask(owner_client, owner, "delete", sent_mail)
    english = Client()
    english.cookies["django_language"] = "en"
    content = english.get(reverse("dataprotection:confirm"), {"t": raw}).content.decode()
    assert "Utrecht" in content and "Amersfoort" in content
    assert "Delete my data permanently" in content


def test_tokens_in_confirmation_links_are_redacted_from_logs(owner_client, owner, sent_mail):
    raw = ask(owner_client, owner, "download", sent_mail)
    record = logging.LogRecord(
        "django.server", logging.INFO, "", 0, '"GET /your-data/confirm/?t=%s HTTP/1.1" 200', (raw,), None
    )
    RedactTokensFilter().filter(record)
    assert raw not in record.getMessage()


@pytest.mark.parametrize("raw", ["", "garbage", "x" * 500])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_missing_or_altered_link_gets_a_clear_404(client, db, raw, method):
    page = getattr(client, method)(reverse("dataprotection:confirm"), {"t": raw})
    assert page.status_code == 404
    assert reverse("assessments:new_link") in page.content.decode()


def test_an_altered_real_link_does_not_work(owner_client, owner, sent_mail):
    raw = ask(owner_client, owner, "delete", sent_mail)
    altered = raw[:-1] + ("A" if raw[-1] != "A" else "B")
    assert Client().post(reverse("dataprotection:confirm"), {"t": altered}).status_code == 404
    assert Response.objects.filter(identity="jan@utrecht.nl").count() == 2


@pytest.mark.parametrize("purpose", ["download", "delete"])
def test_an_expired_link_gets_a_clear_410_and_does_nothing(owner_client, owner, sent_mail, purpose):
    raw = ask(owner_client, owner, purpose, sent_mail)
    DataRequest.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    for method in ("get", "post"):
        page = getattr(Client(), method)(reverse("dataprotection:confirm"), {"t": raw})
        assert page.status_code == 410
        assert "application/json" not in page["Content-Type"]
    assert Response.objects.filter(identity="jan@utrecht.nl").count() == 2


@pytest.mark.parametrize(("language", "title"), [("nl", "Deze link is verlopen"), ("en", "This link has expired")])
def test_the_expired_page_speaks_the_visitors_language(owner_client, owner, sent_mail, language, title):
    raw = ask(owner_client, owner, "download", sent_mail)
    DataRequest.objects.update(expires_at=timezone.now())
    visitor = Client()
    visitor.cookies["django_language"] = language
    content = visitor.get(reverse("dataprotection:confirm"), {"t": raw}).content.decode()
    assert f"<h1>{title}</h1>" in content


# --- Download ----------------------------------------------------------------------------------


def download(raw):
    result = Client().post(reverse("dataprotection:confirm"), {"t": raw})
    assert result.status_code == 200
    assert result["Content-Type"].startswith("application/json")
    assert result["Content-Disposition"].startswith('attachment; filename="zelfscan-data-')
    assert "no-store" in result["Cache-Control"]
    return json.loads(result.content)


def test_the_download_holds_everything_about_this_identity_and_nothing_of_others(owner_client, owner, other, sent_mail):
    raw = ask(owner_client, owner, "download", sent_mail)
    data = download(raw)
    assert data["format"] == "zelfscan-personal-data/1"
    assert data["email_identity"] == "jan@utrecht.nl"
    responses = {r["municipality"]["code"]: r for r in data["responses"]}
    assert set(responses) == {"GM0344", "GM0307"}
    utrecht = responses["GM0344"]
    assert (utrecht["email"], utrecht["name"], utrecht["domain"], utrecht["role"]) == (
        "jan@utrecht.nl",
        "Jan Jansen",
        "it",
        "policy",
    )
    assert utrecht["submitted_at"] and utrecht["email_confirmed_at"] and utrecht["created_at"]
    assert len(utrecht["answers"]) == 21
    assert {(a["now"], a["in_3_to_5_years"]) for a in utrecht["answers"]} == {(2, 5)}
    assert [a["note"] for a in utrecht["answers"] if a["note"]] == ["Jans geheime notitie"]
    assert responses["GM0307"]["email"] == "jan+amersfoort@utrecht.nl"
    assert [a["note"] for a in responses["GM0307"]["answers"] if a["note"]] == ["Tweede notitie van Jan"]
    assert utrecht["links"] and {"kind", "created_at", "last_used_at", "revoked_at"} == set(utrecht["links"][0])
    assert [c["email"] for c in data["contact_requests"]] == ["JAN@utrecht.nl"]
    assert data["outbox_messages"] and {m["to"] for m in data["outbox_messages"]} <= {
        "jan@utrecht.nl",
        "jan+amersfoort@utrecht.nl",
    }
    assert "body" not in data["outbox_messages"][0]
    assert [d["purpose"] for d in data["data_requests"]] == ["download"]
    assert [(i["name"], i["department"], i["status"]) for i in data["invitations"]] == [("Jan J.", "ICT", "finished")]
    text = json.dumps(data)
    for foreign in ("piet@utrecht.nl", "Piets notitie", "Vraag van Piet", "Piet P."):
        assert foreign not in text
    for secret in AccessToken.objects.values_list("token_hash", flat=True):
        assert secret not in text
    assert DataRequest.objects.get().token_hash not in text and raw not in text


def test_a_download_is_logged_with_a_masked_address(owner_client, owner, sent_mail):
    download(ask(owner_client, owner, "download", sent_mail))
    event = AuditEvent.objects.get(action="personal_data.downloaded")
    assert event.target == "j***@u***.nl"
    assert event.detail["responses"] == 2 and event.detail["contact_requests"] == 1
    assert "jan@" not in json.dumps(event.detail)


def test_a_download_link_works_again_until_it_expires(owner_client, owner, sent_mail):
    raw = ask(owner_client, owner, "download", sent_mail)
    download(raw)
    download(raw)
    assert Response.objects.filter(identity="jan@utrecht.nl").count() == 2


# --- Deletion ----------------------------------------------------------------------------------


def delete(raw, client=None):
    return (client or Client()).post(reverse("dataprotection:confirm"), {"t": raw})


def test_deletion_removes_everything_about_this_identity_and_nothing_else(owner_client, owner, other, sent_mail):
    raw = ask(owner_client, owner, "delete", sent_mail)
    ids = list(Response.objects.filter(identity="jan@utrecht.nl").values_list("pk", flat=True))
    jans_mail = OutboxMessage.objects.filter(to__startswith="jan").count()
    assert jans_mail >= 3  # two confirmations, a report, this request
    other_before = (other.answers.count(), other.tokens.count())
    page = delete(raw, owner_client)
    assert page.status_code == 200
    content = page.content.decode()
    assert "<dd>2</dd>" in content  # two self-assessments
    assert not Response.objects.filter(pk__in=ids).exists()
    assert not Answer.objects.filter(response_id__in=ids).exists()
    assert not AccessToken.objects.filter(response_id__in=ids).exists()
    assert not ContactRequest.objects.filter(name="Jan").exists()
    assert not OutboxMessage.objects.filter(to__icontains="jan").exists()
    # Piet keeps everything.
    other.refresh_from_db()
    assert (other.answers.count(), other.tokens.count()) == other_before
    assert ContactRequest.objects.filter(name="Piet").exists()
    assert not Invitation.objects.filter(identity="jan@utrecht.nl").exists()
    assert Invitation.objects.filter(identity="piet@utrecht.nl", response=other).exists()
    assert OutboxMessage.objects.filter(to="piet@utrecht.nl").exists()
    # The request forgets the person; the audit log keeps counts and a masked address.
    request = DataRequest.objects.get()
    assert request.identity == "" and request.used_at is not None
    event = AuditEvent.objects.get(action="deletion.respondent")
    assert event.target == "j***@u***.nl"
    assert event.detail == {
        "responses": 2,
        "invitations": 1,
        "contact_requests": 1,
        "outbox_messages": jans_mail,
        "data_requests": 0,
        "rate_limit_counters": 0,
    }
    # This browser's session no longer points at the deleted responses.
    assert owner_client.get(reverse("reports:report", kwargs={"public_id": owner.public_id})).status_code == 404


def test_a_second_press_of_the_button_says_it_was_done_and_deletes_nothing_more(
    owner_client, owner, other, sent_mail, version, utrecht
):
    raw = ask(owner_client, owner, "delete", sent_mail)
    assert delete(raw).status_code == 200
    # Jan starts again with the same address: a reused link must not delete the new response.
    again = make_response(version, utrecht, email="jan@utrecht.nl")
    for method in ("post", "get"):
        page = getattr(Client(), method)(reverse("dataprotection:confirm"), {"t": raw})
        assert page.status_code == 410
        assert "already been used" in page.content.decode() or "al gebruikt" in page.content.decode()
    assert Response.objects.filter(pk=again.pk).exists()
    assert Response.objects.filter(pk=other.pk).exists()
    assert AuditEvent.objects.filter(action="deletion.respondent").count() == 1


def test_a_deletion_link_cannot_download_and_a_download_link_cannot_delete(owner_client, owner, sent_mail):
    raw = ask(owner_client, owner, "download", sent_mail)
    delete(raw)  # posting a download link downloads
    assert Response.objects.filter(identity="jan@utrecht.nl").count() == 2
    assert services.delete_everything(DataRequest.objects.get()) is None
    assert Response.objects.filter(identity="jan@utrecht.nl").count() == 2


def test_a_request_that_expires_between_page_and_button_deletes_nothing(owner_client, owner, sent_mail):
    raw = ask(owner_client, owner, "delete", sent_mail)
    request = services.check_request(raw).request
    DataRequest.objects.update(expires_at=timezone.now())
    assert services.delete_everything(request) is None
    assert Response.objects.filter(identity="jan@utrecht.nl").count() == 2


def test_an_unconfirmed_registration_can_ask_but_only_the_mailbox_can_confirm(client, version, utrecht, sent_mail):
    """Whoever typed someone else's address may press the button; the link goes to the owner."""
    client.post(
        reverse("assessments:start"),
        {"email": "eigenaar@utrecht.nl", "municipality": "Utrecht", "domain": "it", "role": "policy", "language": "nl"},
    )
    response = Response.objects.get(email="eigenaar@utrecht.nl")
    sent_mail()
    mail.outbox.clear()
    assert client.post(your_data_url(response), {"purpose": "delete"}).status_code == 302
    assert [m.to for m in sent_mail()] == [["eigenaar@utrecht.nl"]]
    assert Response.objects.filter(pk=response.pk).exists()
