"""Helpers for the browser tests: respondents in the database, the personal link, answering.

Selectors rely on ids, names and URLs rather than on interface text, so the tests keep working
while the Dutch translation is being written. Text is asserted only on English pages.
"""

import re

from django.core import mail
from playwright.sync_api import Page, expect

from assessments import services
from assessments.models import Response

LINK_PATH = re.compile(r"https?://[^/\s]+(/link/\?t=[\w-]+)")
DATA_LINK_PATH = re.compile(r"https?://[^/\s]+(/your-data/confirm/\?t=[\w-]+)")
# The position of each value in the radio group: levels 1-5, then "I don't know" (0).
RADIO_INDEX = {1: 0, 2: 1, 3: 2, 4: 3, 5: 4, 0: 5}
DONT_KNOW = 0


def mails_to(address: str) -> list:
    """Messages delivered to `address` so far (the outbox sends them on commit, in the server thread)."""
    from mailing.outbox import send_due

    send_due()  # anything whose on_commit delivery did not run yet
    return [m for m in mail.outbox if address.lower() in [to.lower() for to in m.to]]


def link_path_from(message) -> str:
    """The path and query of the personal link in an e-mail (SITE_URL is http://testserver in tests)."""
    found = LINK_PATH.search(message.body)
    assert found, f"no personal link in the e-mail:\n{message.body}"
    return found.group(1)


def data_link_from(message) -> str:
    """The path and query of the download or deletion confirmation link in an e-mail."""
    found = DATA_LINK_PATH.search(message.body)
    assert found, f"no confirmation link in the e-mail:\n{message.body}"
    return found.group(1)


def open_personal_link(page: Page, raw_or_path: str) -> None:
    """Open a personal link and press its button, as a respondent does (mouse)."""
    path = raw_or_path if raw_or_path.startswith("/") else f"/link/?t={raw_or_path}"
    page.goto(path)
    page.locator('main form[action="/link/"] button[type=submit]').click()
    expect(page).to_have_url(re.compile(r"/scan/[0-9a-f-]+/"))


def log_in(page: Page, response: Response) -> None:
    """Give this browser context a session for `response` through a fresh personal link."""
    open_personal_link(page, services.issue_token(response))


def scan_url(response: Response, tail: str = "") -> str:
    return f"/scan/{response.public_id}/{tail}"


def radio(page: Page, key: str, scale: str, value: int):
    return page.locator(f"#id_{key}-{scale}_{RADIO_INDEX[value]}")


def choose(page: Page, key: str, scale: str, value: int) -> None:
    """Choose a level by clicking its label, as a mouse user does."""
    page.locator(f'label[for="id_{key}-{scale}_{RADIO_INDEX[value]}"]').click()
    expect(radio(page, key, scale, value)).to_be_checked()


def statement_keys(page: Page) -> list[str]:
    """The keys (A1, A2, ...) of the statements on the theme page that is open."""
    ids = page.locator("section.statement > h2").evaluate_all("nodes => nodes.map(n => n.id)")
    return [i.removesuffix("-title") for i in ids]


def press_action(page: Page, action: str) -> None:
    """Press one of the theme page's buttons: previous, next, stop or save."""
    page.locator(f'main form button[name="action"][value="{action}"]').click()


def submit_main_form(page: Page) -> None:
    """Press the submit button of the form in <main> (the language switch is a form too, in the header)."""
    page.locator("main form button[type=submit]").first.click()


def theme_number(page: Page) -> int:
    found = re.search(r"/theme/(\d+)/", page.url)
    assert found, f"not on a theme page: {page.url}"
    return int(found.group(1))
