from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from instrument.models import InstrumentVersion, Structure
from zelfscan import frames


@require_safe
def home(request):
    version = InstrumentVersion.objects.current()
    themes = Structure.of(version).themes if version else []
    # The same page for everyone in a language: a frame per version (zelfscan.frames).
    return frames.render(
        request,
        "pages/home.html",
        lambda v: {"version": version, "themes": themes, "k": settings.ZELFSCAN_K},
        {},
        key=(version.pk, version.content_sha256) if version else (None,),
    )


@require_safe
def privacy(request):
    return render(
        request,
        "pages/privacy.html",
        {"k": settings.ZELFSCAN_K, "validity_days": settings.ZELFSCAN_LINK_VALIDITY_DAYS},
    )


@require_safe
def accessibility(request):
    return render(request, "pages/accessibility.html")


@require_safe
def instrument(request):
    version = InstrumentVersion.objects.current()
    themes = version.themes.prefetch_related("statements").order_by("position") if version else []
    return render(request, "pages/instrument.html", {"version": version, "themes": themes})


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
