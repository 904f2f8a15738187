"""Who may open coordinator pages: a signed-in account, verified with its second factor, with a
live sign-in session and an active coordinator role for the municipality concerned."""

import functools

from django.contrib.auth import logout
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode

from organisations.models import Municipality
from pages.views import permission_denied
from rounds.models import Round
from zelfscan.privacy import never_cached

from . import services


def _to_login(request):
    if request.user.is_authenticated:  # signed in once, but the session ended or lacks the second factor
        logout(request)
    return redirect(f"{reverse('coordinators:login')}?{urlencode({'next': request.get_full_path()})}")


def _signed_in(request) -> bool:
    """Both factors given, and the sign-in session still live on the server."""
    user = request.user
    return user.is_authenticated and user.is_verified() and services.current_session(request) is not None


def account_required(view):
    """A signed-in coordinator or analyst (both factors, live session). The view gets
    `request.coordinator_of` (municipalities, maybe none) and `request.is_analyst`."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _signed_in(request):
            return _to_login(request)
        request.coordinator_of = services.active_municipalities(request.user)
        request.is_analyst = services.is_analyst(request.user)
        if not request.coordinator_of and not request.is_analyst:
            return permission_denied(request, None)
        return never_cached(view(request, *args, **kwargs))

    return wrapper


def coordinator_required(view):
    """The view gets `request.coordinator_of`: the municipalities this account coordinates."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _signed_in(request):
            return _to_login(request)
        request.coordinator_of = services.active_municipalities(request.user)
        if not request.coordinator_of:
            return permission_denied(request, None)
        return never_cached(view(request, *args, **kwargs))

    return wrapper


def for_municipality(view):
    """A coordinator page of one municipality (`code` in the URL); other municipalities: 403."""

    @coordinator_required
    @functools.wraps(view)
    def wrapper(request, code, *args, **kwargs):
        municipality = next((m for m in request.coordinator_of if m.pk == code), None)
        if municipality is None:
            get_object_or_404(Municipality, pk=code)
            return permission_denied(request, None)
        return view(request, municipality, *args, **kwargs)

    return wrapper


def for_round(view):
    """A coordinator page of one round (`round_id` in the URL) of a municipality they coordinate."""

    @coordinator_required
    @functools.wraps(view)
    def wrapper(request, round_id, *args, **kwargs):
        round_ = get_object_or_404(Round.objects.select_related("municipality", "instrument_version"), pk=round_id)
        if round_.municipality not in request.coordinator_of:
            return permission_denied(request, None)
        return view(request, round_, *args, **kwargs)

    return wrapper
