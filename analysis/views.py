"""The public analysis pages: the national picture, its CSV/XLSX exports and the open data."""

import json
import re

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from instrument.models import InstrumentVersion

from . import charts, exports
from .catalogue import NATIONAL, public_groups
from .figures import current_period, group_aggregates, many_group_aggregates
from .forms import SelectionForm
from .opendata import all_groups, datapackage, open_data_json, published_municipalities

OVERVIEW_KINDS = ("size", "province")
OVERVIEW_GAPS = 3


def _selection(request):
    """The selection form and, when it is valid, the chosen group and version."""
    versions = list(InstrumentVersion.objects.order_by("published_at", "id"))
    form = SelectionForm(request.GET, groups=public_groups(), versions=versions)
    if not form.is_valid():
        return form, None, None
    group, version = form.selected(InstrumentVersion.objects.current())
    return form, group, version


@require_safe
def national(request):
    form, group, version = _selection(request)
    if form.errors:
        return render(request, "analysis/national.html", {"form": form}, status=400)
    if version is None:
        return render(request, "assessments/unavailable.html", status=503)
    period = current_period()
    groups = form.groups
    overview_groups = [g for g in groups.values() if g.kind in OVERVIEW_KINDS]
    national, selected, *overview = many_group_aggregates([groups[NATIONAL], group, *overview_groups], version, period)
    overview = [(aggregates, aggregates.largest_gaps(OVERVIEW_GAPS)) for aggregates in overview]
    context = {
        "form": form,
        "version": version,
        "period": period,
        "k": settings.ZELFSCAN_K,
        "national": national,
        "selected": selected,
        "overview": overview,
        "query": request.GET.urlencode(),
    }
    context.update(page_charts(selected))
    return render(request, "analysis/national.html", context)


def page_charts(aggregates) -> dict:
    """The charts of the selected group: gaps per statement (largest first), ambitions per theme,
    and the distribution per statement."""
    if not aggregates.shown:
        return {}
    with_gap = sorted(
        (row for row in aggregates.statements if row.gap is not None),
        key=lambda row: (-row.gap, row.statement.position),
    )
    themes = [row for row in aggregates.themes if row.current.shown and row.desired.shown]
    return {
        "gap_rows": with_gap,
        "gap_chart": charts.dumbbells([(r.statement.key, r.current.mean, r.desired.mean) for r in with_gap]),
        "theme_chart": charts.dumbbells([(r.theme.key, r.current.mean, r.desired.mean) for r in themes]),
        "distribution_chart": charts.stacked_bars(
            [
                (
                    row.statement.key,
                    [(_("now"), row.current.distribution), (_("desired"), row.desired.distribution)],
                )
                for row in aggregates.statements
            ]
        ),
        "has_distributions": any(row.current.distribution or row.desired.distribution for row in aggregates.statements),
    }


@require_safe
def export(request, kind):
    form, group, version = _selection(request)
    if form.errors:
        return HttpResponse(_errors_text(form), status=400, content_type="text/plain; charset=utf-8")
    if version is None:
        raise Http404
    aggregates = group_aggregates(group, version)
    name = f"zelfscan-{re.sub(r'[^0-9A-Za-z_-]', '-', version.version)}-{group.key}-{aggregates.period.key}"
    if kind == "csv":
        response = HttpResponse(exports.csv_text([aggregates]), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.xlsx_bytes([aggregates]),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


def _errors_text(form) -> str:
    return "\n".join(str(error) for errors in form.errors.values() for error in errors) or "Bad request"


@require_safe
def open_data(request):
    versions = list(InstrumentVersion.objects.order_by("-published_at", "-id"))
    return render(
        request,
        "analysis/open_data.html",
        {"versions": versions, "columns": exports.COLUMNS, "licence": exports.LICENCE, "k": settings.ZELFSCAN_K},
    )


def _version(version: str) -> InstrumentVersion:
    found = InstrumentVersion.objects.filter(version=version).first()
    if found is None:
        raise Http404
    return found


@require_safe
def open_data_file(request, version, name):
    instrument = _version(version)
    if name == "aggregates.csv":
        text = exports.csv_text(all_groups(instrument) + published_municipalities(instrument))
        return HttpResponse(text, content_type="text/csv; charset=utf-8")
    if name == "aggregates.json":
        return JsonResponse(open_data_json(instrument), json_dumps_params={"ensure_ascii": False})
    if name == "datapackage.json":
        return HttpResponse(
            json.dumps(datapackage(instrument, request.build_absolute_uri("./")), ensure_ascii=False, indent=2),
            content_type="application/json",
        )
    raise Http404
