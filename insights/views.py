"""The organisation report of a round for its coordinators: overview, departments and roles,
progress across rounds, the presentation and the PDF. Access: coordinators.access.for_round
(a coordinator of the round's municipality only); every figure from the round's snapshot."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from audit.services import record
from coordinators.access import for_round
from coordinators.services import actor_label
from rounds.services import version_for

from . import groups, pdf, presentation, trend
from .forms import GroupsForm
from .orgreport import round_report


def _unavailable(request):
    return render(request, "assessments/unavailable.html", status=503)


@for_round
@require_GET
def report(request, round_):
    if version_for(round_) is None:
        return _unavailable(request)
    context = round_report(round_).context
    return render(request, "insights/report.html", {**context, "section": "overview"})


@for_round
@require_GET
def by_group(request, round_):
    """Where departments, domains and roles see it differently (?by=department|domain|role,
    ?scale=current|desired)."""
    if version_for(round_) is None:
        return _unavailable(request)
    result = round_report(round_)
    form = GroupsForm({"by": request.GET.get("by", "department"), "scale": request.GET.get("scale", "current")})
    dimension, scale, status = "department", "current", 200
    if form.is_valid():
        dimension, scale = form.cleaned_data["by"], form.cleaned_data["scale"]
    else:
        status = 400
    context = {
        **result.context,
        **groups.build(result.context["version"], result.snapshot, dimension, scale),
        "form": form,
        "section": "groups",
    }
    return render(request, "insights/groups.html", context, status=status)


@for_round
@require_GET
def progress(request, round_):
    """Progress across rounds, up to this round."""
    if version_for(round_) is None:
        return _unavailable(request)
    result = round_report(round_)
    points = trend.points_up_to(round_, result.snapshot)
    context = {**result.context, **trend.build(result.context["version"], points), "section": "trend"}
    return render(request, "insights/trend.html", context)


def _roadmap_context(result) -> dict:
    from roadmaps.roadmap import build

    return build(result.round.municipality, source=result.round, report=result)


@for_round
@require_GET
def present(request, round_, screen: int = 1):
    """One screen of the presentation; previous and next are plain links (no JavaScript)."""
    if version_for(round_) is None:
        return _unavailable(request)
    result = round_report(round_)
    context = result.context
    all_screens = presentation.screens(context, _roadmap_context(result))
    if not 1 <= screen <= len(all_screens):
        raise Http404("no such screen")
    context.update(
        {
            "screen": all_screens[screen - 1],
            "number": screen,
            "count": len(all_screens),
            "previous": screen - 1 if screen > 1 else None,
            "next": screen + 1 if screen < len(all_screens) else None,
            "agenda": presentation.agenda(all_screens),
            "questions": dict(presentation.QUESTIONS),
        }
    )
    return render(request, "insights/present.html", context)


@for_round
@require_GET
def report_pdf(request, round_):
    """The whole report (overview, every department and role view, progress) as a PDF."""
    if version_for(round_) is None:
        return _unavailable(request)
    result = round_report(round_)
    version = result.context["version"]
    language = translation.get_language()
    context = {
        **result.context,
        "breakdowns": groups.all_breakdowns(version, result.snapshot),
        **trend.build(version, trend.points_up_to(round_, result.snapshot)),
    }
    content = pdf.render_pdf("insights/report_pdf.html", context, language)
    record(
        "export.report_pdf",
        actor=actor_label(request.user),
        target=f"round#{round_.pk}",
        municipality=round_.municipality_id,
        snapshot=result.snapshot.pk if result.snapshot else None,
    )
    page = HttpResponse(content, content_type="application/pdf")
    page["Content-Disposition"] = f'attachment; filename="{pdf.filename("report", language, round_.municipality_id)}"'
    return page
