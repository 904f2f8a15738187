"""Production settings: `DJANGO_SETTINGS_MODULE=zelfscan.settings.production`.

Everything in base.py stays configurable; this module only makes the safe choices
mandatory. It refuses to start without a real secret key, and refuses demo mode.
"""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("ZELFSCAN_DEBUG", "false")

from .base import *  # noqa: E402,F403
from .base import env_bool, env_int, env_str  # noqa: E402

if DEBUG:  # noqa: F405
    raise ImproperlyConfigured("ZELFSCAN_DEBUG must be off in production.")
if ZELFSCAN_DEMO_MODE:  # noqa: F405
    raise ImproperlyConfigured("Demo mode (ZELFSCAN_DEMO_MODE) is not allowed in production.")
SECRET_KEY = env_str("ZELFSCAN_SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("ZELFSCAN_SECRET_KEY must be set to a random value of at least 50 characters.")
if not os.environ.get("ZELFSCAN_ALLOWED_HOSTS"):
    raise ImproperlyConfigured("ZELFSCAN_ALLOWED_HOSTS must name the host(s) Zelfscan is served on.")

# TLS is terminated by the reverse proxy, which must set X-Forwarded-Proto, and append the client's
# address to X-Forwarded-For: rate limits count per client, not per proxy (README "Rate limits").
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
ZELFSCAN_TRUSTED_PROXY_COUNT = env_int("ZELFSCAN_TRUSTED_PROXY_COUNT", 1)
SECURE_SSL_REDIRECT = env_bool("ZELFSCAN_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("ZELFSCAN_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("ZELFSCAN_HSTS_PRELOAD", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
