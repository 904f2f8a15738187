"""Tests for the small privacy helpers: zelfscan/privacy.py mask_email and the token redaction
of assessments/logging.py (tokens never appear in logs: privacy-model.md, "Personal links")."""

import logging

import pytest

from assessments.logging import RedactTokensFilter, redact
from zelfscan.privacy import mask_email

# --- mask_email ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("jan.jansen@utrecht.nl", "j***@u***.nl"),
        ("Alice@Example.org", "A***@E***.org"),
        ("piet@mail.gemeente.nl", "p***@m***.nl"),
        ("root@localhost", "r***@l***"),
        ("@utrecht.nl", "***@u***.nl"),
        ("a@b@utrecht.nl", "a***@u***.nl"),
    ],
)
def test_mask_email_keeps_first_letters_and_top_level_domain(address, masked):
    assert mask_email(address) == masked


@pytest.mark.parametrize("address", ["", None, "jan.jansen", "utrecht.nl"])
def test_mask_email_without_an_at_sign_is_fully_masked(address):
    assert mask_email(address) == "***"


def test_mask_email_hides_the_name_and_the_organisation():
    masked = mask_email("jan.jansen@utrecht.nl")
    assert "jansen" not in masked
    assert "utrecht" not in masked


# --- redact ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/link/?t=abc123", "/link/?t=[redacted]"),
        ("/link/?lang=en&t=abc123", "/link/?lang=en&t=[redacted]"),
        ("/link/?t=abc123&lang=en", "/link/?t=[redacted]&lang=en"),
        ('"GET /link/?t=Zx-9_aB HTTP/1.1" 200', '"GET /link/?t=[redacted] HTTP/1.1" 200'),
        (
            "http://testserver/link/?t=a1 and /report/shared/?t=b2",
            "http://testserver/link/?t=[redacted] and /report/shared/?t=[redacted]",
        ),
    ],
)
def test_redact_replaces_token_parameters(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", ["/link/", "/start/?lang=en", "/scan/?at=5&format=pdf", "no url here"])
def test_redact_leaves_other_text_alone(text):
    assert redact(text) == text


# --- RedactTokensFilter ------------------------------------------------------------------------


def _record(msg, args=()):
    return logging.LogRecord("django.request", logging.WARNING, __file__, 1, msg, args, None)


def test_filter_rewrites_a_message_with_a_token_from_its_arguments():
    record = _record("Not Found: %s", ("/link/?t=abc123",))
    assert RedactTokensFilter().filter(record) is True
    assert record.getMessage() == "Not Found: /link/?t=[redacted]"
    assert "abc123" not in record.getMessage()


def test_filter_rewrites_a_plain_message():
    record = _record("GET /link/?lang=nl&t=secret 200")
    assert RedactTokensFilter().filter(record) is True
    assert record.getMessage() == "GET /link/?lang=nl&t=[redacted] 200"


def test_filter_leaves_a_message_without_a_token_untouched():
    record = _record("mail %s (%s) not sent, attempt %s", (12, "confirm", 3))
    assert RedactTokensFilter().filter(record) is True
    assert record.msg == "mail %s (%s) not sent, attempt %s"
    assert record.args == (12, "confirm", 3)


def test_filter_redacts_through_a_handler():
    records = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(self.format(record))

    handler = Collect()
    handler.addFilter(RedactTokensFilter())
    logger = logging.getLogger("zelfscan.tests.redact")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("opened %s", "/link/?t=abc123")
    finally:
        logger.removeHandler(handler)
    assert records == ["opened /link/?t=[redacted]"]


def test_logging_settings_attach_the_filter_to_the_console_handler(settings):
    assert settings.LOGGING["filters"]["redact_tokens"]["()"] == "assessments.logging.RedactTokensFilter"
    assert "redact_tokens" in settings.LOGGING["handlers"]["console"]["filters"]
