"""Zelfscan's middleware: the page language, and the Content Security Policy header; and a
database connection whose prepared statements a migration made stale is replaced."""

import sys
import time

import csp.constants
import csp.middleware
import csp.utils
from django.conf import settings
from django.core.signals import got_request_exception, setting_changed
from django.db import connections
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    """Dutch by default: the language is the one the visitor chose (cookie), else Dutch.

    Django's LocaleMiddleware would follow the browser's Accept-Language header, so a civil
    servant with an English browser would land on English pages. Zelfscan is a Dutch
    government service first; English is there for whoever asks for it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = dict(settings.LANGUAGES)

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.available:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, with the policies built once instead of on every response.

    django-csp builds both headers (the policy and the report-only policy) from the settings for
    every response: about a tenth of a small request's CPU. Zelfscan sets its policy in the
    settings only: no nonces, no per-view policies. Responses that have either (the csp
    decorators set attributes on the response; a nonce is made when a template asks for one) get
    django-csp's own handling."""

    PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")
    _policies = None

    def __init__(self, get_response):
        super().__init__(get_response)
        setting_changed.connect(self._forget)

    def _forget(self, **kwargs):
        self._policies = None

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in self.PER_RESPONSE
        ):
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response
        if self._policies is None:
            self._policies = [
                (header, csp.utils.build_policy(report_only=report_only), exempt, setting)
                for header, report_only, exempt, setting in (
                    (csp.constants.HEADER, False, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
                    (csp.constants.HEADER_REPORT_ONLY, True, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
                )
            ]
        for header, policy, exempt, setting in self._policies:
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ()
            if (
                policy
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(tuple(prefixes))
            ):
                response[header] = policy
        # As django-csp does: a nonce asked for after the header was written is an error.
        request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response


STALE_PLAN = "cached plan must not change result type"


def forget_stale_prepared_statements(sender=None, **kwargs) -> bool:
    """On PostgreSQL a connection prepares the statements it repeats (settings: prepare_threshold).
    A migration that changes a column's type, run from another connection, makes them fail with
    "cached plan must not change result type", and psycopg forgets them only after DDL on its own
    connection. When a request fails that way, its connections close as the request ends, so the
    worker's next request starts on a fresh connection instead of failing until CONN_MAX_AGE.
    Connected to got_request_exception; returns whether it did so (for the tests)."""
    error = sys.exc_info()[1]
    while error is not None:
        if getattr(error, "sqlstate", None) == "0A000" and STALE_PLAN in str(error):
            for connection in connections.all(initialized_only=True):
                if connection.vendor == "postgresql":
                    connection.close_at = time.monotonic()  # closed by close_old_connections
            return True
        error = error.__cause__
    return False


got_request_exception.connect(forget_stale_prepared_statements, dispatch_uid="zelfscan-stale-prepared-statements")
