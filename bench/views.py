"""A bare view: the same middleware stack as the app (sessions, CSRF, security, WhiteNoise, language,
messages, clickjacking), no database, no template. GET answers a small page; POST (CSRF-checked like
every form post) answers with a redirect, as a saved theme page does."""

from django.http import HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_http_methods

BODY = b"<!DOCTYPE html><title>bare</title><p>bare</p>"


@require_http_methods(["GET", "POST"])
def bare(request):
    if request.method == "POST":
        return HttpResponseRedirect("/bench/bare/")
    return HttpResponse(BODY)
