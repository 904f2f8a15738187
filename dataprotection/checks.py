"""System checks for the settings the privacy statement shows."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register()
def check_retention(app_configs, **kwargs):
    if settings.ZELFSCAN_RETENTION_DAYS < 1:
        return [Error("ZELFSCAN_RETENTION_DAYS must be 1 or more.", id="dataprotection.E001")]
    return []


@register(Tags.security, deploy=True)
def check_controller(app_configs, **kwargs):
    if not settings.ZELFSCAN_CONTROLLER_NAME:
        return [
            Warning(
                "ZELFSCAN_CONTROLLER_NAME is empty: the privacy statement does not name the controller.",
                hint="Set it to the organisation that runs this instance (and ZELFSCAN_CONTROLLER_EMAIL).",
                id="dataprotection.W001",
            )
        ]
    return []
