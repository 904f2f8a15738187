"""Coordinator accounts: a person (a Django user whose username is their e-mail address) who
runs the self-assessment for one or more municipalities."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organisations.models import Municipality
from zelfscan.privacy import token_hash


class CoordinatorRole(models.Model):
    """The role of coordinator for one municipality. Revoked roles are kept for the record."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinator_roles")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="coordinator_roles", verbose_name=_("municipality")
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    granted_by = models.CharField(_("granted by"), max_length=200, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["municipality__common_name"]
        verbose_name = _("coordinator role")
        verbose_name_plural = _("coordinator roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_role_per_user_and_municipality",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} – {self.municipality}"


class LoginSession(models.Model):
    """A coordinator's signed-in browser. Sessions live in signed cookies, which the server cannot
    revoke; this row can: signing out (or an administrator) ends it, and a copied cookie stops working."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_sessions")
    key_hash = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in session")
        verbose_name_plural = _("sign-in sessions")

    def __str__(self) -> str:
        return f"session {self.pk} of {self.user_id}"

    @staticmethod
    def hash(key: str) -> str:
        return token_hash(key)


class AnalystRole(models.Model):
    """An analyst of the national smart city network: reads every municipality's aggregates
    (never a department or role breakdown, never an individual). Granted by an administrator."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="analyst_roles")
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    granted_by = models.CharField(_("granted by"), max_length=200, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("analyst role")
        verbose_name_plural = _("analyst roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(revoked_at__isnull=True), name="one_active_analyst_role"
            )
        ]

    def __str__(self) -> str:
        return f"analyst {self.user_id}"
