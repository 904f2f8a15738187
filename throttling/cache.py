"""Django's database cache with an atomic incr(), for counters shared by all workers.

Django's DatabaseCache increments by reading the value and writing it back, so two workers
counting at the same moment can lose an increment, and the write resets the entry's expiry.
Here the read and the write happen in one transaction that holds the row: PostgreSQL locks it
(SELECT ... FOR UPDATE); SQLite takes the database's write lock when the transaction begins
(Zelfscan's SQLite settings use IMMEDIATE transactions). The expiry is kept.
"""

import base64
import pickle

from django.core.cache.backends import db
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now


class DatabaseCache(db.DatabaseCache):
    def incr(self, key, delta=1, version=None):
        made_key = self.make_and_validate_key(key, version=version)
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        quote = connection.ops.quote_name
        table = quote(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0, tzinfo=None))
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            # Names are quoted by the backend; values are parameters.
            where = f"{quote('cache_key')} = %s AND {quote('expires')} > %s"
            cursor.execute(f"SELECT {quote('value')} FROM {table} WHERE {where}{lock}", [made_key, now])  # noqa: S608
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            # Written by this cache (see DatabaseCache._base_set), never by a client.
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode()))  # noqa: S301
            value += delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {quote('value')} = %s WHERE {quote('cache_key')} = %s",  # noqa: S608
                [encoded, made_key],
            )
        return value
