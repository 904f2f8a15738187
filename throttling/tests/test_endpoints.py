"""Every limited page: just under the limit passes, the next attempt gets a 429 in the user's
language with Retry-After, and what the user typed is shown again."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services as assessment_services
from assessments.models import Response
from contact.models import ContactRequest
from mailing.models import OutboxMessage
from throttling import services

T = 1772446800.0  # 2026-03-02 10:20:00 UTC: the hourly window ends in 40 minutes
LANGUAGES = pytest.mark.parametrize(
    ("language", "heading", "retry"),
    [
        ("nl", "Te veel pogingen", "Probeer het over 40 minuten opnieuw."),
        ("en", "Too many attempts", "Please try again in 40 minutes."),
    ],
)
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
REGISTRATION = {
    "email": "anna@utrecht.nl",
    "name": "Anna",
    "municipality": "Utrecht",
    "domain": "mobility",
    "role": "policy",
    "language": "nl",
}


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr(services, "now", lambda: T)


def _assert_refused(page, heading, retry):
    assert page.status_code == 429
    assert page["Retry-After"] == "2400"
    content = page.content.decode()
    assert heading in content
    assert retry in content
    return content


# --- registration ------------------------------------------------------------------------------


@LANGUAGES
def test_registration_is_limited_per_address(client, version, language, heading, retry):
    client.cookies["django_language"] = language
    for _ in range(5):
        assert client.post(reverse("assessments:start"), REGISTRATION).status_code == 302
    # Another way of writing the same address is the same person.
    client.cookies["django_language"] = language  # registering set the registration's language
    page = client.post(reverse("assessments:start"), {**REGISTRATION, "email": "Anna+6@Utrecht.nl"})
    content = _assert_refused(page, heading, retry)
    assert 'value="Anna+6@Utrecht.nl"' in content and 'value="Anna"' in content  # nothing typed is lost
    assert Response.objects.count() == 5
    assert OutboxMessage.objects.filter(to="anna+6@utrecht.nl").count() == 0
    # Someone else from the same network registers as usual.
    assert client.post(reverse("assessments:start"), {**REGISTRATION, "email": "bert@utrecht.nl"}).status_code == 302


def test_registration_is_limited_per_ip_also_for_invalid_posts(client, version, settings):
    settings.ZELFSCAN_RATE_PER_IP = "3/h"
    assert client.post(reverse("assessments:start"), {**REGISTRATION, "email": "x"}).status_code == 400
    for number in (1, 2):
        data = {**REGISTRATION, "email": f"colleague{number}@utrecht.nl"}
        assert client.post(reverse("assessments:start"), data).status_code == 302
    page = client.post(reverse("assessments:start"), {**REGISTRATION, "email": "colleague3@utrecht.nl"})
    _assert_refused(page, "Te veel pogingen", "40 minuten")
    assert client.post(reverse("assessments:start"), REGISTRATION, REMOTE_ADDR="198.51.100.4").status_code == 302


# --- send me a new link --------------------------------------------------------------------------


@LANGUAGES
def test_new_link_is_limited_per_address(client, version, utrecht, language, heading, retry):
    from conftest import make_response

    make_response(version, utrecht, email="anna@utrecht.nl")
    client.cookies["django_language"] = language
    for _ in range(5):
        assert client.post(reverse("assessments:new_link"), {"email": "anna@utrecht.nl"}).status_code == 302
    content = _assert_refused(
        client.post(reverse("assessments:new_link"), {"email": "anna@utrecht.nl"}), heading, retry
    )
    assert 'value="anna@utrecht.nl"' in content
    assert OutboxMessage.objects.filter(kind="new_links").count() == 5


def test_a_refused_new_link_looks_the_same_for_known_and_unknown_addresses(client, version, utrecht):
    """Refused before the address is looked up: the same page, the same work, no database read."""
    from conftest import make_response

    make_response(version, utrecht, email="anna@utrecht.nl")
    for address in ("anna@utrecht.nl", "nobody@utrecht.nl"):
        for _ in range(5):
            client.post(reverse("assessments:new_link"), {"email": address})
    pages = {}
    for address in ("anna@utrecht.nl", "nobody@utrecht.nl"):
        with CaptureQueriesContext(connection) as queries:
            page = client.post(reverse("assessments:new_link"), {"email": address})
        assert page.status_code == 429
        assert not [q for q in queries if "assessments_" in q["sql"]]
        pages[address] = (page["Retry-After"], CSRF_TOKEN.sub("", page.content.decode()).replace(address, "ADDRESS"))
    assert pages["anna@utrecht.nl"] == pages["nobody@utrecht.nl"]


# --- correcting the address right after registering -----------------------------------------------


@LANGUAGES
def test_correcting_the_address_is_limited_per_registration(client, version, language, heading, retry):
    client.cookies["django_language"] = language
    assert client.post(reverse("assessments:start"), {**REGISTRATION, "language": language}).status_code == 302
    for number in range(10):
        data = {"email": f"anna{number}@utrecht.nl"}
        assert client.post(reverse("assessments:correct_email"), data).status_code == 302
    page = client.post(reverse("assessments:correct_email"), {"email": "anna@utrecht.nl"})
    content = _assert_refused(page, heading, retry)
    assert 'value="anna@utrecht.nl"' in content
    assert Response.objects.get().email == "anna9@utrecht.nl"


# --- the personal link -------------------------------------------------------------------------


@LANGUAGES
def test_unknown_links_are_limited_per_ip_and_valid_ones_do_not_count(
    client, respondent, settings, language, heading, retry
):
    settings.ZELFSCAN_RATE_PER_IP = "3/h"
    client.cookies["django_language"] = language
    token = assessment_services.issue_token(respondent)
    for _ in range(5):  # a mail scanner opening a real link many times
        assert client.get(reverse("assessments:link"), {"t": token}).status_code == 200
    for guess in ("a", "b", "c"):
        assert client.post(reverse("assessments:link"), {"t": guess}).status_code == 404
    # The network has used its guesses: even a real link waits (it keeps working afterwards).
    _assert_refused(client.post(reverse("assessments:link"), {"t": token}), heading, retry)
    _assert_refused(client.get(reverse("assessments:link"), {"t": "d"}), heading, retry)
    other = client.__class__(REMOTE_ADDR="198.51.100.8")
    assert other.post(reverse("assessments:link"), {"t": token}).status_code == 302


@LANGUAGES
def test_one_link_is_limited_per_token(client, respondent, language, heading, retry):
    token = assessment_services.issue_token(respondent)
    client.cookies["django_language"] = language
    for _ in range(10):
        assert client.post(reverse("assessments:link"), {"t": token}).status_code == 302
    client.cookies["django_language"] = language  # opening the link set the response's language
    _assert_refused(client.post(reverse("assessments:link"), {"t": token}), heading, retry)
    # Another link of the same respondent is another account.
    fresh = assessment_services.issue_token(respondent)
    assert client.post(reverse("assessments:link"), {"t": fresh}).status_code == 302


# --- contact form ---------------------------------------------------------------------------------

CONTACT = {
    "name": "Sanne de Vries",
    "email": "sanne@zwolle.nl",
    "organisation": "Gemeente Zwolle",
    "topic": "workshop",
    "message": "We would like a workshop in March.",
}


@LANGUAGES
def test_contact_form_is_limited_per_address(client, db, language, heading, retry):
    client.cookies["django_language"] = language
    for _ in range(5):
        assert client.post(reverse("contact:contact"), CONTACT).status_code == 302
    content = _assert_refused(client.post(reverse("contact:contact"), CONTACT), heading, retry)
    assert "We would like a workshop in March." in content and 'value="Gemeente Zwolle"' in content
    assert ContactRequest.objects.count() == 5


# --- admin login ------------------------------------------------------------------------------------


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", "a-long-password-123")


WRONG = "wrong-password-000"


def _login(client, username="root", password=WRONG):
    return client.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"})


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("nl", "Te veel mislukte inlogpogingen. Probeer het over 40 minuten opnieuw."),
        ("en", "Too many failed login attempts. Please try again in 40 minutes."),
    ],
)
def test_admin_login_is_limited_per_username(client, admin_user, language, message):
    client.cookies["django_language"] = language
    for _ in range(10):
        assert _login(client).status_code == 200
    # Refused before the password is checked: the right password does not get in either.
    page = _login(client, password="a-long-password-123")
    assert page.status_code == 429
    assert page["Retry-After"] == "2400"
    assert message in page.content.decode()
    assert 'value="root"' in page.content.decode()
    assert client.get("/admin/").status_code == 302  # still not logged in
    # Another username from the same network is not held up.
    assert _login(client, username="someone-else").status_code == 200


def test_successful_admin_logins_do_not_count(client, admin_user):
    for _ in range(12):
        assert _login(client, password="a-long-password-123").status_code == 302


def test_admin_login_is_limited_per_ip(client, admin_user, settings):
    settings.ZELFSCAN_RATE_PER_IP = "3/h"
    for name in ("a", "b", "c"):
        assert _login(client, username=name).status_code == 200
    assert _login(client, username="root", password="a-long-password-123").status_code == 429


def test_an_absurd_username_is_a_failed_login_not_an_error(client, admin_user):
    assert _login(client, username="x" * 10_000).status_code == 200


# --- the client's address behind proxies ----------------------------------------------------------


def _new_link(client, **extra):
    return client.post(reverse("assessments:new_link"), {"email": "nobody@example.org"}, **extra)


def test_a_forged_forwarded_for_is_ignored_when_no_proxy_is_trusted(client, db, settings):
    settings.ZELFSCAN_RATE_PER_IP = "3/h"
    settings.ZELFSCAN_RATE_PER_ADDRESS = "100/h"
    settings.ZELFSCAN_TRUSTED_PROXY_COUNT = 0
    for number in range(3):
        assert _new_link(client, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}").status_code == 302
    assert _new_link(client, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


def test_behind_a_trusted_proxy_each_client_has_its_own_budget(client, db, settings):
    settings.ZELFSCAN_RATE_PER_IP = "3/h"
    settings.ZELFSCAN_RATE_PER_ADDRESS = "100/h"
    settings.ZELFSCAN_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(3):
        assert _new_link(client, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy).status_code == 302
    # What the client writes in front of the proxy's entry changes nothing.
    assert _new_link(client, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5", **proxy).status_code == 429
    assert _new_link(client, HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy).status_code == 302
