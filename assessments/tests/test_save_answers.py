"""assessments.services.save_answers: one upsert per page save, and what it keeps.

The rules (the theme page's "nothing entered is ever lost"): a level posted as None keeps the saved
level; a note posted as None keeps the saved note and "" clears it; a row is created only when it
carries a level or a note; a row, and the response's updated_at, change only when a value changes.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from assessments import services
from assessments.models import Answer, Response


@pytest.fixture
def statements(version):
    return list(version.statements.order_by("position"))


def stored(response) -> dict:
    """{statement position: (current, desired, note)} as in the database."""
    return {
        a.statement.position: (a.current, a.desired, a.note)
        for a in Answer.objects.filter(response=response).select_related("statement")
    }


def save(response, rows: dict) -> int:
    """save_answers with {statement: (current, desired, note)}."""
    return services.save_answers(
        response, {s.id: {"current": c, "desired": d, "note": n} for s, (c, d, n) in rows.items()}
    )


def test_a_new_page_is_inserted_and_counted(respondent, statements):
    a, b, c = statements[:3]
    assert save(respondent, {a: (2, 4, ""), b: (0, 5, "why"), c: (None, None, None)}) == 2
    assert stored(respondent) == {a.position: (2, 4, ""), b.position: (0, 5, "why")}


def test_an_empty_level_keeps_the_saved_level(respondent, statements):
    a = statements[0]
    save(respondent, {a: (2, 3, "first")})
    assert save(respondent, {a: (None, 5, None)}) == 1
    assert stored(respondent) == {a.position: (2, 5, "first")}
    assert save(respondent, {a: (4, None, None)}) == 1
    assert stored(respondent) == {a.position: (4, 5, "first")}


def test_a_note_posted_empty_clears_it_and_a_note_not_posted_keeps_it(respondent, statements):
    a, b = statements[:2]
    save(respondent, {a: (1, 1, "clear me"), b: (2, 2, "keep me")})
    assert save(respondent, {a: (None, None, ""), b: (3, None, None)}) == 2
    assert stored(respondent) == {a.position: (1, 1, ""), b.position: (3, 2, "keep me")}


def test_nothing_is_created_for_a_statement_posted_empty(respondent, statements):
    a, b = statements[:2]
    assert save(respondent, {a: (None, None, ""), b: (None, None, None)}) == 0
    assert stored(respondent) == {}
    assert save(respondent, {a: (None, None, "only a note")}) == 1
    assert stored(respondent) == {a.position: (None, None, "only a note")}


def backdate(response):
    """Set the response's and its answers' updated_at three days back; returns that moment."""
    earlier = timezone.now() - timedelta(days=3)
    Answer.objects.filter(response=response).update(updated_at=earlier)
    Response.objects.filter(pk=response.pk).update(updated_at=earlier)
    return earlier


def test_saving_the_same_values_writes_nothing(respondent, statements):
    a, b = statements[:2]
    save(respondent, {a: (2, 3, "n"), b: (4, 4, "")})
    earlier = backdate(respondent)
    assert save(respondent, {a: (2, 3, "n"), b: (4, None, "")}) == 0
    assert set(Answer.objects.filter(response=respondent).values_list("updated_at", flat=True)) == {earlier}
    assert Response.objects.get(pk=respondent.pk).updated_at == earlier


def test_only_the_changed_rows_and_the_response_get_a_new_updated_at(respondent, statements):
    a, b = statements[:2]
    save(respondent, {a: (2, 3, ""), b: (4, 4, "")})
    earlier = backdate(respondent)
    assert save(respondent, {a: (2, 3, ""), b: (5, 4, "")}) == 1
    stamps = dict(Answer.objects.filter(response=respondent).values_list("statement_id", "updated_at"))
    assert stamps[a.id] == earlier
    assert stamps[b.id] > earlier
    assert Response.objects.get(pk=respondent.pk).updated_at == stamps[b.id]
    assert respondent.updated_at == stamps[b.id]


def test_a_save_with_nothing_changed_runs_no_statement(respondent, statements, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert save(respondent, {statements[0]: (None, None, None)}) == 0


def test_other_responses_are_untouched(respondent, statements, version, utrecht):
    from conftest import make_response

    other = make_response(version, utrecht, "other@utrecht.nl")
    a, b = statements[:2]
    save(other, {a: (1, 1, "other"), b: (2, 2, "only other")})
    earlier = backdate(other)
    save(respondent, {a: (5, 5, "mine")})
    # A note cleared on a statement only the other response answered creates nothing here.
    assert save(respondent, {a: (None, None, ""), b: (None, None, "")}) == 1
    assert stored(other) == {a.position: (1, 1, "other"), b.position: (2, 2, "only other")}
    assert stored(respondent) == {a.position: (5, 5, "")}
    assert Response.objects.get(pk=other.pk).updated_at == earlier


def test_nothing_is_written_into_a_response_submitted_meanwhile(respondent, statements):
    """The page was loaded, then the response was submitted on another device: the save writes
    nothing and says so (the view answers 409)."""
    from conftest import answer_all

    answer_all(respondent, current=2, desired=3)
    stale = Response.objects.get(pk=respondent.pk)  # loaded before the submit
    assert services.submit(Response.objects.get(pk=respondent.pk)) is True
    with pytest.raises(services.AlreadySubmitted):
        save(stale, {statements[0]: (5, 5, "too late")})
    assert stored(respondent)[statements[0].position] == (2, 3, "")


def test_sqlite_gets_no_is_distinct_from(respondent, statements):
    """SQLite has IS DISTINCT FROM only since 3.39; its IS NOT compares row values the same way."""
    save(respondent, {statements[0]: (1, 1, None)})
    built = services._save_page._statements[(connection.vendor, 1)]
    if connection.vendor == "sqlite":
        assert "IS DISTINCT FROM" not in built and ") IS NOT (" in built
    else:
        assert ") IS DISTINCT FROM (" in built


def test_every_page_size_gets_its_own_statement(respondent, statements):
    for size in (1, 2, 4, 3):
        assert save(respondent, {s: (size, None, None) for s in statements[:size]}) == size
    assert stored(respondent) == {
        statements[0].position: (3, None, ""),
        statements[1].position: (3, None, ""),
        statements[2].position: (3, None, ""),
        statements[3].position: (4, None, ""),
    }


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_devices_saving_a_new_statement_at_once_keep_both_scales(version, utrecht):
    """The first save of a statement from two devices at the same moment: both insert, the unique
    key serialises them, and each keeps the scale the other saved. (A read-then-insert save lost
    one of them to an IntegrityError, a 500.)"""
    from conftest import make_response

    statement = version.statements.order_by("position").first()
    rounds = 20
    responses = [make_response(version, utrecht, f"twin{i}@utrecht.nl") for i in range(rounds)]
    errors = []

    def device(scale):
        try:
            for response in responses:
                barrier.wait(timeout=10)
                services.save_answers(response, {statement.id: {"current": None, "desired": None, scale: 3}})
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=device, args=(scale,)) for scale in ("current", "desired")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    saved = Answer.objects.filter(response__in=responses).values_list("current", "desired")
    assert list(saved) == [(3, 3)] * rounds


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_save_that_waited_for_a_submit_writes_nothing(respondent, statements):
    """A submit holds the response's row while it checks the answers; a page save arriving then
    waits for it, finds the response submitted, and writes nothing."""
    import time

    from conftest import answer_all, second_postgresql_connection

    answer_all(respondent, current=2, desired=3)
    stale = Response.objects.get(pk=respondent.pk)
    submitter = second_postgresql_connection()
    locked = threading.Event()
    outcome = {}

    def save_from_the_other_device():
        locked.wait(timeout=10)
        started = time.monotonic()
        try:
            save(stale, {statements[0]: (5, 5, "too late")})
            outcome["result"] = "saved"
        except services.AlreadySubmitted:
            outcome["result"] = "refused"
        finally:
            outcome["waited"] = time.monotonic() - started
            connections.close_all()

    device = threading.Thread(target=save_from_the_other_device)
    device.start()
    with submitter.transaction():
        table = Response._meta.db_table
        submitter.execute(f'SELECT id FROM "{table}" WHERE id = %s FOR UPDATE', [respondent.pk])  # noqa: S608
        locked.set()
        time.sleep(0.5)
        submitter.execute(f'UPDATE "{table}" SET submitted_at = now() WHERE id = %s', [respondent.pk])  # noqa: S608
    submitter.close()
    device.join(timeout=30)
    assert outcome["result"] == "refused"
    assert outcome["waited"] >= 0.3  # it waited for the submit's lock
    assert stored(respondent)[statements[0].position] == (2, 3, "")
