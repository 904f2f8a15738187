from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = _("Organisation reports")

    def ready(self):
        from django.db.models.signals import post_save

        from reports.models import Snapshot

        from .breakdown import take_breakdown_with_snapshot

        post_save.connect(take_breakdown_with_snapshot, sender=Snapshot, dispatch_uid="insights.breakdown")
