"""Production settings pass `check --deploy` and refuse unsafe configuration."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks

ROOT = Path(__file__).resolve().parent.parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "zelfscan.settings.production",
    "ZELFSCAN_SECRET_KEY": "k" * 20 + "production-secret-for-tests-only-0123456789abcdef",
    "ZELFSCAN_ALLOWED_HOSTS": "zelfscan.example.nl",
    "DATABASE_URL": "sqlite:////tmp/zelfscan-deploy-check.sqlite3",
    # The privacy statement must name the controller (dataprotection.W001).
    "ZELFSCAN_CONTROLLER_NAME": "Gemeente Voorbeeld",
}


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ZELFSCAN_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_rate_limits_would_count_the_proxy_instead_of_the_clients():
    result = manage("check", "--deploy", **{**PRODUCTION_ENV, "ZELFSCAN_TRUSTED_PROXY_COUNT": "0"})
    assert "throttling.W001" in result.stdout + result.stderr


def test_production_settings_refuse_demo_mode():
    result = manage("check", **{**PRODUCTION_ENV, "ZELFSCAN_DEMO_MODE": "1"})
    assert result.returncode != 0
    assert "Demo mode" in result.stderr


@pytest.mark.parametrize("key", ["", "short", "dev-only-insecure-key-do-not-use-in-production"])
def test_production_settings_refuse_a_weak_secret_key(key):
    result = manage("check", **{**PRODUCTION_ENV, "ZELFSCAN_SECRET_KEY": key})
    assert result.returncode != 0
    assert "ZELFSCAN_SECRET_KEY" in result.stderr


def test_production_settings_refuse_debug():
    result = manage("check", **{**PRODUCTION_ENV, "ZELFSCAN_DEBUG": "true"})
    assert result.returncode != 0
    assert "ZELFSCAN_DEBUG" in result.stderr


def test_a_bad_boolean_is_refused_with_a_clear_message():
    result = manage("check", ZELFSCAN_DEBUG="perhaps")
    assert result.returncode != 0
    assert "ZELFSCAN_DEBUG must be true or false" in result.stderr


@pytest.mark.parametrize("k,ok", [(2, False), (3, True), (5, True)])
def test_system_check_refuses_k_below_3(settings, k, ok):
    settings.ZELFSCAN_K = k
    errors = [e for e in run_checks() if e.id == "zelfscan.E001"]
    assert (not errors) == ok


def test_an_empty_variable_means_the_default():
    # make test runs the SQLite pass with DATABASE_URL= (empty): that must mean "the default".
    result = manage("check", DATABASE_URL="")
    assert result.returncode == 0, result.stderr


def database_options(**env) -> dict:
    """The default database's OPTIONS as the settings build them for this environment."""
    code = "from django.conf import settings; print(repr(settings.DATABASES['default'].get('OPTIONS', {})))"
    result = manage("shell", "--no-imports", "-c", code, DJANGO_SETTINGS_MODULE="zelfscan.settings.base", **env)
    assert result.returncode == 0, result.stderr
    return eval(result.stdout.strip().splitlines()[-1])  # noqa: S307 - the repr of a dict of literals printed above


def test_postgresql_binds_on_the_server_and_prepares_repeated_statements_unless_switched_off():
    url = "postgres://zelfscan:secret@db.example.nl:5432/zelfscan"
    assert database_options(DATABASE_URL=url) == {"server_side_binding": True, "prepare_threshold": 5}
    off = database_options(DATABASE_URL=url, ZELFSCAN_DB_PREPARED_STATEMENTS="false")
    assert off == {"server_side_binding": True, "prepare_threshold": None}
    assert "prepare_threshold" not in database_options(DATABASE_URL="sqlite:////tmp/zelfscan-options.sqlite3")


@pytest.mark.postgresql
def test_a_statement_run_again_and_again_is_prepared_once_per_connection(db):
    """psycopg prepares a statement on its 5th run in a connection (PostgreSQL lists it in
    pg_prepared_statements), so PostgreSQL no longer parses and plans the hot statements."""
    from django.db import connection

    from assessments.models import Response

    for _ in range(6):
        Response.objects.respondent("00000000-0000-0000-0000-000000000000")
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "assessments_response" t0' in statement for statement in prepared), prepared
