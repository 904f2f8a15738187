"""The same journey with the keyboard only: Tab, Shift+Tab, Space, Enter and the arrow keys.

No mouse clicks, no .click() and no .fill(): every control is reached with Tab and operated as a
keyboard user does. Every Tab stop on the way must show a visible focus indicator.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from assessments import services
from assessments.models import Answer, Response
from conftest import counted_response
from dataprotection.models import DataRequest

from .helpers import RADIO_INDEX, data_link_from, link_path_from, mails_to, radio, statement_keys

pytestmark = pytest.mark.browser

EMAIL = "kees@utrecht.nl"
MAX_TAB_STOPS = 120

FOCUSED = """(selector) => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
  return {
    matches: el.matches(selector),
    visible: visible,
    describe: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.name ? '[name=' + el.name + ']' : '')
      + ' "' + (el.innerText || el.value || '').trim().slice(0, 40) + '"',
  };
}"""


class Keyboard:
    """Moves through a page with Tab and records every element that received focus."""

    def __init__(self, page: Page):
        self.page = page
        self.without_focus_style: list[str] = []
        self.stops = 0

    def focused(self, selector: str = "*") -> dict:
        info = self.page.evaluate(FOCUSED, selector)
        self.stops += 1
        if not info["visible"]:
            self.without_focus_style.append(f"{self.page.url}: {info['describe']}")
        return info

    def tab_to(self, selector: str, *, backwards: bool = False) -> None:
        """Press Tab (or Shift+Tab) until the focused element matches `selector`."""
        key = "Shift+Tab" if backwards else "Tab"
        passed = []
        for _ in range(MAX_TAB_STOPS):
            self.page.keyboard.press(key)
            info = self.focused(selector)
            if info["matches"]:
                return
            passed.append(info["describe"])
        raise AssertionError(f"{selector} not reached with {key} on {self.page.url}; passed:\n" + "\n".join(passed))

    def answer(self, key: str, scale: str, value: int) -> None:
        """Tab into a radio group (focus lands on its first option) and choose with Space and the arrow keys."""
        self.tab_to(f'input[type=radio][name="{key}-{scale}"]')
        if value == 0:
            self.page.keyboard.press("ArrowUp")  # from the first option, wraps round to "I don't know"
        else:
            self.page.keyboard.press("Space")
            for _ in range(RADIO_INDEX[value]):
                self.page.keyboard.press("ArrowDown")
        expect(radio(self.page, key, scale, value)).to_be_checked()
        expect(radio(self.page, key, scale, value)).to_be_focused()


def levels_for(index: int) -> tuple[int, int]:
    """Now: a level 1-3. In 3 to 5 years: level 4, or "I don't know" for every third statement."""
    return 1 + index % 3, (0 if index % 3 == 2 else 4)


def answer_page(keyboard: Keyboard, keys: list[str], start: int) -> int:
    for offset, key in enumerate(keys):
        now, later = levels_for(start + offset)
        keyboard.answer(key, "current", now)
        keyboard.answer(key, "desired", later)
    return start + len(keys)


@pytest.mark.browser
def test_skip_link_is_the_first_tab_stop_and_focus_is_visible(page):
    page.goto("/")
    keyboard = Keyboard(page)
    page.keyboard.press("Tab")
    first = keyboard.focused("a.skip-link")
    assert first["matches"], f"the first Tab stop is {first['describe']}, not the skip link"
    assert first["visible"]
    skip = page.locator("a.skip-link")
    expect(skip).to_have_attribute("href", "#main")
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the focused skip link is off screen"
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab continues inside the main content, not in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert keyboard.focused()["visible"]
    # Shift+Tab goes back up, out of <main>, to the header.
    keyboard.tab_to("header form.language-switch button", backwards=True)
    assert keyboard.without_focus_style == []


def test_whole_journey_by_keyboard_only(new_context):
    page = new_context().new_page()
    keyboard = Keyboard(page)

    # Landing page -> Start.
    page.goto("/")
    keyboard.tab_to('main a.button[href="/start/"]')
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/start/$"))

    # Registration form, typed.
    keyboard.tab_to("#id_email")
    page.keyboard.type(EMAIL)
    keyboard.tab_to("#id_municipality")
    page.keyboard.type("Utrecht")
    keyboard.tab_to("#id_domain")
    page.keyboard.press("ArrowDown")
    keyboard.tab_to("#id_role")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_email")).to_have_value(EMAIL)
    expect(page.locator("#id_municipality")).to_have_value("Utrecht")
    expect(page.locator("#id_domain")).not_to_have_value("")
    expect(page.locator("#id_role")).not_to_have_value("")
    keyboard.tab_to("main form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/start/sent/$"))
    response = Response.objects.get(email=EMAIL)
    assert response.municipality_id == "GM0344"
    link_path = link_path_from(mails_to(EMAIL)[0])

    # Theme 1, then the first statement of theme 2, then "Save and stop for now" (with Space).
    keyboard.tab_to(f'main a.button[href="/scan/{response.public_id}/theme/1/"]')
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/theme/1/$"))
    answered = answer_page(keyboard, statement_keys(page), 0)
    keyboard.tab_to('button[name=action][value="next"]')
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/theme/2/$"))
    first_of_theme_2 = statement_keys(page)[0]
    answered = answer_page(keyboard, [first_of_theme_2], answered)
    keyboard.tab_to('button[name=action][value="stop"]')
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"/saved/$"))
    assert Answer.objects.filter(response=response).count() == 5

    # Another device: the e-mailed link, its button pressed with Enter.
    page = new_context().new_page()
    keyboard.page = page
    page.goto(link_path)
    keyboard.tab_to('main form[action="/link/"] button[type=submit]')
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/theme/2/$"))
    # Tab into the first statement's group: focus lands on the option chosen before.
    keyboard.tab_to(f'input[type=radio][name="{first_of_theme_2}-current"]')
    now, _later = levels_for(4)
    expect(radio(page, first_of_theme_2, "current", now)).to_be_focused()
    expect(radio(page, first_of_theme_2, "current", now)).to_be_checked()

    # The rest of the themes.
    while "/theme/" in page.url:
        keys = [k for k in statement_keys(page) if k != first_of_theme_2]
        answered = answer_page(keyboard, keys, answered)
        keyboard.tab_to('button[name=action][value="next"]')
        before = page.url
        page.keyboard.press("Enter")
        # The page it leaves matches the pattern too: wait until the next one has loaded.
        page.wait_for_url(lambda url, left=before: url != left and re.search(r"/(theme/\d+|review)/$", url) is not None)
    assert answered == 21
    assert services.missing_scales(response) == {}

    # Review: Shift+Tab from the submit button reaches "Back to the statements"; Tab returns.
    keyboard.tab_to("main form button[type=submit]")
    keyboard.tab_to("main form a.button--secondary", backwards=True)
    keyboard.tab_to("main form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/report/$"))
    expect(page.locator("main .stage")).to_be_visible()
    expect(page.locator("main ol.gap-list > li")).to_have_count(5)
    expect(page.locator("main svg.radar")).to_be_visible()
    expect(page.locator("main #statements ~ .table-wrapper tbody tr")).to_have_count(21)
    response.refresh_from_db()
    assert response.is_submitted and response.email_confirmed_at is not None
    assert Answer.objects.filter(response=response, desired=0).count() == 7

    # On the report, the read-only link is made with the keyboard as well.
    keyboard.tab_to('main form button[name=action][value="create"]')
    page.keyboard.press("Enter")
    expect(page.locator("#share-link")).to_have_value(re.compile(r"/shared/\?t="))

    assert keyboard.stops > 100
    assert keyboard.without_focus_style == [], "focus not visible on:\n" + "\n".join(keyboard.without_focus_style)


def test_download_and_deletion_by_keyboard_only(new_context, version, utrecht):
    """From the report to "your data", the e-mailed confirmation and the deletion, by keyboard."""
    response = counted_response(version, utrecht, email="lies@utrecht.nl")
    page = new_context().new_page()
    keyboard = Keyboard(page)
    page.goto(f"/link/?t={services.issue_token(response)}")
    keyboard.tab_to('main form[action="/link/"] button[type=submit]')
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/report/$"))

    keyboard.tab_to(f'main a[href="/scan/{response.public_id}/your-data/"]')
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/your-data/$"))
    keyboard.tab_to('main button[name=purpose][value="delete"]')
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/your-data/sent/\?purpose=delete$"))
    assert DataRequest.objects.filter(purpose="delete").count() == 1

    page.goto(data_link_from(mails_to("lies@utrecht.nl")[-1]))
    keyboard.tab_to("main form button[type=submit]")
    page.keyboard.press("Space")
    expect(page.locator("main dl.card")).to_be_visible()
    assert not Response.objects.filter(pk=response.pk).exists()
    assert keyboard.without_focus_style == [], "focus not visible on:\n" + "\n".join(keyboard.without_focus_style)


def test_presentation_by_keyboard_only(new_context, live_server, version, utrecht):
    """A coordinator presents with the keyboard: Tab to "Next" and Enter, through the agenda."""
    from .test_accessibility import coordinator_context, coordinator_data

    spring = coordinator_data(version, utrecht)
    page = coordinator_context(new_context, "axe", live_server, utrecht).new_page()
    keyboard = Keyboard(page)
    page.goto(f"/coordinator/rounds/{spring.pk}/report/present/")
    keyboard.tab_to("main a[rel=next]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/present/2/$"))
    keyboard.tab_to("main a[rel=next]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/present/3/$"))
    keyboard.tab_to("main a[rel=prev]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/present/2/$"))
    # The agenda leads to the first screen of each question.
    keyboard.tab_to('main a[href$="/present/"]')
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/present/$"))
    keyboard.tab_to(".present-agenda li:nth-child(4) a")
    page.keyboard.press("Enter")
    expect(page.locator("main h1")).to_have_text(re.compile(r"\?$"))
    assert keyboard.without_focus_style == []
