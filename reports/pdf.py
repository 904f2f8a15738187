"""The personal report as a PDF: the same template body and the same numbers as the web page.

`render_report_pdf` renders `reports/report_pdf.html` (a thin wrapper around the one report body,
`report_body.html`) in the given language and turns it into a tagged A4 PDF with WeasyPrint.
The body is rendered with `shared` and `pdf` set, so it never holds notes, forms or personal
details: a PDF is a report that travels. Static files (the stylesheets) are read from the
staticfiles finders on this machine; WeasyPrint never fetches anything over the network.

Speed: WeasyPrint cascades every stylesheet rule over every element of every PDF, so the report
gets print stylesheets with only the rules it uses (`PDF_STYLESHEETS`, not the site's zelfscan.css),
parsed once per process and handed to WeasyPrint ready-made instead of fetched and parsed from
<link> elements for each PDF; and the fonts are looked up once per thread (`font_config`), not for
every PDF. The rest is WeasyPrint laying out the tables (bench/README.md, figure f).
"""

import functools
import logging
import mimetypes
import os
import re
import threading
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone, translation
from django.utils.html import escape

TEMPLATE = "reports/report_pdf.html"
CHART_STYLESHEET = "reports/report_pdf_chart.css"
# The report's print stylesheets, in cascade order: the rules of the site's stylesheet the report
# body uses, then the print rules it shares with the coordinator PDFs (A4, footer, type sizes).
PDF_STYLESHEETS = ("reports/report_pdf_base.css", "reports/report_pdf.css")
# PDF/UA-1: tagged PDF (structure tree, reading order, alternative texts), document language
# and title shown in the viewer's title bar. WeasyPrint sets PDF 1.7 and tagging for it.
PDF_VARIANT = "pdf/ua-1"
FILENAME_STEMS = {"nl": "zelfscan-rapport", "en": "zelfscan-report"}


class _WebCssNoise(logging.Filter):
    """The coordinator PDFs use the site's stylesheet (zelfscan.css) under the print stylesheet. WeasyPrint
    warns about what it does not support there (SVG properties, `clip`, media queries); those
    warnings say nothing about the PDF, so they are dropped. Errors (a resource that could not be
    loaded, a broken SVG) still pass."""

    NOISE = ("Ignored `", "Expected a media type", "Invalid media type")

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.levelno == logging.WARNING and str(record.msg).startswith(self.NOISE))


logging.getLogger("weasyprint").addFilter(_WebCssNoise())


@functools.cache
def _fetcher_class():
    """WeasyPrint is imported on first use, so the site runs (without PDFs) where Pango is missing."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        """Serves static files from the staticfiles finders (or the collected files) and `data:`
        URLs; refuses everything else, so rendering a PDF never opens a network connection."""

        def __init__(self):
            super().__init__(allowed_protocols=("http", "https", "data"), fail_on_errors=True)
            self.static_root = urljoin(base_url(), settings.STATIC_URL)

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = urlsplit(url).path
            if not url.startswith(self.static_root) or not path.startswith(urlsplit(self.static_root).path):
                raise ValueError(f"refused to fetch {url!r}: a PDF reads static files only")
            name = path[len(urlsplit(self.static_root).path) :]
            found = find_static(name)
            if found is None:
                raise FileNotFoundError(f"static file {name!r} not found")
            with open(found, "rb") as file:
                body = file.read()
            content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return StaticFilesFetcher


def static_fetcher():
    """A WeasyPrint URL fetcher that reads static files from this machine and nothing else."""
    return _fetcher_class()()


def find_static(name: str) -> str | None:
    """The file behind a static name: from the app folders (development, tests), else from
    the collected files (production after collectstatic)."""
    if ".." in name.split("/"):
        return None
    path = finders.find(name)
    if path:
        return path
    try:
        if staticfiles_storage.exists(name):
            return staticfiles_storage.path(name)
    except NotImplementedError:  # a storage without local paths
        return None
    return None


def base_url() -> str:
    """Relative URLs in the PDF (stylesheets, links) resolve against the site's address."""
    return settings.SITE_URL.rstrip("/") + "/"


def filename(language: str, day=None) -> str:
    """zelfscan-rapport-2026-11-26.pdf (Dutch) or zelfscan-report-2026-11-26.pdf (English)."""
    day = day or timezone.localdate()
    stem = FILENAME_STEMS.get(language, FILENAME_STEMS["en"])
    return f"{stem}-{day.isoformat()}.pdf"


def render_report_html(context: dict, language: str) -> str:
    """The HTML the PDF is made from, in `language`."""
    with translation.override(language):
        context = {
            **context,
            "shared": True,
            "pdf": True,
            "created_at": timezone.localtime(),
        }
        return render_to_string(TEMPLATE, context)


@functools.cache
def _chart_style() -> str:
    path = find_static(CHART_STYLESHEET)
    if path is None:
        raise FileNotFoundError(f"static file {CHART_STYLESHEET!r} not found")
    with open(path, encoding="utf-8") as file:
        return f"<style>{escape(file.read())}</style>"


_SVG_START = re.compile(r"<svg\b[^>]*>")


def style_inline_svg(html: str) -> str:
    """WeasyPrint draws an inline <svg> with the SVG's own <style> only (the page's stylesheets
    do not reach into it, and @import there is not supported): give every chart the chart
    stylesheet, whose rules use plain colours."""
    return _SVG_START.sub(lambda match: match.group(0) + _chart_style(), html)


def stylesheets() -> list:
    """`PDF_STYLESHEETS` as WeasyPrint stylesheets, read through the static fetcher like a <link>
    and parsed once per process (again when a file changes, as in development). WeasyPrint gives
    stylesheets passed this way the "user" origin: above its own defaults, below the document's
    styles, of which the report has only the charts' <style> (rules for the shapes inside them)."""
    sheets = []
    for name in PDF_STYLESHEETS:
        path = find_static(name)
        if path is None:
            raise FileNotFoundError(f"static file {name!r} not found")
        sheets.append(_parsed_stylesheet(urljoin(base_url(), static(name)), os.stat(path).st_mtime_ns))
    return sheets


@functools.lru_cache(maxsize=16)
def _parsed_stylesheet(url: str, mtime_ns: int):
    """One parsed stylesheet; `mtime_ns` is part of the cache key only. WeasyPrint reads a parsed
    stylesheet without changing it, so one object serves every PDF."""
    from weasyprint import CSS

    return CSS(url=url, url_fetcher=static_fetcher(), media_type="print")


_fonts = threading.local()


def font_config():
    """WeasyPrint's font configuration (fontconfig's fonts in a Pango font map), one per thread and
    kept between PDFs: a new one for every PDF reads fontconfig's configuration again and starts
    Pango's font caches cold (20-30 ms of a report PDF), and is not all freed (a process making
    report PDFs grew 0.7 MB per PDF with a new one each time, 0.5 MB with this one). Per thread
    because a Pango font map is not thread-safe. The PDFs have no @font-face, so it only ever
    holds the system fonts."""
    from weasyprint.text.fonts import FontConfiguration

    config = getattr(_fonts, "config", None)
    if config is None:
        config = _fonts.config = FontConfiguration()
    return config


def render_report_pdf(context: dict, language: str) -> bytes:
    """The report as a PDF (bytes). `context` is the one the web page is rendered with."""
    from weasyprint import HTML

    html = style_inline_svg(render_report_html(context, language))
    document = HTML(string=html, base_url=base_url(), url_fetcher=static_fetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT, stylesheets=stylesheets(), font_config=font_config())
