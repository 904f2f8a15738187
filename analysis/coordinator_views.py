"""A coordinator decides whether their municipality appears by name in the open data."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.services import record
from coordinators.access import for_municipality
from coordinators.services import actor_label

from .models import OpenDataOptIn


@for_municipality
@require_http_methods(["GET", "POST"])
def open_data_consent(request, municipality):
    consent = OpenDataOptIn.objects.filter(municipality=municipality).first()
    if request.method == "POST":
        choice = request.POST.get("choice")
        if choice == "in" and consent is None:
            OpenDataOptIn.objects.create(municipality=municipality, opted_in_by=actor_label(request.user))
            record("open_data.opted_in", actor=actor_label(request.user), municipality=municipality.pk)
            messages.success(request, _("Your municipality's figures will appear by name in the open data."))
        elif choice == "out" and consent is not None:
            consent.delete()
            record("open_data.opted_out", actor=actor_label(request.user), municipality=municipality.pk)
            messages.success(request, _("Your municipality's figures no longer appear by name in the open data."))
        return redirect("analysis:open_data_consent", code=municipality.pk)
    context = {"municipality": municipality, "consent": consent, "k": settings.ZELFSCAN_K}
    return render(request, "analysis/open_data_consent.html", context)
