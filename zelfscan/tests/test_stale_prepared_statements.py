"""A migration that changes a column's type makes a PostgreSQL connection's prepared statements fail;
the request that meets that error gets its connection closed, and the next one works."""

import pytest
from django.db import connection
from django.db.utils import NotSupportedError

from zelfscan.middleware import forget_stale_prepared_statements

TABLE = "zelfscan_stale_plan_probe"
QUERY = f"SELECT id, name FROM {TABLE} WHERE id = %s"  # noqa: S608 - a constant


def test_other_errors_leave_the_connection_alone():
    try:
        raise ValueError("cached plan must not change result type")  # no sqlstate: not the database's
    except ValueError:
        assert forget_stale_prepared_statements() is False
    assert forget_stale_prepared_statements() is False  # no exception at all


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_stale_prepared_statement_closes_the_connection_and_the_next_request_works():
    from conftest import second_postgresql_connection

    other = second_postgresql_connection(autocommit=True)
    try:
        other.execute(f"CREATE TABLE {TABLE} (id integer PRIMARY KEY, name varchar(10))")
        other.execute(f"INSERT INTO {TABLE} VALUES (1, 'one')")  # noqa: S608 - a constant
        with connection.cursor() as cursor:
            for _ in range(6):  # prepared on the 5th run (prepare_threshold)
                cursor.execute(QUERY, [1])
                assert cursor.fetchall() == [(1, "one")]
        # A migration on another connection (as `migrate` is, while the workers run):
        other.execute(f"ALTER TABLE {TABLE} ALTER COLUMN name TYPE varchar(200)")
        with pytest.raises(NotSupportedError), connection.cursor() as cursor:
            try:
                cursor.execute(QUERY, [1])
            except NotSupportedError:
                assert forget_stale_prepared_statements() is True  # as got_request_exception calls it
                raise
        connection.close_if_unusable_or_obsolete()  # what the end of the request does
        assert connection.connection is None
        with connection.cursor() as cursor:
            cursor.execute(QUERY, [1])
            assert cursor.fetchall() == [(1, "one")]
    finally:
        other.execute(f"DROP TABLE IF EXISTS {TABLE}")
        other.close()
