"""WCAG 2.1 A/AA checks with axe-core on every page, and reflow at 320 CSS pixels.

Two tours visit every page: the public pages, and a respondent's pages from registering to the
report and its read-only link. Each tour runs twice: once with axe-core at desktop width, once at
320 px wide, where nothing but a data table (inside its scrolling .table-wrapper) may be wider than
the viewport. Problems are collected over the whole tour and reported together, page by page.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from assessments import services
from assessments.models import Response
from conftest import answer_all, counted_response

from .helpers import (
    data_link_from,
    link_path_from,
    log_in,
    mails_to,
    open_personal_link,
    press_action,
    scan_url,
    submit_main_form,
)

pytestmark = pytest.mark.browser

AXE = Axe()
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
NARROW = 320

# Elements sticking out to the right of the viewport, outside a scrolling table wrapper.
OVERFLOWING = """(limit) => {
  const found = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.table-wrapper')) continue;
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > limit + 0.5) {
      const classes = typeof el.className === 'string' && el.className.trim()
        ? '.' + el.className.trim().replace(/\\s+/g, '.') : '';
      found.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + classes + ' right=' + Math.round(box.right));
    }
  }
  return found.slice(0, 8);
}"""


class PageChecker:
    """Checks each page it is shown and keeps a readable list of what failed, per page."""

    def __init__(self, mode: str):
        self.mode = mode
        self.pages: list[str] = []
        self.problems: list[str] = []

    def __call__(self, page: Page, label: str, *, lang: str = "nl") -> None:
        page.wait_for_load_state("load")  # the stylesheet is in, so the layout is the real one
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("main h1")).to_be_visible()
        label = f"{label} [{lang}] {page.url}"
        self.pages.append(label)
        if self.mode == "axe":
            self._axe(page, label)
        else:
            self._reflow(page, label)

    def _axe(self, page: Page, label: str) -> None:
        results = AXE.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            self.problems.append(f"=== {label}\n{results.generate_report()}")

    def _reflow(self, page: Page, label: str) -> None:
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW:
            sticking_out = page.evaluate(OVERFLOWING, NARROW)
            self.problems.append(f"=== {label}: scrollWidth {width} > {NARROW}; wider: {sticking_out}")

    def assert_clean(self, expected_pages: int) -> None:
        assert len(self.pages) == expected_pages, "pages checked:\n" + "\n".join(self.pages)
        what = "axe-core WCAG 2.1 A/AA violations" if self.mode == "axe" else f"pages wider than {NARROW} px"
        assert not self.problems, f"{len(self.problems)} page(s) with {what}:\n\n" + "\n\n".join(self.problems)


def open_context(new_context, mode: str):
    if mode == "reflow":
        return new_context(viewport={"width": NARROW, "height": 640})
    return new_context()


def switch_language(page: Page, code: str) -> None:
    page.locator(f'header .language-switch button[value="{code}"]').click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def public_tour(page: Page, check: PageChecker) -> None:
    for path, label in [
        ("/", "landing page"),
        ("/privacy/", "privacy statement"),
        ("/accessibility/", "accessibility statement"),
        ("/statements/", "the 21 statements"),
        ("/sample-report/", "sample report"),
        ("/analysis/", "national picture, no figures yet"),
        ("/open-data/", "open data"),
        ("/api/v1/docs/", "API reference"),
        ("/start/", "registration form"),
    ]:
        page.goto(path)
        check(page, label)

    submit_main_form(page)  # nothing filled in
    expect(page.locator(".error-summary")).to_be_visible()
    check(page, "registration form with errors")
    page.locator("#id_email").fill("not-an-address")
    page.locator("#id_municipality").fill("Atlantis")
    submit_main_form(page)
    expect(page.locator("#id_municipality")).to_have_attribute("aria-invalid", "true")
    check(page, "registration form with an unknown municipality")

    page.goto("/new-link/")
    check(page, "new link form")
    submit_main_form(page)
    expect(page.locator(".error-summary")).to_be_visible()
    check(page, "new link form with errors")
    page.locator("#id_email").fill("nobody@example.org")
    submit_main_form(page)
    expect(page).to_have_url(re.compile(r"/new-link/sent/$"))
    check(page, "new link sent")

    page.goto("/contact/")
    check(page, "contact form")
    submit_main_form(page)
    expect(page.locator(".error-summary")).to_be_visible()
    check(page, "contact form with errors")
    page.locator("#id_name").fill("Fatima")
    page.locator("#id_email").fill("fatima@example.org")
    page.locator("#id_organisation").fill("Gemeente Utrecht")
    page.locator('input[name="topic"][value="question"]').check()
    page.locator("#id_message").fill("Graag een workshop.")
    submit_main_form(page)
    expect(page).to_have_url(re.compile(r"/contact/sent/$"))
    check(page, "contact sent")

    page.goto("/link/?t=bogus")
    check(page, "link that does not work")
    page.goto("/shared/?t=bogus")
    check(page, "read-only link that does not work")
    page.goto("/does-not-exist/")
    check(page, "404 page")

    page.goto("/")
    switch_language(page, "en")
    check(page, "landing page", lang="en")
    page.goto("/start/")
    submit_main_form(page)
    check(page, "registration form with errors", lang="en")
    switch_language(page, "nl")


PUBLIC_PAGES = 22


@pytest.mark.parametrize("mode", ["axe", "reflow"])
def test_public_pages(new_context, mode):
    check = PageChecker(mode)
    public_tour(open_context(new_context, mode).new_page(), check)
    check.assert_clean(PUBLIC_PAGES)


def analysis_tour(page: Page, check: PageChecker) -> None:
    """The national picture with figures: charts, tables, a group that is shown and one that is not."""
    for path, label in [
        ("/analysis/", "national picture"),
        ("/analysis/?group=province-PV26", "national picture, a province"),
        ("/analysis/?group=province-PV27", "national picture, a group that is not shown"),
        ("/analysis/?group=nope", "national picture, unknown group"),
    ]:
        page.goto(path)
        check(page, label)
    page.goto("/analysis/")
    switch_language(page, "en")
    check(page, "national picture", lang="en")
    page.goto("/api/v1/docs/")
    check(page, "API reference", lang="en")
    switch_language(page, "nl")


ANALYSIS_PAGES = 6


@pytest.mark.parametrize("mode", ["axe", "reflow"])
def test_analysis_pages(new_context, mode):
    from analysis.tests.helpers import network

    network()
    check = PageChecker(mode)
    analysis_tour(open_context(new_context, mode).new_page(), check)
    check.assert_clean(ANALYSIS_PAGES)


def respondent_tour(new_context, mode: str, check: PageChecker, version, utrecht) -> None:
    for i in range(5):  # enough colleagues for the municipality comparison to be shown
        counted_response(version, utrecht, email=f"colleague{i}@utrecht.nl")
    context = open_context(new_context, mode)
    page = context.new_page()

    page.goto("/start/")
    page.locator("#id_email").fill("lotte@utrecht.nl")
    page.locator("#id_municipality").fill("Utrecht")
    page.locator("#id_domain").select_option("energy")
    page.locator("#id_role").select_option("programme")
    submit_main_form(page)
    expect(page).to_have_url(re.compile(r"/start/sent/$"))
    check(page, "registered")
    response = Response.objects.get(email="lotte@utrecht.nl")

    page.locator('main a[href="/start/correct-address/"]').click()
    check(page, "correct the address")
    page.locator("#id_email").fill("lotte@")
    submit_main_form(page)
    expect(page.locator(".error-summary")).to_be_visible()
    check(page, "correct the address, with errors")

    # The e-mailed link: its button page, then every theme page, with and without errors.
    page.goto(link_path_from(mails_to("lotte@utrecht.nl")[0]))
    check(page, "personal link (button)")
    open_personal_link(page, page.url[page.url.index("/link/") :])
    expect(page).to_have_url(re.compile(r"/theme/1/$"))
    for number in range(1, 7):
        page.goto(scan_url(response, f"theme/{number}/"))
        check(page, f"theme {number}")
        # Too long a note (pasted past the maxlength) and a level that is not on the list.
        first_note = page.locator('main textarea[name$="-note"]').first
        first_note.evaluate("(el, text) => { el.removeAttribute('maxlength'); el.value = text; }", "x" * 2001)
        page.locator("main input[type=radio]").first.evaluate("el => { el.value = '9'; el.checked = true; }")
        press_action(page, "next")
        expect(page.locator(".error-summary")).to_be_visible()
        check(page, f"theme {number} with errors")

    page.goto(scan_url(response, "theme/1/"))
    switch_language(page, "en")
    check(page, "theme 1", lang="en")
    switch_language(page, "nl")
    press_action(page, "stop")
    expect(page).to_have_url(re.compile(r"/saved/$"))
    check(page, "saved and stopped")

    page.goto(scan_url(response, "review/"))
    check(page, "review with missing answers")
    submit_main_form(page)
    expect(page.locator(".error-summary")).to_be_visible()
    check(page, "review after trying to submit with missing answers")

    answer_all(response, current=lambda s: 1 + s.position % 4, desired=lambda s: 5 if s.position % 5 else 0)
    stale_theme = context.new_page()
    stale_theme.goto(scan_url(response, "theme/2/"))
    page.goto(scan_url(response, "review/"))
    check(page, "review, complete")
    submit_main_form(page)
    expect(page).to_have_url(re.compile(r"/report/$"))
    expect(page.locator("main #themes + .table-wrapper")).to_contain_text("(n=")
    check(page, "report with the municipality comparison")

    page.locator("main #id_first").fill("Atlantis")
    page.locator('main form[action$="/report/compare/"] button[type=submit]').click()
    expect(page.locator("main .error-summary")).to_be_visible()
    check(page, "report with an error in the comparison form")
    page.locator("main #id_first").fill("Amersfoort")
    page.locator('main form[action$="/report/compare/"] button[type=submit]').click()
    expect(page).to_have_url(re.compile(r"/report/$"))
    check(page, "report compared with another municipality")

    switch_language(page, "en")
    check(page, "report", lang="en")
    switch_language(page, "nl")

    page.locator('main button[name=action][value="create"]').click()
    check(page, "read-only link created")
    shared = page.locator("#share-link").input_value()
    page.goto(shared[shared.index("/shared/") :])
    check(page, "read-only report")
    page.goto(scan_url(response, "report/"))
    page.locator('main button[name=action][value="revoke"]').click()
    check(page, "read-only links revoked")

    # A theme page left open from before submitting: saving it now is refused.
    press_action(stale_theme, "next")
    expect(stale_theme.locator(f'main a[href="{scan_url(response, "report/")}"]')).to_be_visible()
    check(stale_theme, "already submitted")

    # Another device, without the personal link.
    stranger = open_context(new_context, mode).new_page()
    stranger.goto(scan_url(response, "theme/1/"))
    check(stranger, "no access")
    stranger.goto(f"/link/?t={services.issue_token(response)}")
    check(stranger, "personal link (button), another device")


RESPONDENT_PAGES = 31


@pytest.mark.parametrize("mode", ["axe", "reflow"])
def test_respondent_pages(new_context, version, utrecht, mode):
    check = PageChecker(mode)
    respondent_tour(new_context, mode, check, version, utrecht)
    check.assert_clean(RESPONDENT_PAGES)


@pytest.mark.parametrize("mode", ["axe", "reflow"])
def test_refusal_pages(new_context, settings, mode):
    """The 429 pages: a form shown again with the notice, and the personal link's page."""
    settings.ZELFSCAN_RATE_PER_ADDRESS = "1/h"
    settings.ZELFSCAN_RATE_PER_IP = "2/h"
    check = PageChecker(mode)
    page = open_context(new_context, mode).new_page()
    for _ in range(2):
        page.goto("/new-link/")
        page.locator("#id_email").fill("nobody@example.org")
        submit_main_form(page)
    expect(page.locator(".notice")).to_contain_text("Te veel pogingen")
    check(page, "new link form, too many attempts")
    for guess in ("a", "b", "c"):
        page.goto(f"/link/?t={guess}")
    expect(page.locator("main h1")).to_have_text("Te veel pogingen")
    check(page, "personal link, too many attempts")
    check.assert_clean(2)


def data_protection_tour(new_context, mode: str, check: PageChecker, version, utrecht) -> None:
    """Downloading and deleting one's data: the request, the e-mailed confirmation, the result, and
    the links that do not work (altered, used, expired)."""
    from datetime import timedelta

    from django.utils import timezone

    from dataprotection.models import DataRequest

    response = counted_response(version, utrecht, email="sanne@utrecht.nl")
    page = open_context(new_context, mode).new_page()
    log_in(page, response)

    page.goto(scan_url(response, "your-data/"))
    check(page, "your data")
    page.locator('main button[name=purpose][value="download"]').click()
    expect(page).to_have_url(re.compile(r"/your-data/sent/"))
    check(page, "download link sent")
    page.goto(data_link_from(mails_to("sanne@utrecht.nl")[-1]))
    check(page, "download (button)")

    page.goto(scan_url(response, "your-data/"))
    page.locator('main button[name=purpose][value="delete"]').click()
    expect(page).to_have_url(re.compile(r"/your-data/sent/"))
    check(page, "deletion link sent")
    deletion = data_link_from(mails_to("sanne@utrecht.nl")[-1])
    page.goto(deletion)
    check(page, "deletion (button)")
    submit_main_form(page)
    expect(page.locator("main dl.card")).to_be_visible()
    check(page, "data deleted")
    page.goto(deletion)
    check(page, "deletion link already used")

    page.goto("/your-data/confirm/?t=bogus")
    check(page, "data link that does not work")
    now = timezone.now()
    DataRequest.objects.create(
        purpose="download",
        identity="sanne@utrecht.nl",
        token_hash=DataRequest.hash("expired-token"),
        created_at=now - timedelta(days=2),
        expires_at=now - timedelta(days=1),
    )
    page.goto("/your-data/confirm/?t=expired-token")
    check(page, "data link expired")
    switch_language(page, "en")
    check(page, "data link expired", lang="en")


DATA_PROTECTION_PAGES = 10


@pytest.mark.parametrize("mode", ["axe", "reflow"])
def test_data_protection_pages(new_context, version, utrecht, mode):
    check = PageChecker(mode)
    data_protection_tour(new_context, mode, check, version, utrecht)
    check.assert_clean(DATA_PROTECTION_PAGES)


def test_the_checks_find_known_problems(browser):
    """The checks themselves work: axe-core finds planted violations, the reflow check a wide page."""
    page = browser.new_page(viewport={"width": NARROW, "height": 640})
    try:
        page.set_content(
            '<html lang="nl"><head><title>Test</title></head><body><main><h1>Test</h1>'
            '<img src="data:,"><p style="color:#aaa">te licht</p><input type="text">'
            '<div style="width:400px">breed</div><div class="table-wrapper"><table style="width:600px"></table></div>'
            "</main></body></html>"
        )
        axe = PageChecker("axe")
        axe(page, "planted problems")
        reflow = PageChecker("reflow")
        reflow(page, "planted problems")
    finally:
        page.close()
    report = "\n".join(axe.problems)
    for rule in ("image-alt", "color-contrast", "label"):
        assert f"{rule}" in report, report
    assert len(reflow.problems) == 1 and "wider: ['div right=408']" in reflow.problems[0], reflow.problems


def coordinator_data(version, utrecht):
    """Utrecht: a closed round (5 colleagues) and an open one (15, with departments and domains),
    so that every part of the organisation report, the trend and the roadmap has figures."""
    import datetime

    from django.utils import timezone

    from insights.tests.helpers import colleague, named_round, twelve_colleagues
    from rounds.services import finalise

    autumn = named_round(utrecht, name="Najaar 2026")
    for i in range(5):
        colleague(version, utrecht, f"autumn{i}@utrecht.nl", 2, 4)
    autumn.closes_on = timezone.localdate() - datetime.timedelta(days=30)
    autumn.opens_on = autumn.closes_on - datetime.timedelta(days=20)
    autumn.save()
    finalise(autumn)
    spring = named_round(utrecht, name="Voorjaar 2027")
    twelve_colleagues(version, utrecht)
    for i in range(3):  # 15 in all: the snapshot (taken per K arrivals) holds them all
        colleague(version, utrecht, f"extra{i}@utrecht.nl", 4, 5, department="IT", domain="mobility")
    return spring


def coordinator_context(new_context, mode: str, live_server, utrecht):
    """A browser signed in as Carol, coordinator of Utrecht (both factors done, as the login
    pages leave it): the test client's signed session cookie, handed to the browser."""
    from django.conf import settings
    from django.test import Client

    from conftest import login_coordinator, make_coordinator

    client = Client()
    login_coordinator(client, make_coordinator("carol@utrecht.nl", utrecht))
    context = open_context(new_context, mode)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context


def coordinator_tour(new_context, mode: str, check: PageChecker, live_server, version, utrecht) -> None:
    spring = coordinator_data(version, utrecht)
    page = coordinator_context(new_context, mode, live_server, utrecht).new_page()
    base = f"/coordinator/rounds/{spring.pk}/report/"

    page.goto(base)
    expect(page.locator("main #statements")).to_be_visible()
    check(page, "organisation report")
    switch_language(page, "en")
    check(page, "organisation report", lang="en")
    switch_language(page, "nl")
    page.goto(base + "groups/")
    check(page, "departments and roles")
    page.locator("#id_by").select_option("domain")
    page.locator('label[for="id_scale_1"]').click()
    page.locator("main form.filter-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"by=domain&scale=desired"))
    check(page, "domains, desired")
    page.goto(base + "groups/?by=email&scale=current")
    expect(page.locator(".error-summary")).to_be_visible()
    check(page, "departments and roles with an error")
    page.goto(base + "trend/")
    page.locator("main details summary").first.click()
    check(page, "progress across rounds, charts open")

    page.goto(base + "present/")
    check(page, "presentation: agenda")
    for number, label in [(2, "stake"), (3, "bottlenecks"), (4, "a statement"), (9, "aspirations"), (10, "a theme")]:
        page.goto(f"{base}present/{number}/")
        check(page, f"presentation: {label}")

    page.goto(f"/coordinator/{utrecht.pk}/roadmap/")
    check(page, "roadmap, empty, with proposals")
    page.locator('main form[action$="/roadmap/items/new/"] button').first.click()
    expect(page).to_have_url(re.compile(r"/roadmap/items/\d+/$"))
    check(page, "roadmap item")
    save = page.locator("main form", has=page.locator("#id_actions")).locator("button[type=submit]")
    page.locator("#id_actions").evaluate(
        "(el, text) => { el.removeAttribute('maxlength'); el.value = text; }", "x" * 4001
    )
    save.click()
    expect(page.locator(".error-summary")).to_be_visible()
    check(page, "roadmap item with errors")
    page.locator("#id_actions").fill("Visie laten vaststellen door het college")
    save.click()
    expect(page).to_have_url(re.compile(r"/roadmap/$"))
    check(page, "roadmap with an item")
    page.goto(f"{base}present/16/")
    check(page, "presentation: roadmap")


COORDINATOR_PAGES = 17


@pytest.mark.parametrize("mode", ["axe", "reflow"])
def test_coordinator_pages(new_context, live_server, version, utrecht, mode):
    check = PageChecker(mode)
    coordinator_tour(new_context, mode, check, live_server, version, utrecht)
    check.assert_clean(COORDINATOR_PAGES)
