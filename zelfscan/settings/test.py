"""Settings for the test suite: fast, hermetic, demo mode off."""

import os

os.environ.setdefault("ZELFSCAN_DEMO_MODE", "false")

from .base import *  # noqa: E402,F403

DEBUG = False
ZELFSCAN_DEMO_MODE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
SITE_URL = "http://testserver"
# Serve static files straight from the apps (no collectstatic in tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
