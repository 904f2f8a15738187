"""Signing in (password, then a TOTP code; a first sign-in sets up the authenticator app),
signing out, password reset, the coordinator's start page and granting the role to colleagues."""

import base64
import time

import segno
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import record
from rounds.models import Round
from throttling import services as throttling
from throttling.shortcuts import refuse
from zelfscan.forms_util import posted_id

from . import services
from .access import account_required, for_municipality
from .forms import CodeForm, CoordinatorPasswordResetForm, GrantForm, LoginForm
from .models import CoordinatorRole

# How long the step between password and code may take.
PENDING_SECONDS = 10 * 60


def _safe_next(request, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return reverse("coordinators:home")


def _pending_user(request):
    pending = request.session.get(services.PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, None
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    return user, pending.get("next")


@require_http_methods(["GET", "POST"])
def login_view(request):
    form = LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            account = services.normalise(form.cleaned_data["email"])
            # Only failed sign-ins count: per address and (generously) per network.
            decision = throttling.peek(request, "coordinator_login", account=account)
            if not decision.allowed:
                context = {"form": form, "next": next_url or ""}
                return refuse(request, "coordinators/login.html", context, decision)
            user = authenticate(request, username=account, password=form.cleaned_data["password"])
            if user is not None and services.has_any_role(user):
                logout(request)  # a fresh session for the new sign-in
                request.session[services.PENDING_KEY] = {
                    "user": user.pk,
                    "at": time.time(),
                    "next": _safe_next(request, next_url),
                }
                confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
                return redirect("coordinators:login_code" if confirmed else "coordinators:setup")
            throttling.attempt(request, "coordinator_login", account=account)
            record("login.failed", actor="anonymous", target="")
            form.add_error(None, _("The e-mail address or the password is not correct."))
    return render(request, "coordinators/login.html", {"form": form, "next": next_url or ""}, status=status)


def _complete_login(request, user, device):
    next_url = request.session.get(services.PENDING_KEY, {}).get("next")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    services.start_session(request, user)
    return redirect(_safe_next(request, next_url))


@require_http_methods(["GET", "POST"])
def login_code(request):
    user, _next = _pending_user(request)
    if user is None:
        messages.info(request, _("Sign in again: the previous step took too long."))
        return redirect("coordinators:login")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect("coordinators:setup")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            allowed, _details = device.verify_is_allowed()
            if not allowed:
                form.add_error("code", _("Too many wrong codes. Wait a minute and try again."))
            elif device.verify_token(form.token()):
                return _complete_login(request, user, device)
            else:
                record("login.code_failed", actor=services.actor_label(user))
                form.add_error("code", _("This code is not correct. Enter the code your app shows now."))
    return render(request, "coordinators/login_code.html", {"form": form}, status=status)


def _qr_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff", title="QR")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


@require_http_methods(["GET", "POST"])
def setup(request):
    """First sign-in: link an authenticator app (scan the QR code or type the key), then confirm a code."""
    user, _next = _pending_user(request)
    if user is None:
        messages.info(request, _("Sign in again: the previous step took too long."))
        return redirect("coordinators:login")
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("coordinators:login_code")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
        user=user, name="authenticator app", confirmed=False
    )
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and device.verify_token(form.token()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            record("second_factor.added", actor=services.actor_label(user))
            return _complete_login(request, user, device)
        if form.is_valid():
            form.add_error(
                "code", _("This code is not correct. Check that the app shows Zelfscan and try the new code.")
            )
    key = base64.b32encode(device.bin_key).decode("ascii")
    context = {
        "form": form,
        "qr": _qr_data_uri(device.config_url),
        "key_groups": [key[i : i + 4] for i in range(0, len(key), 4)],
    }
    return render(request, "coordinators/setup.html", context, status=status)


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        record("logout", actor=services.actor_label(request.user))
    services.end_session(request)
    logout(request)
    messages.success(request, _("You have signed out."))
    return redirect("coordinators:login")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = CoordinatorPasswordResetForm
    template_name = "coordinators/password_reset.html"
    success_url = reverse_lazy("coordinators:password_reset_sent")

    def form_valid(self, form):
        decision = throttling.attempt(self.request, "password_reset", address=form.cleaned_data["email"])
        if not decision.allowed:
            return refuse(self.request, self.template_name, {"form": form}, decision)
        return super().form_valid(form)


def password_link(request):
    """The e-mailed link: /coordinator/password/link/?u=<uid>&t=<token>. The token travels in the
    query string, which no log keeps (the access log has paths only; Django's log filter redacts
    t=), and is handed to Django's reset view through the session, as that view does itself."""
    from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN

    uid, token = request.GET.get("u", ""), request.GET.get("t", "")
    if not uid or not token or len(uid) > 40 or len(token) > 100 or "/" in uid:
        return redirect("coordinators:password_reset_confirm", uidb64="invalid", token="invalid")  # noqa: S106
    request.session[INTERNAL_RESET_SESSION_TOKEN] = token
    return redirect("coordinators:password_reset_confirm", uidb64=uid, token="set-password")  # noqa: S106


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "coordinators/password_reset_confirm.html"
    success_url = reverse_lazy("coordinators:password_reset_done")

    def form_valid(self, form):
        result = super().form_valid(form)
        services.end_all_sessions(form.user)  # a new password signs out every browser
        from api.tokens import revoke_all

        revoke_all(form.user)  # and stops every API token (one made by an intruder included)
        record("password.set", actor=services.actor_label(form.user))
        return result


@account_required
def home(request):
    municipalities = []
    for municipality in request.coordinator_of:
        rounds = list(Round.objects.filter(municipality=municipality).order_by("kind", "-opens_on"))
        municipalities.append({"municipality": municipality, "rounds": rounds})
    return render(
        request, "coordinators/home.html", {"municipalities": municipalities, "is_analyst": request.is_analyst}
    )


@for_municipality
@require_http_methods(["GET", "POST"])
def coordinators(request, municipality):
    """The municipality's coordinators; any of them may grant the role to a colleague."""
    form = GrantForm(request.POST or None)
    status = 200
    if request.method == "POST" and "revoke" in request.POST:
        role = CoordinatorRole.objects.filter(
            pk=posted_id(request.POST, "revoke"), municipality=municipality, revoked_at__isnull=True
        ).first()
        if role is None or role.user_id == request.user.pk:
            messages.error(request, _("This role could not be revoked."))
        else:
            services.revoke_role(role, revoked_by=request.user)
            messages.success(request, _("The role was revoked."))
        return redirect("coordinators:coordinators", code=municipality.pk)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            services.grant_role(
                form.cleaned_data["email"],
                municipality,
                granted_by=request.user,
                language=form.cleaned_data["language"],
            )
            messages.success(request, _("Your colleague is now a coordinator and has been sent an e-mail."))
            return redirect("coordinators:coordinators", code=municipality.pk)
    roles = CoordinatorRole.objects.filter(municipality=municipality, revoked_at__isnull=True).select_related("user")
    return render(
        request,
        "coordinators/coordinators.html",
        {"municipality": municipality, "roles": roles, "form": form},
        status=status,
    )
