"""PDF downloads of the personal, the shared and the sample report.

Each view builds the same context as its web page (reports.views) and follows the same access
rules: the respondent's own session (the same decorator), a valid read-only share link (the
same token check), or nobody for the sample. The PDF itself comes from reports.pdf.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from instrument.models import InstrumentVersion

from . import pdf
from .views import report_context, sample_context, shared_response, submitted_respondent_view


def pdf_response(content: bytes, language: str) -> HttpResponse:
    result = HttpResponse(content, content_type="application/pdf")
    result["Content-Disposition"] = f'attachment; filename="{pdf.filename(language)}"'
    result["Cache-Control"] = "private, no-store"
    return result


@submitted_respondent_view
@require_GET
def report_pdf(request, response):
    """The respondent's own report, in the response's language."""
    context = report_context(response, group_key=request.GET.get("group"))
    return pdf_response(pdf.render_report_pdf(context, response.language), response.language)


@require_GET
def shared_pdf(request):
    """The report behind a read-only link, as a PDF; the token is checked as for the web page."""
    response, refusal = shared_response(request)
    if refusal is not None:
        return refusal
    context = report_context(response, shared=True, group_key=request.GET.get("group"))
    return pdf_response(pdf.render_report_pdf(context, response.language), response.language)


@require_GET
def sample_pdf(request):
    """The sample report with fictional data, in the visitor's current language."""
    version = InstrumentVersion.objects.current()
    if version is None:
        return render(request, "assessments/unavailable.html", status=503)
    language = translation.get_language()
    context = sample_context(version)
    return pdf_response(pdf.render_report_pdf(context, language), language)
