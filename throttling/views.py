from django.contrib import admin

from . import services
from .shortcuts import mark_limited

ADMIN_LOGIN = "admin_login"


def _username(request) -> str:
    return (request.POST.get("username") or "").strip().lower()[:150]


def admin_login(request, extra_context=None):
    """The admin's login page, counting failed logins per username and (generously) per network.

    Only failures count, so an administrator who logs in is never held up by colleagues; once a
    budget is spent, the form is shown again (username kept) with a 429 before any password is
    checked. `admin.site.login_form` is ThrottledAdminAuthenticationForm (zelfscan/urls.py)."""
    if request.method != "POST":
        return admin.site.login(request, extra_context)
    username = _username(request)
    decision = services.peek(request, ADMIN_LOGIN, account=username)
    if not decision.allowed:
        request.throttle_refusal = decision
        return mark_limited(admin.site.login(request, extra_context), decision)
    response = admin.site.login(request, extra_context)
    if response.status_code == 200:  # the form again: the login failed
        services.attempt(request, ADMIN_LOGIN, account=username)
    return response
