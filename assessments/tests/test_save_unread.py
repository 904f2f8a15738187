"""The theme page's save without reading the response first (assessments.views._save_unread).

The usual save is one statement that finds the response, checks it and writes the answers
(services.PageTarget). Whenever anything is not as that shortcut assumes, it writes nothing and the
ordinary path reads the response and answers as always. These tests pin both halves: the shortcut
is taken where it should be (the ordinary path is made to fail), and every case it does not cover
ends exactly as before, with nothing written twice.
"""

import copy
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse

from assessments import services, views
from assessments.models import Answer, Response, remembered_version
from conftest import answer_all, confirm, login, login_as_registrant, make_response
from instrument.loader import CONTENT_DIR, load_content, read_file
from instrument.models import InstrumentVersion

pytestmark = pytest.mark.django_db


def theme_url(response, number=1):
    return reverse("assessments:theme", kwargs={"public_id": response.public_id, "number": number})


def first_statements(response):
    version = response.instrument_version
    theme = version.themes.order_by("position").first()
    return list(theme.statements.order_by("position"))


def warm(client, response):
    """The theme page, read as a journey reads it before saving it: this process now remembers
    the response's version."""
    assert client.get(theme_url(response)).status_code == 200
    assert remembered_version(response.public_id) == response.instrument_version


def no_ordinary_path():
    return mock.patch.object(views, "_theme", side_effect=AssertionError("the ordinary path ran"))


def next_version():
    """Version 2027.1: the real content again (the same statement keys), as a newer version."""
    data = copy.deepcopy(read_file(CONTENT_DIR / "2026.1.yaml"))
    data["version"], data["predecessor_version"] = "2027.1", "2026.1"
    return load_content(data).version


def test_a_usual_save_takes_the_shortcut(respondent_client, respondent):
    warm(respondent_client, respondent)
    statement = first_statements(respondent)[0]
    with no_ordinary_path():
        saved = respondent_client.post(
            theme_url(respondent), {f"{statement.key}-current": "4", f"{statement.key}-note": "x", "action": "next"}
        )
    assert saved.status_code == 302
    assert saved["Location"] == theme_url(respondent, 2)
    assert saved["Cache-Control"] == "private, no-store"
    answer = Answer.objects.get(response=respondent)
    assert (answer.statement_id, answer.current, answer.desired, answer.note) == (statement.id, 4, None, "x")
    before = respondent.updated_at
    respondent.refresh_from_db()
    assert respondent.updated_at > before


@pytest.mark.parametrize(
    ("action", "number", "expected"),
    [("previous", 2, 1), ("stop", 1, "stopped"), ("", 1, 1), ("next", 6, "review")],
)
def test_the_shortcut_leads_where_the_button_says(respondent_client, respondent, action, number, expected):
    warm(respondent_client, respondent)
    with no_ordinary_path():
        saved = respondent_client.post(theme_url(respondent, number), {"action": action})
    if expected == "stopped":
        target = reverse("assessments:stopped", kwargs={"public_id": respondent.public_id})
    elif expected == "review":
        target = reverse("assessments:review", kwargs={"public_id": respondent.public_id})
    else:
        target = theme_url(respondent, expected)
    assert saved["Location"] == target


def test_a_page_posted_unchanged_writes_nothing(respondent_client, respondent):
    statement = first_statements(respondent)[0]
    services.save_answers(respondent, {statement.id: {"current": 2, "desired": 3, "note": None}})
    respondent.refresh_from_db()
    warm(respondent_client, respondent)
    # Changed on this page (loaded as 1), to the level saved meanwhile elsewhere: the upsert runs,
    # finds nothing different and writes nothing, so the response is not touched either.
    fields = {f"{statement.key}-current": "2", f"{statement.key}-current-was": "1", "action": "next"}
    with no_ordinary_path():
        saved = respondent_client.post(theme_url(respondent), fields)
    assert saved.status_code == 302
    stored = Response.objects.get(pk=respondent.pk)
    assert stored.updated_at == respondent.updated_at
    answer = Answer.objects.get(response=respondent)
    assert (answer.current, answer.desired, answer.updated_at) == (2, 3, respondent.updated_at)


def test_a_page_posted_without_changes_only_looks_the_response_up(
    respondent_client, respondent, django_assert_num_queries
):
    warm(respondent_client, respondent)
    with no_ordinary_path(), django_assert_num_queries(1):
        saved = respondent_client.post(theme_url(respondent), {"action": "next"})
    assert saved["Location"] == theme_url(respondent, 2)
    assert Response.objects.get(pk=respondent.pk).updated_at == respondent.updated_at


def test_the_language_chosen_follows_the_response_on_the_shortcut(respondent_client, respondent):
    warm(respondent_client, respondent)
    respondent_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with no_ordinary_path():
        saved = respondent_client.post(theme_url(respondent), {"action": "next"})
    assert saved.status_code == 302
    respondent.refresh_from_db()
    assert respondent.language == "en"
    assert settings.LANGUAGE_COOKIE_NAME not in saved.cookies  # the browser has it already


@pytest.mark.parametrize("shortcut", [True, False], ids=["shortcut", "ordinary"])
def test_switching_language_without_a_language_cookie_keeps_the_language_switched_to(
    respondent_client, respondent, shortcut
):
    """The switch sets the cookie; the response's old language must not overwrite it (it did, on
    the ordinary path, for a browser without a language cookie)."""
    if shortcut:
        warm(respondent_client, respondent)
    respondent_client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    saved = respondent_client.post(theme_url(respondent), {"switch_language": "en"})
    assert saved.status_code == 302
    assert saved.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    respondent.refresh_from_db()
    assert respondent.language == "en"


def test_a_response_on_another_version_than_guessed_is_saved_the_ordinary_way(client, version, utrecht):
    """The process remembers only a newer version (of another response, read last); this
    response is on 2026.1, whose statements have the same keys: the shortcut's statement finds no
    such response on 2027.1, writes nothing, and the ordinary path saves into 2026.1's statements."""
    older = make_response(version, utrecht, email="old@utrecht.nl")
    newer = make_response(next_version(), utrecht, email="new@utrecht.nl")
    Response.objects.respondent(newer.public_id)
    assert remembered_version(older.public_id).version == "2027.1"
    login(client, older)
    key = first_statements(older)[0].key
    saved = client.post(theme_url(older), {f"{key}-current": "3", "action": "next"})
    assert saved.status_code == 302
    answer = Answer.objects.get(response=older)
    assert (answer.statement.version_id, answer.statement.key, answer.current) == (version.pk, key, 3)
    assert not Answer.objects.filter(response=newer).exists()
    assert remembered_version(older.public_id) == version


def test_a_version_whose_content_changed_since_it_was_remembered_is_saved_the_ordinary_way(
    respondent_client, respondent
):
    warm(respondent_client, respondent)
    version = respondent.instrument_version
    remembered = remembered_version(respondent.public_id)
    InstrumentVersion.objects.filter(pk=version.pk).update(content_sha256="changed")
    statement = first_statements(respondent)[0]
    with mock.patch.object(views, "_theme", wraps=views._theme) as theme:
        saved = respondent_client.post(theme_url(respondent), {f"{statement.key}-current": "5"})
    assert saved.status_code == 302
    assert theme.call_count == 1
    assert Answer.objects.get(response=respondent).current == 5
    assert remembered_version(respondent.public_id).content_sha256 == "changed"
    assert remembered.content_sha256 == version.content_sha256  # the cached version itself is untouched


def test_a_registration_session_loses_the_shortcut_once_the_address_is_confirmed(client, version, utrecht):
    """Whoever registered an address may answer only until its owner opens the link."""
    response = make_response(version, utrecht, email="owner@utrecht.nl")
    login_as_registrant(client, response)
    warm(client, response)
    key = first_statements(response)[0].key
    assert client.post(theme_url(response), {f"{key}-current": "2"}).status_code == 302
    confirm(response)
    refused = client.post(theme_url(response), {f"{key}-current": "4"})
    assert refused.status_code == 403
    assert Answer.objects.get(response=response).current == 2


def test_the_ordinary_path_refuses_a_registration_session_whose_address_was_confirmed_meanwhile(
    client, version, utrecht
):
    """The ordinary path read the response an instant before its owner confirmed the address: the
    save's own statement refuses the registration-only session, and the page says access ended."""
    from assessments.models import ResponseQuerySet, forget_remembered_versions

    response = make_response(version, utrecht, email="owner@utrecht.nl")
    login_as_registrant(client, response)
    before_confirming = Response.objects.respondent(response.public_id)
    forget_remembered_versions()  # no shortcut: the ordinary path
    confirm(response)
    reads = [before_confirming]
    real = ResponseQuerySet.respondent

    def respondent(queryset, public_id):  # the first read returns the response as it was
        return reads.pop() if reads else real(queryset, public_id)

    with mock.patch.object(ResponseQuerySet, "respondent", respondent):
        refused = client.post(theme_url(response), {f"{first_statements(response)[0].key}-current": "4"})
    assert not reads
    assert refused.status_code == 403
    assert refused.context["progress"] is None  # the page as a session without access sees it
    assert not Answer.objects.filter(response=response).exists()


def test_save_answers_tells_a_lost_access_from_a_submit(version, utrecht):
    response = make_response(version, utrecht, email="owner@utrecht.nl")
    values = one_answer(response)
    confirm(response)
    with pytest.raises(services.AccessLost):
        services.save_answers(response, values, unconfirmed_only=True)
    assert services.save_answers(response, values) == 1
    answer_all(response)
    services.submit(response)
    with pytest.raises(services.AlreadySubmitted):
        services.save_answers(response, one_answer(response, current=5), unconfirmed_only=True)
    assert Answer.objects.get(response=response, statement_id=next(iter(values))).current == 3


def test_a_submitted_response_is_not_written_by_the_shortcut(respondent_client, respondent):
    warm(respondent_client, respondent)
    answer_all(respondent, current=1)
    services.submit(respondent)
    key = first_statements(respondent)[0].key
    refused = respondent_client.post(theme_url(respondent), {f"{key}-current": "4"})
    assert refused.status_code == 409
    assert set(Answer.objects.filter(response=respondent).values_list("current", flat=True)) == {1}


def test_demo_responses_stay_closed_to_the_shortcut(respondent_client, respondent):
    warm(respondent_client, respondent)
    Response.objects.filter(pk=respondent.pk).update(is_demo=True)
    key = first_statements(respondent)[0].key
    assert respondent_client.post(theme_url(respondent), {f"{key}-current": "4"}).status_code == 404
    assert not Answer.objects.filter(response=respondent).exists()


@pytest.mark.parametrize(
    ("fields", "status"),
    [({"Z9-current": "3"}, 400), ({"A1-current": "9"}, 400), ({"A1-note": "x" * 5000}, 400)],
    ids=["tampered", "level out of range", "note too long"],
)
def test_a_post_the_shortcut_cannot_check_gets_the_ordinary_answer(respondent_client, respondent, fields, status):
    warm(respondent_client, respondent)
    assert respondent_client.post(theme_url(respondent), fields).status_code == status
    assert not Answer.objects.filter(response=respondent).exists()


def test_a_theme_number_beyond_the_version_is_not_found(respondent_client, respondent):
    warm(respondent_client, respondent)
    assert respondent_client.post(theme_url(respondent, 99), {}).status_code == 404


def test_a_session_without_access_never_writes(client, respondent):
    Response.objects.respondent(respondent.public_id)  # remembered, as after anyone's visit
    key = first_statements(respondent)[0].key
    refused = client.post(theme_url(respondent), {f"{key}-current": "4"})
    assert refused.status_code == 403
    assert not Answer.objects.filter(response=respondent).exists()


# --- services.save_page and its PageTarget -------------------------------------------------------


def target(response, **changes):
    fields = {"public_id": response.public_id, "version": response.instrument_version, **changes}
    return services.PageTarget(**fields)


def one_answer(response, current=3):
    return {first_statements(response)[0].id: {"current": current, "desired": None, "note": None}}


def test_save_page_returns_the_rows_written_and_the_responses_key_and_language(respondent):
    respondent.language = "en"
    Response.objects.filter(pk=respondent.pk).update(language="en")
    assert services.save_page(target(respondent), one_answer(respondent)) == (1, respondent.pk, "en")
    assert services.save_page(target(respondent), one_answer(respondent)) == (0, respondent.pk, "en")
    assert services.save_page(target(respondent), {}) == (0, respondent.pk, "en")


@pytest.mark.parametrize(
    "mismatch",
    ["other public id", "demo", "unconfirmed only", "content changed", "submitted"],
)
def test_save_page_writes_nothing_into_a_response_the_target_does_not_match(respondent, mismatch):
    import uuid

    changes = {}
    if mismatch == "other public id":
        changes["public_id"] = uuid.uuid4()
    elif mismatch == "demo":
        changes["is_demo"] = True
    elif mismatch == "unconfirmed only":
        confirm(respondent)
        changes["unconfirmed_only"] = True
    elif mismatch == "content changed":
        stale = copy.copy(respondent.instrument_version)
        stale.content_sha256 = "stale"
        changes.update(version=stale, version_guessed=True)
    else:
        Response.objects.filter(pk=respondent.pk).update(submitted_at=respondent.created_at)
    assert services.save_page(target(respondent, **changes), one_answer(respondent)) is None
    assert services.save_page(target(respondent, **changes), {}) is None
    assert not Answer.objects.filter(response=respondent).exists()
    assert Response.objects.get(pk=respondent.pk).updated_at == respondent.updated_at


def test_save_page_writes_nothing_into_a_response_on_another_version(respondent):
    other = next_version()
    for guessed in (False, True):
        on_other = target(respondent, version=other, version_guessed=guessed)
        assert services.save_page(on_other, {}) is None
        assert services.save_page(on_other, one_answer(respondent)) is None
    assert not Answer.objects.filter(response=respondent).exists()


def test_a_stale_content_hash_matters_only_for_a_guessed_version(respondent):
    stale = copy.copy(respondent.instrument_version)
    stale.content_sha256 = "stale"
    assert services.save_page(target(respondent, version=stale), one_answer(respondent)).written == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("change", "status"),
    [("email_confirmed_at = now()", 403), ("submitted_at = now()", 409), ("language = 'en'", 302)],
    ids=["confirmed", "submitted", "language changed"],
)
def test_the_shortcut_waits_for_a_change_in_progress_and_obeys_it(client, version, utrecht, change, status):
    """Another connection holds the response's row and then confirms the address, submits, or
    changes the language. The shortcut's statement waits for the lock and checks the row as it is
    then: a registration-only session writes nothing once the address is confirmed (403), nothing is
    written into a submitted response (409), and otherwise the save goes ahead."""
    import threading
    import time

    from conftest import second_postgresql_connection

    response = make_response(version, utrecht, email="owner@utrecht.nl")
    login_as_registrant(client, response)
    warm(client, response)
    key = first_statements(response)[0].key
    table = Response._meta.db_table
    other = second_postgresql_connection()
    locked = threading.Event()

    def hold_then_change():
        with other.transaction():
            other.execute(f'SELECT id FROM "{table}" WHERE id = %s FOR UPDATE', [response.pk])  # noqa: S608
            locked.set()
            time.sleep(0.5)
            other.execute(f'UPDATE "{table}" SET {change} WHERE id = %s', [response.pk])  # noqa: S608

    holder = threading.Thread(target=hold_then_change)
    holder.start()
    try:
        assert locked.wait(10)
        started = time.monotonic()
        page = client.post(theme_url(response), {f"{key}-current": "4"})
        waited = time.monotonic() - started
    finally:
        holder.join(10)
        other.close()
    assert waited > 0.3
    assert page.status_code == status
    assert list(Answer.objects.filter(response=response).values_list("current", flat=True)) == (
        [4] if status == 302 else []
    )
