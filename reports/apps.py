from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from assessments.signals import counted_responses_changed

        from . import checks  # noqa: F401
        from .aggregates import refresh_snapshot_if_due

        counted_responses_changed.connect(refresh_snapshot_if_due, dispatch_uid="reports.refresh_snapshot_if_due")
