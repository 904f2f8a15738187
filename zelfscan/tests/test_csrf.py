"""Form posts under Referrer-Policy: no-referrer (browsers send Origin: null and no Referer)."""

import pytest
from django.test import Client
from django.urls import reverse

from contact.models import ContactRequest

FORM = {"name": "N", "email": "n@zwolle.nl", "organisation": "Zwolle", "topic": "question", "message": "Hi"}


@pytest.fixture
def browser(db):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("contact:contact"))
    token = page.context["csrf_token"]
    return client, str(token)


def post(client, token, secure=False, **headers):
    data = {**FORM, "csrfmiddlewaretoken": token}
    return client.post(reverse("contact:contact"), data, secure=secure, headers=headers)


def test_own_page_posting_with_origin_null_is_accepted(browser):
    client, token = browser
    assert post(client, token, Origin="null", **{"Sec-Fetch-Site": "same-origin"}).status_code == 302
    assert ContactRequest.objects.count() == 1


def test_own_page_posting_over_https_without_referer_is_accepted(browser):
    client, token = browser
    assert post(client, token, secure=True, **{"Sec-Fetch-Site": "same-origin"}).status_code == 302


@pytest.mark.parametrize("site", ["cross-site", "same-site", "none", None])
def test_origin_null_from_anywhere_else_is_refused(browser, site):
    client, token = browser
    headers = {"Origin": "null"}
    if site:
        headers["Sec-Fetch-Site"] = site
    assert post(client, token, **headers).status_code == 403
    assert ContactRequest.objects.count() == 0


def test_a_foreign_origin_is_refused_even_if_it_claims_same_origin(browser):
    client, token = browser
    result = post(client, token, Origin="https://evil.example", **{"Sec-Fetch-Site": "same-origin"})
    assert result.status_code == 403


def test_https_without_referer_from_elsewhere_is_refused(browser):
    client, token = browser
    assert post(client, token, secure=True).status_code == 403


def test_own_page_still_needs_the_csrf_token(browser):
    client, _token = browser
    assert post(client, "wrong" * 8, Origin="null", **{"Sec-Fetch-Site": "same-origin"}).status_code == 403
    assert ContactRequest.objects.count() == 0
