from django.db import models
from django.utils.translation import gettext_lazy as _


class Counter(models.Model):
    """Attempts at one action by one client IP, person or account in one fixed window.

    The key names the action, the window and a keyed hash of whose attempts they are (never an
    address or IP in clear); see `throttling.services`. Rows are purged once their window ended.
    """

    key = models.CharField(_("key"), max_length=128, primary_key=True)
    ends_at = models.BigIntegerField(_("window ends (Unix time)"), db_index=True)
    count = models.PositiveIntegerField(_("attempts"))

    class Meta:
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")

    def __str__(self) -> str:
        return self.key
