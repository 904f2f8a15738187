"""A municipality's consent to appear by name in the open data (given by one of its coordinators)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from organisations.models import Municipality


class OpenDataOptIn(models.Model):
    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, primary_key=True, related_name="open_data_opt_in"
    )
    opted_in_at = models.DateTimeField(_("agreed on"), auto_now_add=True)
    opted_in_by = models.CharField(_("agreed by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("open data consent")
        verbose_name_plural = _("open data consents")

    def __str__(self) -> str:
        return str(self.municipality)
