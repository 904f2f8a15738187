"""System checks: rates that parse, and proxies that are trusted."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .rules import parse_rate

RATE_SETTINGS = ("ZELFSCAN_RATE_PER_IP", "ZELFSCAN_RATE_PER_ADDRESS", "ZELFSCAN_RATE_PER_ACCOUNT")


@register(Tags.security)
def check_rates(app_configs=None, **kwargs):
    errors = []
    for name in RATE_SETTINGS:
        try:
            parse_rate(getattr(settings, name))
        except ValueError as exc:
            errors.append(Error(f"{name}: {exc}", id="throttling.E001"))
    return errors


@register(Tags.security, deploy=True)
def check_proxy(app_configs=None, **kwargs):
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and settings.ZELFSCAN_TRUSTED_PROXY_COUNT <= 0:
        return [
            Warning(
                "Zelfscan runs behind a proxy (SECURE_PROXY_SSL_HEADER) but ZELFSCAN_TRUSTED_PROXY_COUNT is 0: "
                "every visitor counts as the proxy's address, so the per-IP budget becomes one budget for all.",
                hint="Set ZELFSCAN_TRUSTED_PROXY_COUNT to the number of proxies that append to X-Forwarded-For.",
                id="throttling.W001",
            )
        ]
    return []
