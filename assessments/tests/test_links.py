"""Personal links: a GET shows a button, the POST exchanges the token; expiry, revocation, tampering."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import AccessToken


@pytest.fixture
def token(respondent):
    return services.issue_token(respondent)


def test_get_shows_a_button_and_confirms_nothing(client, respondent, token):
    page = client.get(reverse("assessments:link"), {"t": token})
    assert page.status_code == 200
    assert f'value="{token}"' in page.content.decode()
    respondent.refresh_from_db()
    assert respondent.email_confirmed_at is None
    # Mail scanners open links first: the link still works afterwards.
    assert client.get(reverse("assessments:link"), {"t": token}).status_code == 200


def test_post_confirms_the_address_and_opens_the_response(client, respondent, token):
    result = client.post(reverse("assessments:link"), {"t": token})
    assert result.status_code == 302
    assert result["Location"] == reverse("assessments:resume", kwargs={"public_id": respondent.public_id})
    assert "t=" not in result["Location"]
    respondent.refresh_from_db()
    assert respondent.email_confirmed_at is not None
    assert client.get(result["Location"]).status_code == 302  # on to the first theme


def test_link_can_be_used_more_than_once(client, respondent, token):
    assert client.post(reverse("assessments:link"), {"t": token}).status_code == 302
    other = client.__class__()
    assert other.post(reverse("assessments:link"), {"t": token}).status_code == 302


def test_pages_send_no_referrer(client, respondent, token):
    page = client.get(reverse("assessments:link"), {"t": token})
    assert page["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("raw", ["", "garbage", "x" * 500])
def test_altered_or_missing_token_gets_404_with_a_way_forward(client, respondent, token, raw):
    page = client.post(reverse("assessments:link"), {"t": raw})
    assert page.status_code == 404
    assert reverse("assessments:new_link") in page.content.decode()


def test_altered_token_in_a_get_gets_404(client, respondent, token):
    page = client.get(reverse("assessments:link"), {"t": token[:-1] + ("A" if token[-1] != "A" else "B")})
    assert page.status_code == 404


def test_expired_link_gets_410_and_keeps_answers(client, respondent, token, settings):
    from conftest import answer_all

    answer_all(respondent)
    AccessToken.objects.update(created_at=timezone.now() - timedelta(days=settings.ZELFSCAN_LINK_VALIDITY_DAYS + 1))
    page = client.post(reverse("assessments:link"), {"t": token})
    assert page.status_code == 410
    assert reverse("assessments:new_link") in page.content.decode()
    assert respondent.answers.count() == 21


def test_link_stays_valid_for_the_period_after_last_use(client, respondent, token, settings):
    days = settings.ZELFSCAN_LINK_VALIDITY_DAYS
    AccessToken.objects.update(
        created_at=timezone.now() - timedelta(days=days * 3), last_used_at=timezone.now() - timedelta(days=days - 1)
    )
    assert client.post(reverse("assessments:link"), {"t": token}).status_code == 302


def test_revoked_link_does_not_work(client, respondent, token):
    AccessToken.objects.update(revoked_at=timezone.now())
    assert client.post(reverse("assessments:link"), {"t": token}).status_code == 404


def test_share_token_is_not_a_personal_link(client, respondent):
    raw = services.issue_token(respondent, AccessToken.Kind.SHARE)
    assert client.post(reverse("assessments:link"), {"t": raw}).status_code == 404


def test_only_the_hash_of_a_token_is_stored(respondent, token):
    stored = AccessToken.objects.values_list("token_hash", flat=True)
    assert token not in list(stored)
    assert AccessToken.hash(token) in list(stored)


def test_link_pages_do_not_leak_the_token_into_logs(client, respondent, token, caplog):
    import logging

    from assessments.logging import RedactTokensFilter

    record = logging.LogRecord("django.server", logging.INFO, "", 0, '"GET /link/?t=%s HTTP/1.1" 200', (token,), None)
    RedactTokensFilter().filter(record)
    assert token not in record.getMessage()


def test_personal_pages_are_never_cached(respondent_client, respondent, client):
    page = respondent_client.get(reverse("assessments:theme", kwargs={"public_id": respondent.public_id, "number": 1}))
    assert "no-store" in page["Cache-Control"]
    link_page = client.get(reverse("assessments:link"), {"t": services.issue_token(respondent)})
    assert "no-store" in link_page["Cache-Control"]


def test_expired_csrf_on_the_contact_form_keeps_the_message(db):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    result = browser.post(reverse("contact:contact"), {"name": "Els", "message": "A workshop in May, please."})
    assert result.status_code == 403
    assert "A workshop in May, please." in result.content.decode()
