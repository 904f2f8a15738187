"""The privacy and accessibility statements show the figures the code runs with."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from dataprotection.checks import check_controller, check_retention


def page(client, name, language="en") -> str:
    client.cookies["django_language"] = language
    result = client.get(reverse(name))
    assert result.status_code == 200
    return result.content.decode()


def test_privacy_statement_figures_come_from_the_settings(client, db, settings):
    settings.ZELFSCAN_RETENTION_DAYS = 123
    settings.ZELFSCAN_K = 7
    settings.ZELFSCAN_LINK_VALIDITY_DAYS = 45
    content = page(client, "pages:privacy")
    assert "123 days after your last activity" in content
    assert "123 days after we received them" in content
    assert "role 123\ndays after the last invitation" in content or "role 123 days after the last invitation" in content
    assert "at least 7 counted respondents" in content
    assert "at least 7 new responses" in content
    assert "It works for 45 days after you" in content
    assert "730" not in content
    assert "works for 24\nhours" in content or "works for 24 hours" in content


def test_privacy_statement_in_dutch_shows_the_same_figures(client, db, settings):
    settings.ZELFSCAN_RETENTION_DAYS = 400
    settings.ZELFSCAN_K = 6
    content = page(client, "pages:privacy", "nl")
    assert "400 dagen" in content
    assert "minstens 6" in content
    assert "Autoriteit" in content


def test_privacy_statement_names_the_configured_controller(client, db, settings):
    settings.ZELFSCAN_CONTROLLER_NAME = "Gemeente Voorbeeld"
    settings.ZELFSCAN_CONTROLLER_EMAIL = "privacy@voorbeeld.nl"
    settings.ZELFSCAN_DPO_EMAIL = "fg@voorbeeld.nl"
    content = page(client, "pages:privacy")
    assert "Gemeente Voorbeeld runs this Zelfscan" in content
    assert 'href="mailto:privacy@voorbeeld.nl"' in content
    assert 'href="mailto:fg@voorbeeld.nl"' in content


def test_privacy_statement_without_a_configured_controller_says_so(client, db, settings):
    settings.ZELFSCAN_CONTROLLER_NAME = ""
    settings.ZELFSCAN_DPO_EMAIL = ""
    content = page(client, "pages:privacy")
    assert "It has not filled in its name yet" in content
    assert "can be sent to the same address" in content
    assert f'href="mailto:{settings.ZELFSCAN_CONTROLLER_EMAIL}"' in content


def test_privacy_statement_lists_the_cookies_the_site_sets(client, db, settings):
    content = page(client, "pages:privacy")
    for name, age in (
        (settings.SESSION_COOKIE_NAME, settings.SESSION_COOKIE_AGE),
        (settings.CSRF_COOKIE_NAME, settings.CSRF_COOKIE_AGE),
        (settings.LANGUAGE_COOKIE_NAME, settings.LANGUAGE_COOKIE_AGE),
    ):
        assert f"<code>{name}</code>" in content
        assert f"{round(age / 86400)} days" in content


def test_privacy_statement_covers_what_the_issue_asks(client, db):
    content = page(client, "pages:privacy")
    for heading in (
        "Who is responsible",
        "What we use your data for",
        "Legal basis",
        "What we store",
        "How long we keep your data",
        "Who receives your data",
        "Your rights",
        "Cookies",
    ):
        assert f">{heading}</h2>" in content, heading
    assert "autoriteitpersoonsgegevens.nl" in content
    assert "Article 6(1)(e) GDPR" in content
    assert "Download or delete your data" in content


def test_accessibility_statement_is_honest_about_its_status(client, db, settings):
    settings.ZELFSCAN_CONTROLLER_EMAIL = "toegankelijk@voorbeeld.nl"
    content = page(client, "pages:accessibility")
    assert "Status: first measures taken" in content
    assert "No independent accessibility audit has been done yet" in content
    assert "axe-core" in content and "320 pixels" in content and "keyboard alone" in content
    assert "screen readers" in content
    assert "mailto:toegankelijk@voorbeeld.nl" in content
    assert "26 November 2026" in content
    dutch = page(client, "pages:accessibility", "nl")
    assert "eerste maatregelen genomen" in dutch


def test_the_system_checks_guard_the_settings(settings):
    settings.ZELFSCAN_RETENTION_DAYS = 0
    assert [e.id for e in check_retention(None)] == ["dataprotection.E001"]
    settings.ZELFSCAN_RETENTION_DAYS = 730
    assert check_retention(None) == []
    settings.ZELFSCAN_CONTROLLER_NAME = ""
    assert [w.id for w in check_controller(None)] == ["dataprotection.W001"]
    settings.ZELFSCAN_CONTROLLER_NAME = "Gemeente Voorbeeld"
    assert check_controller(None) == []


@pytest.mark.parametrize("value", ["0", "-5"])
def test_a_retention_period_below_one_day_is_refused(settings, value):
    settings.ZELFSCAN_RETENTION_DAYS = int(value)
    from django.core.management.base import SystemCheckError

    with pytest.raises(SystemCheckError):
        call_command("check")
