"""Registration, the masked address, correcting a typo, and the "send me a new link" page."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from assessments.models import AccessToken, Response

CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')

VALID = {
    "email": "anna@utrecht.nl",
    "name": "Anna",
    "municipality": "Utrecht",
    "domain": "mobility",
    "role": "policy",
    "language": "nl",
}


@pytest.fixture
def register(client, version):
    def post(**changes):
        return client.post(reverse("assessments:start"), {**VALID, **changes})

    return post


@pytest.mark.parametrize("language,text", [("nl", "zelfscan"), ("en", "self-assessment")])
def test_start_page_renders_in_both_languages(client, version, language, text):
    client.cookies["django_language"] = language
    page = client.get(reverse("assessments:start"))
    assert page.status_code == 200
    assert text in page.content.decode().lower()
    assert f'<html lang="{language}">' in page.content.decode()


def test_registration_creates_response_and_queues_link(register, sent_mail):
    result = register()
    assert result.status_code == 302
    response = Response.objects.get()
    assert (response.email, response.municipality_id, response.language) == ("anna@utrecht.nl", "GM0344", "nl")
    assert response.email_confirmed_at is None
    messages = sent_mail()
    assert [m.to for m in messages] == [["anna@utrecht.nl"]]
    assert "/link/?t=" in messages[0].body
    assert AccessToken.objects.filter(response=response, kind="personal").count() == 1


def test_registered_page_shows_masked_address_only(register, client):
    register()
    page = client.get(reverse("assessments:registered"))
    content = page.content.decode()
    assert "a***@u***.nl" in content
    assert "anna@utrecht.nl" not in content


def test_the_registered_page_starts_at_the_first_theme_without_a_redirect(register, client):
    """A new response has nothing answered, so the button goes straight to theme 1 (the resume
    page would only redirect there: one request less for everyone who starts at once)."""
    register()
    content = client.get(reverse("assessments:registered")).content.decode()
    response = Response.objects.get()
    first = reverse("assessments:theme", kwargs={"public_id": response.public_id, "number": 1})
    assert f'href="{first}"' in content
    page = client.get(first)
    assert page.status_code == 200
    assert 'name="action" value="next"' in page.content.decode()


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("email", "", "Enter your e-mail address."),
        ("email", "not-an-address", "Enter an e-mail address like"),
        ("municipality", "", "Enter the municipality you work for."),
        ("municipality", "Atlantis", "We do not know a municipality called"),
        ("municipality", "Bergen", "More than one municipality matches"),
        ("domain", "", "Choose the domain or department you work in."),
        ("domain", "astrology", "Choose a domain from the list."),
        ("role", "king", "Choose a role from the list."),
        ("language", "fr", "Choose Dutch or English."),
        ("email", "a" * 250 + "@x.nl", "Ensure this value has at most 254 characters"),
        ("name", "n" * 500, "Ensure this value has at most 120 characters"),
    ],
)
def test_bad_registration_input_gets_400_and_a_clear_message(client, register, field, value, message):
    client.cookies["django_language"] = "en"
    result = register(**{field: value})
    assert result.status_code == 400
    assert message in result.content.decode()
    assert 'class="error-summary"' in result.content.decode()
    assert Response.objects.count() == 0


def test_bad_input_message_is_dutch_by_default(register):
    result = register(email="")
    assert result.status_code == 400
    assert "Vul uw e-mailadres in." in result.content.decode()


def test_municipality_alias_is_stored_as_cbs_code(register):
    register(municipality="'s-Gravenhage")
    register(municipality="den bosch")
    assert sorted(Response.objects.values_list("municipality_id", flat=True)) == ["GM0518", "GM0796"]


def test_known_address_registers_exactly_like_a_new_one(client, register, sent_mail):
    first = register()
    second = register()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Response.objects.count() == 2
    assert len(sent_mail()) == 2


def test_registration_succeeds_when_the_mail_server_is_down(register, settings):
    settings.EMAIL_BACKEND = "mailing.tests.failing_backend.EmailBackend"
    from mailing.models import OutboxMessage
    from mailing.outbox import send_due

    result = register()
    assert result.status_code == 302
    sent, failed = send_due()
    assert (sent, failed) == (0, 1)
    message = OutboxMessage.objects.get()
    assert message.status == "queued" and message.attempts == 1 and message.body


def test_correcting_the_address_sends_a_new_link_and_revokes_the_old(client, register, sent_mail):
    register(email="anna@utrech.nl")
    sent_mail()
    old_token = AccessToken.objects.get()
    page = client.post(reverse("assessments:correct_email"), {"email": "anna@utrecht.nl"})
    assert page.status_code == 302
    response = Response.objects.get()
    assert response.email == "anna@utrecht.nl"
    old_token.refresh_from_db()
    assert old_token.revoked_at is not None
    assert sent_mail()[-1].to == ["anna@utrecht.nl"]


def test_correcting_the_address_rejects_a_bad_address(client, register):
    register()
    result = client.post(reverse("assessments:correct_email"), {"email": "nope"})
    assert result.status_code == 400
    assert Response.objects.get().email == "anna@utrecht.nl"


def test_correct_address_needs_the_registering_session(client, version):
    assert client.get(reverse("assessments:correct_email")).status_code == 302


def test_new_link_answers_the_same_for_known_and_unknown_addresses(client, register, sent_mail):
    register()
    sent_mail()
    mail.outbox.clear()
    known = client.post(reverse("assessments:new_link"), {"email": "ANNA@utrecht.nl"})
    unknown = client.post(reverse("assessments:new_link"), {"email": "nobody@utrecht.nl"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    page_known = CSRF_TOKEN.sub("", client.get(known["Location"]).content.decode())
    page_unknown = CSRF_TOKEN.sub("", client.get(unknown["Location"]).content.decode())
    assert page_known == page_unknown
    messages = sent_mail()
    assert [m.to for m in messages] == [["anna@utrecht.nl"]]
    assert "/link/?t=" in messages[0].body


def test_new_link_rejects_a_malformed_address(client, version):
    result = client.post(reverse("assessments:new_link"), {"email": "x"})
    assert result.status_code == 400


def test_new_link_mail_is_never_sent_during_the_request(client, register, django_capture_on_commit_callbacks):
    """Sending takes time only for known addresses, which would tell them apart: the new-link
    mail waits for the outbox worker, while registration mail goes out at once."""
    from mailing.models import OutboxMessage

    with django_capture_on_commit_callbacks() as registration_callbacks:
        register()
    assert len(registration_callbacks) >= 1
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("assessments:new_link"), {"email": "anna@utrecht.nl"})
    assert callbacks == []
    assert OutboxMessage.objects.filter(kind="new_links", status="queued").count() == 1


def test_plus_addresses_count_as_one_person(version, utrecht):
    from conftest import counted_response

    first = counted_response(version, utrecht, "jan@utrecht.nl")
    second = counted_response(version, utrecht, "Jan+2@utrecht.nl")
    assert list(Response.objects.counted()) == [second]
    first.refresh_from_db()
    assert first.superseded_at is not None
