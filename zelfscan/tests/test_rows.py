"""zelfscan.rows.Select fills the same instances as the ORM, in one statement."""

from django.db import connection

from assessments import services
from assessments.models import Answer, Response, answers_of
from conftest import make_response


def fields(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_a_response_with_its_version_and_municipality_in_one_statement(respondent, django_assert_num_queries, settings):
    respondent.email_confirmed_at = respondent.created_at
    respondent.save()
    expected = Response.objects.select_related("municipality", "instrument_version").get(pk=respondent.pk)
    # The whole version comes from the process's cache once any page loaded it (version_as_of):
    # warm it, so the count does not depend on which test ran first.
    Response.objects.respondent(respondent.public_id)
    with django_assert_num_queries(1):
        found = Response.objects.respondent(respondent.public_id)
        assert found.municipality.name == expected.municipality.name
        assert found.instrument_version.content_sha256 == expected.instrument_version.content_sha256
    assert fields(found) == fields(expected)  # UUIDs, aware datetimes, booleans as the ORM converts them
    assert fields(found.municipality) == fields(expected.municipality)
    assert fields(found.instrument_version) == fields(expected.instrument_version)
    assert found.created_at.tzinfo is not None
    assert not found._state.adding and found._state.db == "default"


def test_unknown_and_demo_responses_are_not_found(respondent):
    import uuid

    assert Response.objects.respondent(uuid.uuid4()) is None
    Response.objects.filter(pk=respondent.pk).update(is_demo=True)
    assert Response.objects.respondent(respondent.public_id) is None


def test_answers_of_a_response(respondent, version, utrecht):
    statements = list(version.statements.order_by("position"))
    services.save_answers(respondent, {s.id: {"current": 2, "desired": 0, "note": "n"} for s in statements[:3]})
    other = make_response(version, utrecht, "other@utrecht.nl")
    services.save_answers(other, {statements[0].id: {"current": 5, "desired": None, "note": None}})
    expected = {
        a.statement_id: (a.pk, a.current, a.desired, a.note) for a in Answer.objects.filter(response=respondent)
    }
    assert {k: (v.pk, v.current, v.desired, v.note) for k, v in answers_of(respondent).items()} == expected
    assert {k: (v.current, v.desired) for k, v in answers_of(other).items()} == {statements[0].id: (5, None)}


def test_the_statement_is_built_once_per_database(respondent):
    from assessments.models import _ANSWERS

    answers_of(respondent)
    answers_of(respondent)
    assert list(_ANSWERS._statements) == [connection.vendor]


def test_update_saves_the_given_fields_of_the_given_rows(respondent, version, django_assert_num_queries):
    from datetime import timedelta

    from zelfscan.rows import Update

    statements = list(version.statements.order_by("position"))[:3]
    services.save_answers(respondent, {s.id: {"current": 1, "desired": 2, "note": "old"} for s in statements})
    answers = answers_of(respondent)
    first, second, third = (answers[s.id] for s in statements)
    first.current, first.note, first.desired = 4, "new \u20ac", 5
    second.current, second.note = 0, ""
    first.updated_at = second.updated_at = Answer.objects.get(pk=first.pk).updated_at + timedelta(hours=1)
    with django_assert_num_queries(1):
        Update(Answer, ("current", "note", "updated_at"))([first, second])
    stored = {a.pk: a for a in Answer.objects.filter(response=respondent)}
    assert (stored[first.pk].current, stored[first.pk].desired, stored[first.pk].note) == (4, 2, "new \u20ac")
    assert (stored[second.pk].current, stored[second.pk].note) == (0, "")
    assert stored[first.pk].updated_at == first.updated_at
    assert (stored[third.pk].current, stored[third.pk].note) == (1, "old")
    Update(Answer, ("current",))([])  # nothing to do, no statement


def test_the_current_version_is_the_latest_published(version, django_assert_num_queries):
    from datetime import timedelta

    from instrument.models import InstrumentVersion

    with django_assert_num_queries(1):
        assert InstrumentVersion.objects.current() == version
    newer = InstrumentVersion.objects.create(version="9.9", content_sha256="x" * 64)
    InstrumentVersion.objects.filter(pk=newer.pk).update(published_at=version.published_at + timedelta(days=1))
    current = InstrumentVersion.objects.current()
    assert current == newer and current.published_at > version.published_at and current.title == {}
    assert InstrumentVersion.objects.filter(pk=version.pk).current() == version  # a filtered queryset: the ORM


def test_insert_writes_the_given_fields(respondent, version, django_assert_num_queries):
    from django.utils import timezone

    from zelfscan.rows import Insert

    statements = list(version.statements.order_by("position"))[:2]
    now = timezone.now()
    rows = [
        Answer(response=respondent, statement=statements[0], current=0, desired=None, note="é <b>", updated_at=now),
        Answer(response=respondent, statement=statements[1], current=5, desired=1, updated_at=now),
    ]
    with django_assert_num_queries(1):
        Insert(Answer, ("response", "statement", "current", "desired", "note", "updated_at"))(rows)
    stored = {a.statement_id: a for a in Answer.objects.filter(response=respondent)}
    first, second = stored[statements[0].id], stored[statements[1].id]
    assert (first.current, first.desired, first.note, first.updated_at) == (0, None, "é <b>", now)
    assert (second.current, second.desired, second.note) == (5, 1, "")


def test_insert_returning_sets_the_key_and_stamps_auto_now_fields(version, django_assert_num_queries):
    from django.utils import timezone

    from mailing.models import OutboxMessage
    from zelfscan.rows import Insert

    insert = Insert(OutboxMessage, returning=True)  # every field but the key
    before = timezone.now()
    first = OutboxMessage(
        to="a@utrecht.nl", subject="S", body="B", kind="confirm", language="nl", next_attempt_at=before
    )
    second = OutboxMessage(
        to="b@utrecht.nl", subject="T", body="C", kind="confirm", language="en", next_attempt_at=before
    )
    with django_assert_num_queries(2):  # one INSERT ... RETURNING per row
        insert([first, second])
    assert first.pk and second.pk and first.pk != second.pk
    assert not first._state.adding
    stored = OutboxMessage.objects.get(pk=second.pk)
    assert (stored.to, stored.subject, stored.language, stored.status) == ("b@utrecht.nl", "T", "en", "queued")
    assert before <= stored.created_at <= timezone.now()
