import functools

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods, require_POST

from assessments import services
from assessments.models import AccessToken, Response
from assessments.views import no_access, respondent_view
from instrument.models import InstrumentVersion

from .aggregates import comparison_for
from .forms import CompareForm
from .groups import available_groups, find_group, group_comparison
from .report import build_report, peer_section
from .sample import sample_answers, sample_comparisons, sample_group


def submitted_respondent_view(view):
    """The respondent's own session on a submitted response; before submitting, to the review."""

    @respondent_view
    @functools.wraps(view)
    def wrapper(request, response, *args, access, **kwargs):
        if not access:
            return no_access(request, response)
        if not response.is_submitted:
            return redirect("assessments:review", public_id=response.public_id)
        return view(request, response, *args, **kwargs)

    return wrapper


def _answers(response: Response) -> dict:
    return {a.statement_id: (a.current, a.desired, a.note) for a in response.answers.all()}


def report_context(response: Response, *, shared: bool = False, group_key: str | None = None) -> dict:
    """Everything a report shows (web page and PDF alike) for one response."""
    own = comparison_for(response.municipality, is_own=True)
    comparisons = [own] + [comparison_for(m) for m in response.compare_with.order_by("common_name")[:2]]
    context = build_report(response.instrument_version, _answers(response), comparisons)
    groups = available_groups(response.municipality)
    group = find_group(response.municipality, group_key)
    context.update(
        {
            "response": response,
            "shared": shared,
            "municipality": response.municipality,
            "groups": groups,
            "selected_group": group.key,
            "peer": peer_section(context, group_comparison(group), own),
        }
    )
    return context


@submitted_respondent_view
@require_http_methods(["GET"])
def report(request, response):
    context = report_context(response, group_key=request.GET.get("group"))
    chosen = list(response.compare_with.all())
    context["compare_form"] = CompareForm(
        initial={"first": chosen[0] if chosen else None, "second": chosen[1] if len(chosen) > 1 else None}
    )
    return render(request, "reports/report.html", context)


@submitted_respondent_view
@require_POST
def compare(request, response):
    form = CompareForm(request.POST)
    if not form.is_valid():
        context = report_context(response)
        context["compare_form"] = form
        return render(request, "reports/report.html", context, status=400)
    response.compare_with.set(form.chosen(response.municipality))
    return redirect("reports:report", public_id=response.public_id)


@submitted_respondent_view
@require_POST
def share(request, response):
    if request.POST.get("action") == "revoke":
        response.tokens.filter(kind=AccessToken.Kind.SHARE, revoked_at__isnull=True).update(revoked_at=timezone.now())
        return render(request, "reports/share_revoked.html", {"response": response})
    raw = services.issue_token(response, AccessToken.Kind.SHARE)
    return render(request, "reports/share_created.html", {"response": response, "link": services.share_link(raw)})


def shared_response(request) -> tuple[Response | None, HttpResponse | None]:
    """The response behind a read-only link (?t=), or the page that says why the link fails.
    Used by the shared web page and its PDF alike."""
    check = services.check_token(request.GET.get("t", ""), AccessToken.Kind.SHARE)
    if check.state == "expired":
        return None, render(request, "reports/shared_invalid.html", {"expired": True}, status=410)
    if check.state != "valid" or not check.token.response.is_submitted:
        return None, render(request, "reports/shared_invalid.html", {"expired": False}, status=404)
    services.touch_token(check.token)
    return check.token.response, None


def shared(request):
    """A read-only report link: shows the report (without notes or personal details), nothing else."""
    response, refusal = shared_response(request)
    if refusal is not None:
        return refusal
    context = report_context(response, shared=True, group_key=request.GET.get("group"))
    page = render(request, "reports/report.html", context)
    patch_cache_control(page, private=True, no_store=True)
    return page


def sample_context(version: InstrumentVersion) -> dict:
    """The sample report: the real report, filled with fictional answers and comparisons."""
    comparisons = sample_comparisons(version)
    context = build_report(version, sample_answers(version), comparisons)
    context.update(
        {
            "sample": True,
            "shared": True,
            "municipality": comparisons[0].municipality,
            "peer": peer_section(context, sample_group(version), comparisons[0]),
        }
    )
    return context


def sample_report(request):
    version = InstrumentVersion.objects.current()
    if version is None:
        return render(request, "assessments/unavailable.html", status=503)
    return render(request, "reports/report.html", sample_context(version))
