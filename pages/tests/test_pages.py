"""Every public page renders in Dutch and English; error pages; security headers."""

import pytest
from django.urls import reverse

PUBLIC_PAGES = [
    "pages:home",
    "pages:privacy",
    "pages:accessibility",
    "pages:instrument",
    "assessments:start",
    "assessments:new_link",
    "assessments:new_link_sent",
    "contact:contact",
    "contact:sent",
    "reports:sample",
]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_public_page_renders_in_language(client, version, name, language):
    client.cookies["django_language"] = language
    page = client.get(reverse(name))
    assert page.status_code == 200
    content = page.content.decode()
    assert f'<html lang="{language}">' in content
    assert 'href="#main"' in content  # skip link


def test_dutch_is_the_default_language(client, version):
    content = client.get(reverse("pages:home")).content.decode()
    assert '<html lang="nl">' in content
    assert "Start de zelfscan" in content


def test_landing_page_explains_purpose_time_privacy_and_links_the_sample(client, version, settings):
    client.cookies["django_language"] = "en"
    content = client.get(reverse("pages:home")).content.decode()
    assert "20 to 30 minutes" in content
    assert f"at least {settings.ZELFSCAN_K} people" in content
    assert reverse("reports:sample") in content
    assert reverse("pages:privacy") in content


def test_instrument_page_lists_all_21_statements(client, version):
    content = client.get(reverse("pages:instrument")).content.decode()
    for statement in version.statements.all():
        assert statement.get_text() in content


def test_language_switch_works_without_javascript(client, version):
    result = client.post(reverse("set_language"), {"language": "en", "next": "/privacy/"})
    assert result.status_code == 302
    assert '<html lang="en">' in client.get("/privacy/").content.decode()


def test_unknown_page_is_a_friendly_404(client, version):
    page = client.get("/does-not-exist/")
    assert page.status_code == 404
    assert reverse("pages:home") in page.content.decode()


def test_security_headers(client, version):
    page = client.get(reverse("pages:home"))
    assert page["Referrer-Policy"] == "no-referrer"
    assert page["X-Frame-Options"] == "DENY"
    assert page["X-Content-Type-Options"] == "nosniff"


def test_pages_work_before_the_instrument_is_loaded(client, db):
    from instrument.models import InstrumentVersion

    InstrumentVersion.objects.all().delete()
    assert client.get(reverse("pages:home")).status_code == 200
    assert client.get(reverse("assessments:start")).status_code == 503
    assert client.get(reverse("reports:sample")).status_code == 503


def test_public_pages_refuse_posts(client, version):
    assert client.post(reverse("pages:home")).status_code == 405


def test_content_security_policy_allows_only_this_site(client, version):
    policy = client.get(reverse("pages:home"))["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy
