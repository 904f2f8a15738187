from datetime import date

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


# The dates the statements were last revised: change them with the text.
PRIVACY_STATEMENT_DATE = date(2026, 11, 26)
ACCESSIBILITY_STATEMENT_DATE = date(2026, 11, 26)


def _days(seconds: int) -> int:
    return round(seconds / 86400)


@require_safe
def privacy(request):
    """Every figure on the statement comes from the settings the code runs with."""
    from dataprotection.services import validity_hours

    return render(
        request,
        "pages/privacy.html",
        {
            "k": settings.ZELFSCAN_K,
            "validity_days": settings.ZELFSCAN_LINK_VALIDITY_DAYS,
            "retention_days": settings.ZELFSCAN_RETENTION_DAYS,
            "request_hours": validity_hours(),
            "controller_name": settings.ZELFSCAN_CONTROLLER_NAME,
            "controller_email": settings.ZELFSCAN_CONTROLLER_EMAIL,
            "dpo_email": settings.ZELFSCAN_DPO_EMAIL,
            "cookies": {
                "session": (settings.SESSION_COOKIE_NAME, _days(settings.SESSION_COOKIE_AGE)),
                "csrf": (settings.CSRF_COOKIE_NAME, _days(settings.CSRF_COOKIE_AGE)),
                "language": (settings.LANGUAGE_COOKIE_NAME, _days(settings.LANGUAGE_COOKIE_AGE)),
            },
            "statement_date": PRIVACY_STATEMENT_DATE,
        },
    )


@require_safe
def accessibility(request):
    return render(
        request,
        "pages/accessibility.html",
        {
            "controller_name": settings.ZELFSCAN_CONTROLLER_NAME,
            "controller_email": settings.ZELFSCAN_CONTROLLER_EMAIL,
            "site_url": settings.SITE_URL,
            "statement_date": ACCESSIBILITY_STATEMENT_DATE,
        },
    )


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
