"""The respondent's whole journey in a real browser, with the mouse: from the landing page to the report."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from assessments import services
from assessments.models import Answer, Response
from conftest import answer_all, counted_response, make_response
from mailing.models import OutboxMessage

from .helpers import (
    DONT_KNOW,
    choose,
    link_path_from,
    log_in,
    mails_to,
    open_personal_link,
    press_action,
    radio,
    scan_url,
    statement_keys,
    submit_main_form,
    theme_number,
)

pytestmark = pytest.mark.browser

EMAIL = "Eva.deVries@DenHaag.nl"


def levels_for(key: str) -> tuple[int, int]:
    """A varied answer per statement: (now, in 3 to 5 years); C1 "in 3 to 5 years" is "I don't know"."""
    if key == "C1":
        return 2, DONT_KNOW
    if key == "E2":
        return DONT_KNOW, 3
    number = int(key[1:])
    return (1 + number % 3, 5 if number % 2 else 4)


def answer_theme(page, keys=None) -> list[str]:
    keys = keys if keys is not None else statement_keys(page)
    for key in keys:
        now, later = levels_for(key)
        choose(page, key, "current", now)
        choose(page, key, "desired", later)
    return keys


def saved_levels(response) -> list[tuple]:
    return sorted(Answer.objects.filter(response=response).values_list("statement__key", "current", "desired"))


def register(page, *, email=EMAIL, municipality="den haag", domain="data", role="policy", language="nl"):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    # "Start" on the landing page
    page.locator('main .button-group a.button[href="/start/"]').click()
    expect(page).to_have_url(re.compile(r"/start/$"))
    page.locator("#id_email").fill(email)
    page.locator("#id_municipality").fill(municipality)
    page.locator("#id_domain").select_option(domain)
    page.locator("#id_role").select_option(role)
    page.locator("#id_language").select_option(language)
    submit_main_form(page)
    expect(page).to_have_url(re.compile(r"/start/sent/$"))
    return Response.objects.get(email=email.lower())


def test_a_form_sent_from_the_browser_passes_the_csrf_check(page, live_server):
    """Every form on the site is a POST: a real browser's POST must be accepted. Under the referrer
    policy no-referrer (privacy model) browsers send "Origin: null" with a POST, which Django's own
    CSRF check refuses; zelfscan/csrf.py accepts it when Sec-Fetch-Site says it came from our page."""
    shown = page.goto("/new-link/")
    policy = shown.headers.get("referrer-policy")
    page.locator("#id_email").fill("someone@example.org")
    with page.expect_request(lambda request: request.method == "POST") as posted:
        submit_main_form(page)
    origin = posted.value.headers.get("origin")
    expect(page, f"POST refused; the browser sent Origin: {origin} under Referrer-Policy: {policy}").to_have_url(
        re.compile(r"/new-link/sent/$")
    )
    assert policy == "no-referrer"
    assert origin in ("null", live_server.url)


def test_whole_journey_from_landing_page_to_report(new_context):
    first_device = new_context()
    page = first_device.new_page()
    response = register(page)

    # The registered page shows the masked address, never the address itself.
    assert response.municipality_id == "GM0518"  # "den haag" is 's-Gravenhage
    main = page.locator("main")
    expect(main).to_contain_text("e***@d***.nl")
    expect(main).not_to_contain_text("devries", ignore_case=True)
    messages = mails_to(EMAIL)
    assert len(messages) == 1
    link_path = link_path_from(messages[0])

    # Theme 1 (the button of "check your e-mail" goes straight to it), answered by clicking
    # labels, then on to theme 2.
    page.locator(f'main a.button[href="{scan_url(response, "theme/1/")}"]').click()
    expect(page).to_have_url(re.compile(r"/theme/1/$"))
    theme_1 = answer_theme(page)
    assert theme_1 == ["A1", "A2", "A3", "A4"]
    press_action(page, "next")
    expect(page).to_have_url(re.compile(r"/theme/2/$"))
    first_of_theme_2 = statement_keys(page)[0]
    answer_theme(page, [first_of_theme_2])
    press_action(page, "stop")
    expect(page).to_have_url(re.compile(r"/saved/$"))
    expect(page.locator("main")).to_contain_text("e***@d***.nl")
    assert Answer.objects.filter(response=response).count() == 5

    # Another device: no cookies, so the scan itself is closed...
    second_device = new_context()
    page = second_device.new_page()
    page.goto(scan_url(response, "theme/2/"))
    expect(page.locator("main form")).to_have_count(0)
    assert radio(page, first_of_theme_2, "current", 1).count() == 0
    # ...until the e-mailed link is opened and its button pressed.
    open_personal_link(page, link_path)
    expect(page).to_have_url(re.compile(r"/theme/2/$"))  # the first theme with unanswered statements
    now, later = levels_for(first_of_theme_2)
    expect(radio(page, first_of_theme_2, "current", now)).to_be_checked()
    expect(radio(page, first_of_theme_2, "desired", later)).to_be_checked()
    response.refresh_from_db()
    assert response.email_confirmed_at is not None

    # Theme 1's answers were kept too.
    page.locator('nav.progress a[href$="/theme/1/"]').click()
    for key in theme_1:
        now, later = levels_for(key)
        expect(radio(page, key, "current", now)).to_be_checked()
        expect(radio(page, key, "desired", later)).to_be_checked()
    press_action(page, "next")
    expect(page).to_have_url(re.compile(r"/theme/2/$"))

    # The remaining themes; the last one's "next" goes to the review page.
    while "/theme/" in page.url:
        keys = [k for k in statement_keys(page) if k != first_of_theme_2]
        answer_theme(page, keys)
        number = theme_number(page)
        press_action(page, "next")
        if number < 6:
            expect(page).to_have_url(re.compile(rf"/theme/{number + 1}/$"))
    expect(page).to_have_url(re.compile(r"/review/$"))
    assert services.missing_scales(response) == {}
    assert Answer.objects.get(response=response, statement__key="C1").desired == DONT_KNOW

    # A second tab still showing the review page, and one still showing a theme page.
    review_tab = second_device.new_page()
    review_tab.goto(scan_url(response, "review/"))
    theme_tab = second_device.new_page()
    theme_tab.goto(scan_url(response, "theme/3/"))

    submit_main_form(page)
    expect(page).to_have_url(re.compile(r"/report/$"))
    check_report(page)
    response.refresh_from_db()
    submitted_at = response.submitted_at
    assert submitted_at is not None
    answers_before = saved_levels(response)

    # Submitting a second time changes nothing: the stale review tab just lands on the report...
    submit_main_form(review_tab)
    expect(review_tab).to_have_url(re.compile(r"/report/$"))
    # ...the browser's back button brings no form back to resubmit...
    page.go_back()
    expect(page).to_have_url(re.compile(r"/(review|report)/$"))
    if page.url.endswith("/review/"):
        submit_main_form(page)
        expect(page).to_have_url(re.compile(r"/report/$"))
    # ...and a stale theme page cannot change an answer of a submitted response.
    choose(theme_tab, "C1", "current", 5)
    press_action(theme_tab, "next")
    expect(theme_tab.locator("main a.button").first).to_have_attribute("href", scan_url(response, "report/"))

    response.refresh_from_db()
    assert response.submitted_at == submitted_at
    assert saved_levels(response) == answers_before
    assert OutboxMessage.objects.filter(kind="report_ready").count() == 1


NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def check_radar(page) -> None:
    """Every coordinate in the chart is a plain number (an SVG length list uses the comma as a
    separator, so "280,0" draws the label's first character at 280 and the next one at 0)."""
    radar = page.locator("main svg.radar")
    coordinates = radar.evaluate(
        """svg => [...svg.querySelectorAll('line.axis, text.axis-label')].flatMap(el =>
             ['x', 'y', 'x1', 'y1', 'x2', 'y2'].filter(a => el.hasAttribute(a))
               .map(a => [el.tagName + ' ' + el.textContent, a, el.getAttribute(a)]))"""
    )
    assert len(coordinates) == 21 * 4 + 21 * 2
    wrong = [c for c in coordinates if not NUMBER.match(c[2])]
    language = page.locator("html").get_attribute("lang")
    assert not wrong, f"radar chart coordinates that are not numbers (page language {language}): {wrong[:6]}"
    labels = radar.locator("text.axis-label").all_text_contents()
    assert labels[:3] == ["A1", "A2", "A3"] and labels[-1] == "F2"


def check_report(page) -> None:
    """The report shows the stage, the five largest gaps, the radar chart and the tables."""
    stage = page.locator("main .stage")
    expect(stage).to_be_visible()
    assert stage.inner_text().strip()
    expect(page.locator("main ol.gap-list > li")).to_have_count(5)
    radar = page.locator("main svg.radar")
    expect(radar).to_be_visible()
    expect(radar.locator("polygon.series-current")).to_have_count(1)
    expect(radar.locator("polygon.series-desired")).to_have_count(1)
    expect(radar.locator("text.axis-label")).to_have_count(21)
    # The per-theme table, and a per-statement table for each of the 6 themes (21 rows in all).
    expect(page.locator("main .table-wrapper table")).to_have_count(7)
    expect(page.locator("main #statements ~ .table-wrapper tbody tr")).to_have_count(21)


def test_report_in_english_after_the_language_switch(new_context, version, utrecht):
    response = make_response(version, utrecht, email="bram@utrecht.nl", language="nl")
    answer_all(response, current=lambda s: 1 + s.position % 3, desired=5)
    page = new_context().new_page()
    log_in(page, response)
    expect(page).to_have_url(re.compile(r"/review/$"))
    submit_main_form(page)
    expect(page).to_have_url(re.compile(r"/report/$"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("main svg.radar text.axis-label").first).to_have_text(re.compile(r"^A1"))

    page.locator('header form.language-switch button[value="en"]').click()
    expect(page).to_have_url(re.compile(r"/report/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_have_text("Your smart city report")
    expect(page.locator("main h2#gaps")).to_have_text("Your five largest gaps")
    # The instrument's own English texts, not the Dutch ones.
    expect(page.locator("main")).to_contain_text("Vision and governance")
    expect(page.locator("main")).not_to_contain_text("Visie en sturing")
    check_report(page)
    response.refresh_from_db()
    assert response.language == "en"

    # Later pages stay English, also a page outside the scan...
    page.locator('footer a[href="/privacy/"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_have_text("Privacy statement")
    # ...and on another device (a Dutch browser) once the respondent opens a personal link.
    other = new_context().new_page()
    log_in(other, response)
    expect(other).to_have_url(re.compile(r"/report/$"))
    expect(other.locator("html")).to_have_attribute("lang", "en")
    expect(other.locator("main h1")).to_have_text("Your smart city report")


@pytest.mark.parametrize("colleagues", [5, 4])
def test_report_compares_with_own_municipality_only_from_k_responses(new_context, version, utrecht, colleagues):
    for i in range(colleagues):
        counted_response(version, utrecht, email=f"colleague{i}@utrecht.nl", current=2, desired=4)
    page = new_context().new_page()
    # Registered in English, so the page text can be asserted exactly.
    response = register(
        page, email="noor@utrecht.nl", municipality="Utrecht", domain="it", role="management", language="en"
    )
    assert response.municipality_id == utrecht.pk
    expect(page.locator("html")).to_have_attribute("lang", "en")
    answer_all(response, current=3, desired=5)
    page.goto(scan_url(response))  # the resume page sends a complete response to its review
    expect(page).to_have_url(re.compile(r"/review/$"))
    submit_main_form(page)
    expect(page).to_have_url(re.compile(r"/report/$"))

    own = page.locator("main #comparisons + p + ul > li").first
    expect(own).to_contain_text("Utrecht")
    expect(own).to_contain_text("(your municipality)")
    per_theme = page.locator("main #themes + .table-wrapper table")
    if colleagues >= 5:
        # Only counted responses: the respondent's own address is not confirmed yet.
        expect(own).to_contain_text("shown: at least 5 people")
        expect(per_theme.locator("thead th")).to_have_count(6)
        expect(per_theme.locator("thead th").nth(4)).to_have_text("Utrecht: now")
        expect(per_theme.locator("tbody tr").first.locator("td").nth(3)).to_have_text("2.0 (n=5)")
        expect(per_theme.locator("tbody tr").first.locator("td").nth(4)).to_have_text("4.0 (n=5)")
    else:
        expect(own).to_contain_text(
            "not shown: fewer than 5 people from this municipality have completed the self-assessment."
        )
        expect(per_theme.locator("thead th")).to_have_count(4)
        expect(page.locator("main")).not_to_contain_text("n=")
    assert len(mails_to("noor@utrecht.nl")) == 2  # the personal link, and "your report is ready"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_radar_chart_is_drawn_in_both_languages(new_context, live_server, lang):
    context = new_context()
    # The language a visitor chose earlier with the switch (no POST needed here).
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url}])
    page = context.new_page()
    page.goto("/sample-report/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    check_radar(page)
