"""Issuing, checking and revoking API tokens."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from audit.services import record
from coordinators.services import actor_label

from .models import SCOPE_MUNICIPALITY_AGGREGATES, ApiToken

PREFIX = "zs_"
MAX_DAYS = 365


@transaction.atomic
def issue(user, name: str, days: int, scopes=(SCOPE_MUNICIPALITY_AGGREGATES,)) -> tuple[ApiToken, str]:
    """A new token; the raw value is returned once and never stored."""
    days = max(1, min(MAX_DAYS, days))
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:80],
        prefix=raw[:10],
        token_hash=ApiToken.hash(raw),
        scopes=list(scopes),
        expires_at=timezone.now() + timedelta(days=days),
    )
    record("token.created", actor=actor_label(user), target=f"token#{token.pk}", days=days, scopes=list(scopes))
    return token, raw


def revoke(token: ApiToken, by) -> None:
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        record("token.revoked", actor=actor_label(by), target=f"token#{token.pk}")


def authenticate(header: str) -> tuple[ApiToken | None, str]:
    """(token, problem) from an Authorization header: problem is "" when the token may be used,
    else "missing", "invalid" (unknown, malformed, revoked) or "expired"."""
    scheme, _space, raw = (header or "").partition(" ")
    if not raw:
        return None, "missing"
    if scheme.lower() != "bearer" or not raw.startswith(PREFIX) or len(raw) > 100:
        return None, "invalid"
    token = ApiToken.objects.select_related("user").filter(token_hash=ApiToken.hash(raw.strip())).first()
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None, "invalid"
    if not token.is_active():
        return token, "expired"
    return token, ""


def note_use(token: ApiToken, path: str, municipality: str = "") -> None:
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    record("token.used", actor=f"token#{token.pk}", target=path[:200], municipality=municipality)


def revoke_all(user) -> int:
    count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if count:
        record("token.revoked", actor=actor_label(user), target="all tokens", count=count)
    return count
