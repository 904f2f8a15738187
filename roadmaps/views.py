"""The smart city roadmap of a municipality, for its coordinators: proposals from an
organisation report, the items on a timeline, editing, and the CSV and PDF exports."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import record
from coordinators.access import for_municipality
from coordinators.services import actor_label
from insights import pdf
from insights.orgreport import round_report
from rounds.models import Round

from . import exports, services
from .forms import ItemForm
from .models import RoadmapItem
from .roadmap import build, default_round


def _rounds(municipality) -> list[Round]:
    return list(Round.objects.filter(municipality=municipality).order_by("kind", "-opens_on", "-id"))


def _source(municipality, value: str | None) -> tuple[Round | None, str | None]:
    """The round the proposals come from: the one asked for (?round=), or the default."""
    if value:
        found = next((r for r in _rounds(municipality) if str(r.pk) == value), None)
        if found is None:
            return default_round(municipality, _k()), _("Choose one of your municipality's rounds.")
        found.municipality = municipality
        return found, None
    return default_round(municipality, _k()), None


def _k() -> int:
    return settings.ZELFSCAN_K


def _page(request, municipality, source, *, error: str | None = None, status: int = 200):
    context = build(municipality, source)
    context.update({"rounds": _rounds(municipality), "error": error})
    return render(request, "roadmaps/roadmap.html", context, status=status)


@for_municipality
@require_GET
def roadmap(request, municipality):
    source, error = _source(municipality, request.GET.get("round"))
    return _page(request, municipality, source, error=error, status=400 if error else 200)


@for_municipality
@require_POST
def add_item(request, municipality):
    """Put a statement of the chosen round's report on the roadmap (with proposed defaults)."""
    source, error = _source(municipality, request.POST.get("round") or "-")
    if error is not None:
        return _page(request, municipality, source, error=error, status=400)
    report = round_report(source)
    row = next((r for r in report.context["rows"] if r.statement.lineage == request.POST.get("statement")), None)
    if row is None:
        return _page(request, municipality, source, error=_("Choose a statement from the list."), status=400)
    item, created = services.add_item(
        municipality,
        row.statement,
        report.snapshot,
        row.current.figure,
        row.desired.figure,
        by=actor_label(request.user),
    )
    if created:
        messages.success(request, _("The statement is on the roadmap. Fill in the details."))
    else:
        messages.info(request, _("This statement was already on the roadmap."))
    return redirect("roadmaps:item", code=municipality.pk, item_id=item.pk)


def _item(municipality, item_id: int) -> RoadmapItem:
    return get_object_or_404(
        RoadmapItem.objects.select_related("statement__theme", "baseline__round", "roadmap"),
        pk=item_id,
        roadmap__municipality=municipality,
    )


@for_municipality
@require_http_methods(["GET", "POST"])
def item(request, municipality, item_id: int):
    item = _item(municipality, item_id)
    departments = list(municipality.departments.values_list("name", flat=True))
    form = ItemForm(request.POST or None, instance=item, departments=departments)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            services.update_item(item, form.cleaned_data)
            messages.success(request, _("The roadmap item has been saved."))
            return redirect("roadmaps:roadmap", code=municipality.pk)
    view = next(v for v in build(municipality)["items"] if v.item.pk == item.pk)
    context = {"municipality": municipality, "item": item, "view": view, "form": form, "k": _k()}
    return render(request, "roadmaps/item.html", context, status=status)


@for_municipality
@require_POST
def remove_item(request, municipality, item_id: int):
    services.remove_item(_item(municipality, item_id))
    messages.success(request, _("The statement has been taken off the roadmap."))
    return redirect("roadmaps:roadmap", code=municipality.pk)


def _record_export(request, municipality, context: dict, action: str) -> None:
    """Every download of a roadmap is in the audit log: who, which roadmap, how many items."""
    record(
        action,
        actor=actor_label(request.user),
        target=f"roadmap#{context['roadmap'].pk}" if context["roadmap"] else "roadmap#none",
        municipality=municipality.pk,
        count=len(context["items"]),
    )


def _csv_filename(municipality) -> str:
    return f"roadmap-{municipality.pk}-{timezone.localdate().isoformat()}.csv"


@for_municipality
@require_GET
def roadmap_csv(request, municipality):
    context = build(municipality)
    content = exports.to_csv(context["items"])
    _record_export(request, municipality, context, "export.roadmap_csv")
    page = HttpResponse("\ufeff" + content, content_type="text/csv; charset=utf-8")
    page["Content-Disposition"] = f'attachment; filename="{_csv_filename(municipality)}"'
    return page


@for_municipality
@require_GET
def roadmap_pdf(request, municipality):
    language = translation.get_language()
    context = build(municipality)
    content = pdf.render_pdf("roadmaps/roadmap_pdf.html", context, language)
    _record_export(request, municipality, context, "export.roadmap_pdf")
    page = HttpResponse(content, content_type="application/pdf")
    page["Content-Disposition"] = f'attachment; filename="{pdf.filename("roadmap", language, municipality.pk)}"'
    return page
