import pytest
from django.urls import reverse

from contact.models import ContactRequest

VALID = {
    "name": "Sanne de Vries",
    "email": "sanne@zwolle.nl",
    "organisation": "Gemeente Zwolle",
    "topic": "workshop",
    "message": "We would like a workshop in March. <script>alert(1)</script>",
}


def test_request_is_stored_and_both_mails_are_sent(client, db, sent_mail, settings):
    result = client.post(reverse("contact:contact"), VALID)
    assert result.status_code == 302
    stored = ContactRequest.objects.get()
    assert (stored.status, stored.organisation, stored.language) == ("new", "Gemeente Zwolle", "nl")
    messages = {tuple(m.to): m for m in sent_mail()}
    assert set(messages) == {(settings.ZELFSCAN_CONTACT_EMAIL,), ("sanne@zwolle.nl",)}
    assert "workshop in March" in messages[(settings.ZELFSCAN_CONTACT_EMAIL,)].body
    confirmation = messages[("sanne@zwolle.nl",)]
    # The confirmation quotes none of the sender's text.
    for text in ("workshop in March", "Sanne", "Gemeente Zwolle", "<script>"):
        assert text not in confirmation.body and text not in confirmation.subject


def test_confirmation_is_in_the_senders_language(client, db, sent_mail):
    client.cookies["django_language"] = "en"
    client.post(reverse("contact:contact"), VALID)
    confirmation = next(m for m in sent_mail() if m.to == ["sanne@zwolle.nl"])
    assert confirmation.subject == "We have received your request"


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("name", "", "Enter your name."),
        ("email", "nope", "Enter an e-mail address like"),
        ("organisation", "", "Enter your organisation"),
        ("message", "", "Write your message."),
        ("message", "x" * 4001, "at most 4000 characters"),
        ("topic", "spam", "Select a valid choice"),
    ],
)
def test_bad_contact_input_gets_400(client, db, field, value, message):
    client.cookies["django_language"] = "en"
    result = client.post(reverse("contact:contact"), {**VALID, field: value})
    assert result.status_code == 400
    assert message in result.content.decode()
    assert ContactRequest.objects.count() == 0


def test_contact_request_is_visible_and_handled_in_the_admin(admin_client, db):
    request = ContactRequest.objects.create(**{k: v for k, v in VALID.items()}, language="nl")
    page = admin_client.get(reverse("admin:contact_contactrequest_changelist"))
    assert "Gemeente Zwolle" in page.content.decode()
    detail = admin_client.get(reverse("admin:contact_contactrequest_change", args=[request.pk]))
    assert detail.status_code == 200
