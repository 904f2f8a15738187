"""Shared test fixtures: the real instrument and municipality register, and respondents.

The instrument and register are loaded once per test session into the test database;
tests that flush the database (browser tests) get them back through `base_data`.
"""

import pytest
from django.core import mail

from assessments import services
from assessments.models import AccessToken, Response
from instrument.loader import content_files, load_content, read_file
from instrument.models import InstrumentVersion
from organisations.models import Municipality
from organisations.register import load_register


def ensure_base_data() -> InstrumentVersion:
    from instrument.models import Structure

    if not Municipality.objects.exists():
        Structure.clear()
        load_register()
    version = InstrumentVersion.objects.current()
    if version is None:
        for path in content_files():
            load_content(read_file(path), source=str(path))
        version = InstrumentVersion.objects.current()
    return version


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_base_data()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Peer-group figures are cached by snapshot id, and versions remembered by id; ids repeat
    across rolled-back tests."""
    from django.core.cache import cache

    from assessments.models import forget_remembered_versions

    cache.clear()
    forget_remembered_versions()
    yield
    cache.clear()


@pytest.fixture
def base_data(db) -> InstrumentVersion:
    return ensure_base_data()


@pytest.fixture
def version(base_data) -> InstrumentVersion:
    return base_data


@pytest.fixture
def utrecht(base_data) -> Municipality:
    return Municipality.objects.get(pk="GM0344")


@pytest.fixture
def amersfoort(base_data) -> Municipality:
    return Municipality.objects.get(pk="GM0307")


def make_response(version, municipality, email="alice@utrecht.nl", language="nl", **extra) -> Response:
    return services.register(
        email=email,
        name=extra.pop("name", ""),
        municipality=municipality,
        domain=extra.pop("domain", "it"),
        role=extra.pop("role", "policy"),
        language=language,
        version=version,
    )


def answer_all(response, current=3, desired=4) -> None:
    """Answer every statement: `current`/`desired` may be an int or a function of the statement."""
    values = {}
    for statement in response.instrument_version.statements.all():
        c = current(statement) if callable(current) else current
        d = desired(statement) if callable(desired) else desired
        values[statement.id] = {"current": c, "desired": d, "note": None}
    services.save_answers(response, values)


def second_postgresql_connection(**options):
    """A psycopg connection of its own to the test database (for tests that need another session
    beside Django's: a lock held elsewhere, a migration run from another connection)."""
    import psycopg
    from django.db import connection

    database = connection.settings_dict
    return psycopg.connect(
        host=database["HOST"],
        port=database["PORT"],
        user=database["USER"],
        password=database["PASSWORD"],
        dbname=database["NAME"],
        **options,
    )


def confirm(response) -> None:
    raw = services.issue_token(response)
    token = AccessToken.objects.get(token_hash=AccessToken.hash(raw))
    services.exchange_personal_token(token)


def counted_response(version, municipality, email, current=3, desired=4) -> Response:
    """A submitted, confirmed response that counts in aggregates."""
    response = make_response(version, municipality, email=email)
    answer_all(response, current, desired)
    confirm(response)
    services.submit(response)
    response.refresh_from_db()
    return response


@pytest.fixture
def respondent(version, utrecht) -> Response:
    mail.outbox.clear()
    return make_response(version, utrecht)


def login(client, response) -> None:
    """Give a test client's browser session full access to a response, as opening its personal
    link does. (Sessions live in a signed cookie, so the client gets the re-signed cookie.)"""
    from django.conf import settings

    session = client.session
    services.grant_session(session, response)
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


def login_as_registrant(client, response) -> None:
    """Give a test client's browser session the access of the browser that registered the response:
    until its address is confirmed (services.grant_registration_session)."""
    from django.conf import settings

    session = client.session
    services.grant_registration_session(session, response)
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


@pytest.fixture
def respondent_client(client, respondent):
    """A browser session that has opened the respondent's personal link."""
    login(client, respondent)
    return client


@pytest.fixture
def sent_mail(db):
    """Deliver what the outbox holds (on_commit does not fire inside a test transaction)
    and return the messages sent so far."""
    from mailing.outbox import send_due

    def deliver():
        send_due()
        return mail.outbox

    return deliver


def make_coordinator(email, *municipalities):
    """An account with an active coordinator role for each municipality and a confirmed TOTP device."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from coordinators.models import CoordinatorRole

    user = get_user_model().objects.create_user(username=email, email=email, password="a-long-test-password-1")  # noqa: S106
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    for municipality in municipalities:
        CoordinatorRole.objects.create(user=user, municipality=municipality, granted_by="test")
    return user


def login_coordinator(client, user) -> None:
    """Sign a test client in as the coordinator with both factors done, as the login pages do."""
    import secrets

    from django.conf import settings
    from django_otp import DEVICE_ID_SESSION_KEY

    from coordinators.models import LoginSession
    from coordinators.services import SESSION_KEY

    client.force_login(user)
    session = client.session
    device = user.totpdevice_set.filter(confirmed=True).first()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    key = secrets.token_urlsafe(32)
    LoginSession.objects.create(user=user, key_hash=LoginSession.hash(key))
    session[SESSION_KEY] = key
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


@pytest.fixture
def coordinator(utrecht):
    """Carol coordinates Utrecht."""
    return make_coordinator("carol@utrecht.nl", utrecht)


@pytest.fixture
def coordinator_client(client, coordinator):
    login_coordinator(client, coordinator)
    return client


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` start servers in other processes, which cannot open the SQLite
    pass's in-memory database, or test what only PostgreSQL has: they run in the PostgreSQL pass
    of `make test` (deselected here, never skipped)."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    deselected = [item for item in items if item.get_closest_marker("postgresql")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("postgresql")]
