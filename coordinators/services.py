"""Coordinator accounts' write layer: granting and revoking roles, signing in and out."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_encode

from audit.services import record
from mailing.outbox import queue_mail
from organisations.models import Municipality
from zelfscan.privacy import mask_email

from .models import CoordinatorRole, LoginSession

SESSION_KEY = "zelfscan_coordinator_session"
PENDING_KEY = "zelfscan_coordinator_pending"
# A session unused for this long ends; the next request asks to sign in again.
IDLE_TIMEOUT = timedelta(hours=8)


def actor_label(user) -> str:
    """How the audit log names a person: account number and masked address."""
    if user is None:
        return "system"
    return f"account#{user.pk} {mask_email(user.email or user.get_username())}"


def normalise(address: str) -> str:
    return (address or "").strip().lower()


def active_municipalities(user) -> list[Municipality]:
    if not user.is_authenticated:
        return []
    return [
        role.municipality
        for role in CoordinatorRole.objects.filter(user=user, revoked_at__isnull=True).select_related("municipality")
    ]


def is_analyst(user) -> bool:
    from .models import AnalystRole

    return user.is_authenticated and AnalystRole.objects.filter(user=user, revoked_at__isnull=True).exists()


def has_any_role(user) -> bool:
    return bool(active_municipalities(user)) or is_analyst(user)


def is_coordinator_of(user, municipality: Municipality) -> bool:
    return CoordinatorRole.objects.filter(user=user, municipality=municipality, revoked_at__isnull=True).exists()


def password_setup_link(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reset_link(uid, token)


def reset_link(uid: str, token: str) -> str:
    """The e-mailed password link, with the token in the query string (never in a logged path)."""
    return f"{settings.SITE_URL}{reverse('coordinators:password_link')}?{urlencode({'u': uid, 't': token})}"


@transaction.atomic
def grant_role(email: str, municipality: Municipality, *, granted_by, language: str = "nl") -> CoordinatorRole:
    """Make the person with this address a coordinator of the municipality (an account is made
    when there is none, and its owner gets a link to choose a password). Idempotent."""
    address = normalise(email)
    user_model = get_user_model()
    user = user_model.objects.filter(username=address).first()
    created_account = user is None
    if created_account:
        user = user_model.objects.create_user(username=address, email=address)
        user.set_unusable_password()
        user.save(update_fields=["password"])
    role = CoordinatorRole.objects.filter(user=user, municipality=municipality, revoked_at__isnull=True).first()
    if role is not None:
        return role
    role = CoordinatorRole.objects.create(user=user, municipality=municipality, granted_by=actor_label(granted_by))
    record(
        "role.granted",
        actor=actor_label(granted_by),
        target=actor_label(user),
        municipality=municipality.pk,
        role="coordinator",
        new_account=created_account,
    )
    queue_mail(
        address,
        "coordinators/email/role_granted",
        {
            "municipality": municipality,
            "link": password_setup_link(user) if created_account else None,
            "login_url": settings.SITE_URL + reverse("coordinators:login"),
        },
        language,
        kind="role_granted",
        capped=False,
    )
    return role


@transaction.atomic
def revoke_role(role: CoordinatorRole, *, revoked_by) -> None:
    if role.revoked_at is not None:
        return
    role.revoked_at = timezone.now()
    role.save(update_fields=["revoked_at"])
    record(
        "role.revoked",
        actor=actor_label(revoked_by),
        target=actor_label(role.user),
        municipality=role.municipality_id,
        role="coordinator",
    )


def start_session(request, user) -> None:
    """After both factors: a server-side record of this signed-in browser."""
    key = secrets.token_urlsafe(32)
    LoginSession.objects.create(user=user, key_hash=LoginSession.hash(key))
    request.session[SESSION_KEY] = key
    record("login.succeeded", actor=actor_label(user))


def current_session(request) -> LoginSession | None:
    """The live LoginSession of this browser's signed-in user, refreshed; None if it ended."""
    key = request.session.get(SESSION_KEY)
    if not key or not request.user.is_authenticated:
        return None
    session = LoginSession.objects.filter(key_hash=LoginSession.hash(key), user=request.user).first()
    now = timezone.now()
    if session is None or session.ended_at is not None:
        return None
    if now - session.last_seen_at > IDLE_TIMEOUT:
        LoginSession.objects.filter(pk=session.pk).update(ended_at=now)
        return None
    if now - session.last_seen_at > timedelta(minutes=5):
        LoginSession.objects.filter(pk=session.pk).update(last_seen_at=now)
    return session


def end_session(request) -> None:
    key = request.session.get(SESSION_KEY)
    if key:
        LoginSession.objects.filter(key_hash=LoginSession.hash(key), ended_at__isnull=True).update(
            ended_at=timezone.now()
        )


def end_all_sessions(user) -> int:
    return LoginSession.objects.filter(user=user, ended_at__isnull=True).update(ended_at=timezone.now())


@transaction.atomic
def grant_analyst(email: str, *, granted_by):
    """Make the person an analyst of the national network (an account is made when there is none;
    they choose a password through "forgot your password")."""
    from .models import AnalystRole

    address = normalise(email)
    user_model = get_user_model()
    user = user_model.objects.filter(username=address).first()
    if user is None:
        user = user_model.objects.create_user(username=address, email=address)
        user.set_unusable_password()
        user.save(update_fields=["password"])
    role = AnalystRole.objects.filter(user=user, revoked_at__isnull=True).first()
    if role is None:
        role = AnalystRole.objects.create(user=user, granted_by=actor_label(granted_by))
        record("role.granted", actor=actor_label(granted_by), target=actor_label(user), role="analyst")
    return role


def revoke_analyst(role, *, revoked_by) -> None:
    if role.revoked_at is None:
        role.revoked_at = timezone.now()
        role.save(update_fields=["revoked_at"])
        record("role.revoked", actor=actor_label(revoked_by), target=actor_label(role.user), role="analyst")
