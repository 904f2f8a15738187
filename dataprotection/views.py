"""Download or delete everything held about you: ask on your own pages, confirm through e-mail.

The e-mailed link works as a personal link does: opening it (GET) shows a page with a button,
so a mail scanner that opens links changes nothing; only the button (a POST) downloads or deletes.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods

from assessments.models import Response
from assessments.services import REGISTRATION_KEY, SESSION_KEY
from assessments.views import no_access, respondent_view

from . import services
from .models import DataRequest

INVALID_STATUS = {"unknown": 404, "expired": 410, "used": 410}


@respondent_view
@require_http_methods(["GET", "POST"])
def your_data(request, response, access):
    if not access:
        return no_access(request, response)
    context = {"response": response, "hours": services.validity_hours()}
    if request.method == "POST":
        purpose = request.POST.get("purpose")
        if purpose not in DataRequest.Purpose.values:
            return render(request, "dataprotection/your_data.html", {**context, "unknown_choice": True}, status=400)
        services.request_confirmation(response, purpose)
        url = reverse("dataprotection:requested", kwargs={"public_id": response.public_id})
        return redirect(f"{url}?purpose={purpose}")
    return render(request, "dataprotection/your_data.html", context)


@respondent_view
def requested(request, response, access):
    if not access:
        return no_access(request, response)
    purpose = request.GET.get("purpose")
    context = {
        "response": response,
        "purpose": purpose if purpose in DataRequest.Purpose.values else None,
        "hours": services.validity_hours(),
    }
    return render(request, "dataprotection/requested.html", context)


def _invalid(request, check: services.RequestCheck):
    context = {"state": check.state, "request_": check.request}
    return render(request, "dataprotection/link_invalid.html", context, status=INVALID_STATUS[check.state])


def _forget_deleted(session) -> None:
    """Drop the deleted responses from this browser's session."""
    allowed = list(session.get(SESSION_KEY, []))
    registered = session.get(REGISTRATION_KEY)
    ids = [*allowed, registered] if registered else allowed
    known = {str(p) for p in Response.objects.filter(public_id__in=ids).values_list("public_id", flat=True)}
    if allowed:
        session[SESSION_KEY] = [p for p in allowed if p in known]
    if registered and registered not in known:
        del session[REGISTRATION_KEY]


@require_http_methods(["GET", "POST"])
def confirm(request):
    raw = (request.POST if request.method == "POST" else request.GET).get("t", "")
    check = services.check_request(raw)
    if check.state != "valid":
        return _invalid(request, check)
    data_request = check.request
    if request.method == "GET":
        context = {"token": raw, "purpose": data_request.purpose, "hours": services.validity_hours()}
        if data_request.purpose == DataRequest.Purpose.DELETE:
            context["responses"] = services.overview(data_request.identity)
        page = render(request, "dataprotection/confirm.html", context)
        patch_cache_control(page, private=True, no_store=True)
        return page
    if data_request.purpose == DataRequest.Purpose.DOWNLOAD:
        data = services.download(data_request)
        body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        result = HttpResponse(body, content_type="application/json; charset=utf-8")
        result["Content-Disposition"] = f'attachment; filename="zelfscan-data-{timezone.localdate():%Y-%m-%d}.json"'
        patch_cache_control(result, private=True, no_store=True)
        return result
    counts = services.delete_everything(data_request)
    if counts is None:  # a second press of the button, or the link expired meanwhile
        return _invalid(request, services.check_request(raw))
    _forget_deleted(request.session)
    return render(request, "dataprotection/deleted.html", {"counts": counts})
