"""An append-only log of what people with power did: role grants, exports, deletions, token use.

Entries name the actor and the target by a pseudonymous label (a masked address, an account id),
never by levels or notes, so the log itself holds as little personal data as possible.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    actor = models.CharField(_("by"), max_length=200, blank=True)
    target = models.CharField(_("concerning"), max_length=200, blank=True)
    municipality = models.CharField(_("municipality code"), max_length=10, blank=True, db_index=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
