"""Browser fixtures: one headless Chromium per test session, a fresh context (fresh cookies) per test.

Browser tests use pytest-django's `live_server`, which flushes the database after each test,
so every test reloads the instrument and municipality register through `ensure_base_data()`.
"""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls our tests make from it
# are ordinary blocking calls, so Django's async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import expect, sync_playwright  # noqa: E402

CHROMIUM = os.environ.get("ZELFSCAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

expect.set_options(timeout=5_000)


@pytest.fixture(scope="session")
def playwright_instance():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def base_data(live_server):
    """The instrument and register, back after the previous browser test flushed the database."""
    from conftest import ensure_base_data
    from throttling.services import clear

    clear()  # rate-limit counters live in a cache table that the flush between tests leaves alone
    return ensure_base_data()


@pytest.fixture
def new_context(browser, live_server, base_data):
    """Open another browser context: another device, without cookies. Closed after the test."""
    contexts = []
    csp_violations = []

    def record(message):
        if "Content Security Policy" in message.text:
            csp_violations.append(message.text)

    def open_context(**options):
        options.setdefault("locale", "nl-NL")  # a Dutch civil servant's browser
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(5_000)
        # The site has no favicon; answering Chromium's request here keeps stray requests off the
        # live server (which shares the test's in-memory database connection).
        context.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))
        context.on("console", record)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
    # Nothing any page does may be blocked by the Content Security Policy.
    assert csp_violations == []


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(context):
    return context.new_page()
