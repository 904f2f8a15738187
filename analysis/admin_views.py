"""The raw export page in the admin: superusers only, every download audit-logged."""

from django.contrib import admin
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from audit.services import record
from coordinators.services import actor_label
from instrument.models import InstrumentVersion
from pages.views import permission_denied

from .raw import raw_csv, raw_rows


def raw_export(request):
    if not request.user.is_superuser:
        return permission_denied(request, None)
    versions = InstrumentVersion.objects.order_by("-published_at")
    if request.method != "POST":
        context = {**admin.site.each_context(request), "versions": versions, "title": "Raw export"}
        return render(request, "analysis/admin_raw_export.html", context)
    version = versions.filter(version=request.POST.get("version", "")).first()
    rows = list(raw_rows(version))
    record("export.raw", actor=actor_label(request.user), target=version.version if version else "all", rows=len(rows))
    response = HttpResponse(raw_csv(rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="zelfscan-raw-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


raw_export_view = admin.site.admin_view(raw_export)
