"""Zelfscan settings, read from environment variables with safe development defaults.

Production deployments use `zelfscan.settings.production`, which imports this module
and tightens it (no DEBUG, secure cookies, HSTS, a required secret key, no demo mode).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_str(name: str, default: str = "") -> str:
    """A string from the environment (unset or empty: the default); `NAME_FILE` points at a
    file holding the value."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name) or default


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("ZELFSCAN_DEBUG", True)
SECRET_KEY = env_str("ZELFSCAN_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("ZELFSCAN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("ZELFSCAN_CSRF_TRUSTED_ORIGINS", [])
# Absolute base URL used in e-mailed links, e.g. https://zelfscan.example.nl
SITE_URL = env_str("ZELFSCAN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Zelfscan rules (see ../shared/privacy-model.md and README "Privacy rules") ---
# K: the smallest number of counted answers behind any shown aggregate (a system check refuses < 3).
ZELFSCAN_K = env_int("ZELFSCAN_K", 5)
# Demo mode: demo respondents count in aggregates. Production settings refuse it.
ZELFSCAN_DEMO_MODE = env_bool("ZELFSCAN_DEMO_MODE", False)
# A personal link stays valid this many days after it was last used.
ZELFSCAN_LINK_VALIDITY_DAYS = env_int("ZELFSCAN_LINK_VALIDITY_DAYS", 90)
# Where workshop and contact requests are announced.
ZELFSCAN_CONTACT_EMAIL = env_str("ZELFSCAN_CONTACT_EMAIL", "zelfscan@example.org")
# Longest optional note per statement, in characters.
ZELFSCAN_NOTE_MAX_LENGTH = 2000
# --- Data protection (dataprotection app; README "Data protection") ---
# Days after a respondent's last activity (last save or submission, or last use of a personal link)
# after which `manage.py apply_retention` erases name, e-mail, domain, role and notes.
ZELFSCAN_RETENTION_DAYS = env_int("ZELFSCAN_RETENTION_DAYS", 730)
# The controller named in the privacy statement: the organisation that runs this instance.
ZELFSCAN_CONTROLLER_NAME = env_str("ZELFSCAN_CONTROLLER_NAME", "")
ZELFSCAN_CONTROLLER_EMAIL = env_str("ZELFSCAN_CONTROLLER_EMAIL", ZELFSCAN_CONTACT_EMAIL)
# The controller's data protection officer (functionaris gegevensbescherming); empty: not named.
ZELFSCAN_DPO_EMAIL = env_str("ZELFSCAN_DPO_EMAIL", "")

# --- Rate limits and the mail cap (throttling app; README "Rate limits") ---
# A rate is "N/period": 5/h is 5 per hour, 20/15m 20 per 15 minutes (s, m, h, d; at most a day).
# Per client IP, for every limited page: generous, a whole municipality may share one address.
ZELFSCAN_RATE_PER_IP = env_str("ZELFSCAN_RATE_PER_IP", "1000/h")
# Per e-mail address (the person behind it): registering, new links, correcting the address, contact.
ZELFSCAN_RATE_PER_ADDRESS = env_str("ZELFSCAN_RATE_PER_ADDRESS", "5/h")
# Per account: address corrections per registration, uses of one personal link, failed admin logins.
ZELFSCAN_RATE_PER_ACCOUNT = env_str("ZELFSCAN_RATE_PER_ACCOUNT", "10/h")
# E-mails per recipient per day (UTC), every kind together; 0 switches the cap off.
ZELFSCAN_MAIL_CAP_PER_DAY = env_int("ZELFSCAN_MAIL_CAP_PER_DAY", 10)
# Proxies in front of Zelfscan that append to X-Forwarded-For; 0: use the connection's address and
# ignore the header (anyone can write it).
ZELFSCAN_TRUSTED_PROXY_COUNT = env_int("ZELFSCAN_TRUSTED_PROXY_COUNT", 0)

# The cache memoises within one process (instrument structures, peer-group figures by snapshot
# id). What every worker must see alike (rate-limit counters, the mail cap) lives in the database.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "pages",
    "instrument",
    "organisations",
    "rounds",
    "assessments",
    "reports",
    "mailing",
    "contact",
    "audit",
    "coordinators",
    "analysis",
    "api",
    "throttling",
    "dataprotection",
    "insights",
    "roadmaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zelfscan.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "zelfscan.csrf.FetchMetadataOriginMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "zelfscan.middleware.CSPMiddleware",
]

ROOT_URLCONF = "zelfscan.urls"
WSGI_APPLICATION = "zelfscan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Keep connections open between requests (a new PostgreSQL connection per request
        # costs more CPU than the request itself); health checks drop broken ones.
        conn_max_age=env_int("ZELFSCAN_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several workers writing at once: take the write lock at the start of a transaction and
    # wait for it, instead of failing with "database is locked"; WAL lets readers carry on.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Bind parameters on the server, and let psycopg prepare a statement once a connection has run
    # it 5 times: the respondent's pages run the same few statements over and over; quoting their
    # parameters in Python and PostgreSQL parsing and planning them again was a third of a
    # journey's CPU (bench/README.md). Behind a pooler that cannot keep prepared statements
    # (PgBouncer in transaction mode before 1.21), set ZELFSCAN_DB_PREPARED_STATEMENTS=false.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "server_side_binding": True,
            "prepare_threshold": 5 if env_bool("ZELFSCAN_DB_PREPARED_STATEMENTS", True) else None,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Coordinators sign in with e-mail address and password plus a second factor (TOTP, django-otp).
LOGIN_URL = "coordinators:login"
OTP_TOTP_ISSUER = env_str("ZELFSCAN_OTP_ISSUER", "Zelfscan")
# Password-reset and first-password links stay valid this long (seconds).
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language: Dutch first, English available. Instrument content carries its own languages. ---
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Sessions and security ---
# A respondent's session holds only which responses this browser may open (signed, so it cannot
# be forged): keeping it in the cookie spares a database read on every page.
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "assessments.views.csrf_failure"
# No Referer ever leaves a page (tokens travel in links); see zelfscan/csrf.py for why posts still work.
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp): everything from this site only, no inline scripts,
# no plug-ins, no framing, forms post only here. Pages work without JavaScript anyway.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Requests larger than this are refused with 400 before any view runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 400

# --- E-mail: every message goes through the outbox (mailing app), which retries. ---
EMAIL_BACKEND = env_str(
    "ZELFSCAN_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("ZELFSCAN_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("ZELFSCAN_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("ZELFSCAN_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("ZELFSCAN_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("ZELFSCAN_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("ZELFSCAN_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("ZELFSCAN_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("ZELFSCAN_FROM_EMAIL", "Zelfscan <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "assessments.logging.RedactTokensFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]},
    },
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "zelfscan": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
