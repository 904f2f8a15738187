"""PDFs of coordinator pages (the organisation report, the roadmap): the same template body as
the web page, printed by WeasyPrint with the report's machinery (reports.pdf): static files only,
tagged PDF/UA-1, charts kept as vector SVG."""

import functools
import re

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape

from reports import pdf as report_pdf

CHART_STYLESHEET = "insights/insights_pdf_chart.css"
FILENAME_STEMS = {
    "report": {"nl": "organisatierapport", "en": "organisation-report"},
    "roadmap": {"nl": "roadmap", "en": "roadmap"},
}


@functools.cache
def _chart_style() -> str:
    """The chart rules for WeasyPrint, which applies only an SVG's own <style> inside it: the
    personal report's chart rules plus those of these charts."""
    parts = []
    for name in (report_pdf.CHART_STYLESHEET, CHART_STYLESHEET):
        path = report_pdf.find_static(name)
        if path is None:
            raise FileNotFoundError(f"static file {name!r} not found")
        with open(path, encoding="utf-8") as file:
            parts.append(file.read())
    return f"<style>{escape(chr(10).join(parts))}</style>"


_SVG_START = re.compile(r"<svg\b[^>]*>")


def filename(kind: str, language: str, code: str, day=None) -> str:
    day = day or timezone.localdate()
    stems = FILENAME_STEMS[kind]
    return f"{stems.get(language, stems['en'])}-{code}-{day.isoformat()}.pdf"


def render_pdf(template: str, context: dict, language: str) -> bytes:
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(template, {**context, "pdf": True, "created_at": timezone.localtime()})
    html = _SVG_START.sub(lambda match: match.group(0) + _chart_style(), html)
    document = HTML(string=html, base_url=report_pdf.base_url(), url_fetcher=report_pdf.static_fetcher())
    return document.write_pdf(pdf_variant=report_pdf.PDF_VARIANT)
