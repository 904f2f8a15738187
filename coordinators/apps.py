from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinatorsConfig(AppConfig):
    name = "coordinators"
    verbose_name = _("Coordinators")
