from django.conf import settings
from django.core.checks import Error, register


@register()
def check_threshold(app_configs, **kwargs):
    """K below 3 would let small groups be recognised; refuse to run with it."""
    k = getattr(settings, "ZELFSCAN_K", None)
    if not isinstance(k, int) or k < 3:
        return [
            Error(
                f"ZELFSCAN_K is {k!r}; the privacy model needs a whole number of at least 3.",
                hint="Set the environment variable ZELFSCAN_K to 3 or more (default 5).",
                id="zelfscan.E001",
            )
        ]
    return []
