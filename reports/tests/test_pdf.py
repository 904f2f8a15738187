"""The PDF of the report: access as for the web pages, A4, tagged, in the respondent's language,
without notes or personal details, and with the same numbers as the web report."""

import html
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from assessments import services
from assessments.models import AccessToken
from conftest import answer_all, confirm, counted_response, login, make_response
from reports import pdf
from reports.tests.test_report import viewer_current, viewer_desired

NOTE = "Geheime notitie over de wethouder"
NAME = "Alice Vertrouwelijk"
EMAIL = "alice.pdf@utrecht.nl"


def colleague_current(i):
    return lambda statement: (statement.position + i) % 5 + 1


def colleague_desired(i):
    # One colleague says "don't know" on statement 2 desired: 5 of 6 gave a level (still >= K).
    return lambda statement: 0 if (i == 0 and statement.position == 2) else min(5, (statement.position + i) % 4 + 2)


def submitted(version, municipality, language, email=EMAIL, name=NAME):
    """A submitted, confirmed response with a name, notes and the given language."""
    response = make_response(version, municipality, email=email, language=language, name=name)
    answer_all(response, viewer_current, viewer_desired)
    response.answers.filter(statement__position__in=[1, 7]).update(note=NOTE)
    confirm(response)
    services.submit(response)
    response.refresh_from_db()
    return response


@pytest.fixture
def viewer_factory(version, utrecht, amersfoort):
    """A respondent in Utrecht with 5 counted colleagues (so Utrecht's figures show, n=6), who
    compares with Amersfoort (5 counted) and Zwolle (none: "not shown" and why)."""

    def make(language):
        for i in range(5):
            counted_response(version, utrecht, f"u{i}@utrecht.nl", colleague_current(i), colleague_desired(i))
            counted_response(version, amersfoort, f"a{i}@amersfoort.nl", colleague_current(i + 2), 4)
        response = submitted(version, utrecht, language)
        response.compare_with.set(["GM0307", "GM0193"])
        return response

    return make


def logged_in(client, response):
    login(client, response)
    return client


def pdf_url(response):
    return reverse("reports:report_pdf", kwargs={"public_id": response.public_id})


def read(result) -> PdfReader:
    assert result.status_code == 200, result.content[:500]
    assert result["Content-Type"] == "application/pdf"
    assert result.content.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(result.content))


def pdf_text(reader: PdfReader) -> str:
    # A line broken after a hyphen ("self-|assessment") is one word again.
    return " ".join(re.sub(r"(?<=\w)-\n(?=\w)", "-", page.extract_text()) for page in reader.pages)


def normalise(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def web_blocks(page_html: str) -> list[str]:
    """The text of every paragraph, list item, table row, caption and heading of the web report,
    from "Your overall picture" up to the owner-only sections (notes, sharing); forms and the
    chart (whose numbers are in the tables) left out."""
    main = page_html[page_html.index('<h2 id="stage">') :]
    if '<h2 id="notes">' in main:
        main = main[: main.index('<h2 id="notes">')]
    main = re.sub(r"<form\b.*?</form>", "", main, flags=re.S)
    main = re.sub(r"<svg\b.*?</svg>", "", main, flags=re.S)
    main = re.sub(r"<br\s*/?>|</t[dh]>", " ", main)
    blocks = re.findall(r"<(p|li|tr|caption|h2|h3)\b[^>]*>(.*?)</\1>", main, flags=re.S)
    texts = [normalise(html.unescape(re.sub(r"<[^>]+>", "", body))) for _tag, body in blocks]
    return [text for text in texts if text]


# --- Access -----------------------------------------------------------------------------------


def test_owner_downloads_the_pdf_with_the_right_headers(client, version, utrecht):
    response = submitted(version, utrecht, "nl")
    result = logged_in(client, response).get(pdf_url(response))
    reader = read(result)
    today = timezone.localdate().isoformat()
    assert result["Content-Disposition"] == f'attachment; filename="zelfscan-rapport-{today}.pdf"'
    assert result["Cache-Control"] == "private, no-store"
    assert len(reader.pages) >= 2


def test_english_respondent_gets_an_english_file_name(client, version, utrecht):
    response = submitted(version, utrecht, "en")
    result = logged_in(client, response).get(pdf_url(response))
    read(result)
    assert result["Content-Disposition"].startswith('attachment; filename="zelfscan-report-')


def test_other_sessions_and_anonymous_visitors_get_no_pdf(client, version, utrecht):
    response = submitted(version, utrecht, "nl")
    assert client.get(pdf_url(response)).status_code == 403
    other = make_response(version, utrecht, email="bob@utrecht.nl")
    login(client, other)
    refused = client.get(pdf_url(response))
    assert refused.status_code == 403
    assert refused["Content-Type"].startswith("text/html")


def test_an_unsubmitted_response_has_no_pdf_yet(respondent_client, respondent):
    result = respondent_client.get(pdf_url(respondent))
    assert result.status_code == 302
    assert result["Location"] == reverse("assessments:review", kwargs={"public_id": respondent.public_id})


def test_pdf_is_get_only(client, version, utrecht):
    response = submitted(version, utrecht, "nl")
    assert logged_in(client, response).post(pdf_url(response)).status_code == 405


def test_share_link_gives_the_pdf_until_it_is_revoked(client, version, utrecht):
    response = submitted(version, utrecht, "en")
    login(client, response)
    share_url = reverse("reports:share", kwargs={"public_id": response.public_id})
    link = client.post(share_url, {"action": "create"}).context["link"]
    token = link.split("t=")[1]
    stranger = client.__class__()
    shared_page = stranger.get(reverse("reports:shared"), {"t": token}).content.decode()
    pdf_link = html.unescape(re.search(r'href="([^"]*/shared/pdf/[^"]*)"', shared_page)[1])
    assert pdf_link == f"{reverse('reports:shared_pdf')}?t={token}"
    reader = read(stranger.get(pdf_link))
    text = pdf_text(reader)
    assert NOTE not in text and NAME not in text and EMAIL not in text
    # The share token opens the shared PDF only, not the owner's.
    assert stranger.get(pdf_url(response)).status_code == 403
    client.post(share_url, {"action": "revoke"})
    assert stranger.get(pdf_link).status_code == 404


def test_bogus_and_expired_share_links_give_no_pdf(client, version, utrecht, settings):
    url = reverse("reports:shared_pdf")
    assert client.get(url).status_code == 404
    assert client.get(url, {"t": "nonsense"}).status_code == 404
    response = submitted(version, utrecht, "nl")
    raw = services.issue_token(response, AccessToken.Kind.SHARE)
    AccessToken.objects.filter(kind=AccessToken.Kind.SHARE).update(
        created_at=timezone.now() - timedelta(days=settings.ZELFSCAN_LINK_VALIDITY_DAYS + 1)
    )
    assert client.get(url, {"t": raw}).status_code == 410
    # A personal link's token is no share link.
    personal = services.issue_token(response)
    assert client.get(url, {"t": personal}).status_code == 404


@pytest.mark.parametrize(("language", "stem"), [("nl", "zelfscan-rapport"), ("en", "zelfscan-report")])
def test_sample_report_pdf_in_the_current_language(client, version, language, stem):
    client.cookies["django_language"] = language
    page = client.get(reverse("reports:sample")).content.decode()
    assert f'href="{reverse("reports:sample_pdf")}"' in page
    result = client.get(reverse("reports:sample_pdf"))
    reader = read(result)
    assert f'filename="{stem}-' in result["Content-Disposition"]
    assert reader.trailer["/Root"]["/Lang"] == language
    text = normalise(pdf_text(reader))
    assert "(n=24)" in text
    with translation.override(language):
        assert gettext("Sample report") in text


def test_report_page_links_to_its_pdf(client, version, utrecht):
    response = submitted(version, utrecht, "en")
    page = logged_in(client, response).get(reverse("reports:report", kwargs={"public_id": response.public_id}))
    assert f'href="{pdf_url(response)}">Download as PDF</a>' in page.content.decode()


def test_report_ready_mail_points_to_the_pdf_without_a_second_token(version, utrecht, sent_mail):
    response = make_response(version, utrecht, email="mail@utrecht.nl", language="en")
    answer_all(response)
    sent_mail()
    services.submit(response)
    body = sent_mail()[-1].body
    assert "download your report as a PDF" in body
    assert body.count("?t=") == 1


# --- The document -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_pdf_is_a4_tagged_titled_and_in_the_respondents_language(client, version, utrecht, language):
    response = submitted(version, utrecht, language)
    reader = read(logged_in(client, response).get(pdf_url(response)))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == language
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp
    with translation.override(language):
        assert reader.metadata.title == f"{gettext('Smart City Self-Assessment')} – Utrecht"
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)


def test_the_radar_stays_vector_with_its_alternative_text(client, version, utrecht):
    response = submitted(version, utrecht, "en")
    reader = read(logged_in(client, response).get(pdf_url(response)))
    figures = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, dict):
            if node.get("/S") == "/Figure":
                figures.append(node)
            kids = node.get("/K")
            for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
                walk(kid)
        elif isinstance(node, list):
            for kid in node:
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert [str(figure["/Alt"]) for figure in figures] == ["Radar chart: level now and desired level per statement"]
    # Vector: no raster image anywhere in the document.
    assert all(not page.images for page in reader.pages)


def test_page_numbers_date_version_municipality_and_k(client, version, utrecht):
    response = submitted(version, utrecht, "nl")
    reader = read(logged_in(client, response).get(pdf_url(response)))
    total = len(reader.pages)
    with translation.override("nl"):
        label = gettext("Page %(page)s of %(pages)s")
    for number, page in enumerate(reader.pages, start=1):
        text = normalise(page.extract_text())
        assert label % {"page": number, "pages": total} in text
    text = normalise(pdf_text(reader))
    assert version.version in text
    assert "Utrecht" in text
    with translation.override("nl"):
        from django.utils.formats import date_format

        assert date_format(timezone.localdate(), "j F Y") in text  # the date the PDF was made
        assert date_format(timezone.localtime(response.submitted_at), "j F Y") in text
    assert "minstens 5 mensen" in text  # K


def test_pdf_holds_no_notes_name_or_email(client, version, utrecht):
    response = submitted(version, utrecht, "nl")
    owner_page = logged_in(client, response).get(reverse("reports:report", kwargs={"public_id": response.public_id}))
    assert NOTE in owner_page.content.decode()  # the owner sees the notes on the web page
    result = client.get(pdf_url(response))
    reader = read(result)
    everything = pdf_text(reader) + str(reader.metadata) + reader.trailer["/Root"]["/Metadata"].get_data().decode()
    for secret in (NOTE, NAME, EMAIL, "alice.pdf"):
        assert secret not in everything
    assert str(response.public_id) not in everything


@pytest.mark.parametrize("language", ["nl", "en"])
def test_pdf_holds_the_same_numbers_as_the_web_report(client, viewer_factory, language):
    response = viewer_factory(language)
    login(client, response)
    page = client.get(reverse("reports:report", kwargs={"public_id": response.public_id}))
    assert page.status_code == 200
    page_html = page.content.decode()
    context = page.context
    reader = read(client.get(pdf_url(response)))
    text = normalise(pdf_text(reader))

    # The comparisons the test builds are really there: Utrecht (n=6) and Amersfoort shown,
    # Zwolle not (and says why).
    shown = {c.municipality.pk: c.shown for c in context["comparisons"]}
    assert shown == {"GM0344": True, "GM0307": True, "GM0193": False}
    assert context["comparisons"][0].n_responses == 6

    # Every paragraph, list item and table row of the web report is in the PDF, word for word:
    # the stage, the averages, the five largest gaps, the comparison groups with their n (or why
    # one is missing), K, every theme row and every statement row with the municipality figures.
    blocks = web_blocks(page_html)
    assert len(blocks) > 40
    missing = [block for block in blocks if block not in text]
    assert missing == []

    # And the figures themselves, from the report context (not from the page), as shown.
    with translation.override(language):
        from pages.templatetags.zelfscan import decimal_comma, level_name

        assert str(context["current_stage_label"]) in text
        assert str(context["comparisons"][0].k) in text
        for block in context["themes"]:
            row = [f"{block.theme.key}. {block.theme.get_title()}"]
            row += [decimal_comma(v) for v in (block.summary.current, block.summary.desired, block.summary.gap)]
            for cell in block.comparisons:
                if cell.comparison.shown:
                    for figure in (cell.current, cell.desired):
                        row.append(f"{decimal_comma(figure.mean)} (n={figure.n})" if figure.shown else None)
            assert_row_in(row, text)
            for statement_row in block.rows:
                cells = [f"{statement_row.statement.key}. {statement_row.statement.get_topic()}"]
                cells += [level_name(statement_row.current), level_name(statement_row.desired)]
                cells.append(gap_text(statement_row))
                for cell in statement_row.comparisons:
                    if cell.comparison.shown:
                        for figure in (cell.current, cell.desired):
                            cells.append(f"{decimal_comma(figure.mean)} (n={figure.n})" if figure.shown else None)
                assert_row_in(cells, text)
        top = context["top_gaps"]
        assert len(top) == 5
        for gap_row in top:
            assert f"{gap_row.statement.key}. {gap_row.statement.get_topic()}: " in text
        # The municipality means carry their n: Utrecht's statement figures have n=6 or n=5.
        assert "(n=6)" in text and "(n=5)" in text


def gap_text(row) -> str:
    from pages.templatetags.zelfscan import signed

    if row.gap_kind == "gap":
        return signed(row.gap)
    if row.gap_kind == "none":
        return gettext("none")
    if row.gap_kind == "lower":
        return gettext("desired lower than now (%(difference)s)") % {"difference": row.gap}
    return "–"


def assert_row_in(cells: list, text: str) -> None:
    """The cells of one table row appear in this order in the PDF text (None: "not shown")."""
    pattern = r"\s+".join(re.escape(cell) if cell is not None else r"\S.*?" for cell in cells)
    assert re.search(pattern, text), cells


def test_static_files_come_from_the_finders_and_nothing_else_is_fetched():
    fetcher = pdf.static_fetcher()
    response = fetcher.fetch(pdf.base_url() + "static/reports/report_pdf.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"
    for url in (
        "https://example.org/static/reports/report_pdf.css",
        pdf.base_url() + "admin/",
        pdf.base_url() + "static/../settings.py",
        "file:///etc/passwd",
    ):
        with pytest.raises((ValueError, FileNotFoundError)):
            fetcher.fetch(url)


def test_the_pdf_stylesheets_style_every_site_class_the_report_uses(client, version, viewer_factory):
    """The PDF's own stylesheets replace zelfscan.css: a class of the report body that the site
    styles (a new notice, a new legend swatch) must have a rule there too, or it prints unstyled."""

    def classes(css: str) -> set[str]:
        css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
        return set(re.findall(r"\.([A-Za-z][\w-]*)", re.sub(r"\{[^{}]*\}", "{}", css)))

    def read_static(name: str) -> str:
        with open(pdf.find_static(name), encoding="utf-8") as file:
            return file.read()

    response = viewer_factory("nl")
    from reports.views import report_context, sample_context

    used = set()
    for context in (report_context(response), report_context(response, shared=True), sample_context(version)):
        page = pdf.render_report_html(context, "nl")
        page = re.sub(r"<svg\b.*?</svg>", "", page, flags=re.S)  # the chart has its own stylesheet
        for attribute in re.findall(r'class="([^"]*)"', page):
            used.update(attribute.split())
    styled_for_pdf = set().union(*(classes(read_static(name)) for name in pdf.PDF_STYLESHEETS))
    styled_on_site = classes(read_static("zelfscan/zelfscan.css"))
    assert {"card", "number", "muted", "legend-swatch--band"} <= used
    assert sorted((used & styled_on_site) - styled_for_pdf) == []


def test_the_pdf_stylesheets_are_parsed_once():
    first, second = pdf.stylesheets(), pdf.stylesheets()
    assert [sheet.__class__.__name__ for sheet in first] == ["CSS", "CSS"]
    assert all(a is b for a, b in zip(first, second, strict=True))
