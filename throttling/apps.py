from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThrottlingConfig(AppConfig):
    name = "throttling"
    verbose_name = _("Rate limits")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
