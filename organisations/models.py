"""The municipality register (CBS), loaded from organisations/data/gemeenten.csv."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    cbs_code = models.CharField(_("CBS code"), max_length=6, primary_key=True)
    name = models.CharField(_("official name"), max_length=100)
    common_name = models.CharField(_("common name"), max_length=100)
    province = models.CharField(_("province"), max_length=40)
    province_code = models.CharField(_("province code"), max_length=4)
    population = models.PositiveIntegerField(_("population"))
    population_date = models.DateField(_("population date"))
    urbanisation_class = models.PositiveSmallIntegerField(_("urbanisation class"))
    g4 = models.BooleanField("G4", default=False)
    g40 = models.BooleanField("G40", default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["common_name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.common_name
