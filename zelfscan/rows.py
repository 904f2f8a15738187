"""The hottest lookups in SQL written out once per process from the models' own fields.

Building a queryset's SQL costs Django's ORM 0.3-0.8 ms of CPU per statement: several times what
SQLite or PostgreSQL need to answer a lookup by a unique key. The respondent's pages run the same
few lookups on every request (a response by its public id, with its version and municipality; a
response's answers), so `Select` builds their SQL once, from the models' metadata (a field added
to a model is selected too), and fills model instances as the ORM does: the fields' database
converters, then `Model.from_db`; related objects are cached on the instance as `select_related`
caches them. Everything else stays on the ORM.
"""

from django.db import connection


def _converted(values: list, converting) -> list:
    """`values` with the database converters applied as the ORM applies them (see _converters_for)."""
    for index, converters, column in converting:
        value = values[index]
        for converter in converters:
            value = converter(value, column, connection)
        values[index] = value
    return values


class Select:
    """SELECT every concrete field of `model` (or its key and the fields named in `only`), and of
    the models behind the non-null foreign keys named in `related` (or their keys and the fields
    `related_only` names), WHERE each field in `where` equals a parameter."""

    def __init__(
        self,
        model,
        *,
        where: tuple[str, ...],
        related: tuple[str, ...] = (),
        order_by: tuple[str, ...] = (),
        limit: int | None = None,
        only: tuple[str, ...] | None = None,
        record: type | None = None,
        related_only: dict[str, tuple[str, ...]] | None = None,
    ):
        self.model = model
        # `related_only`: for a related model, its key and these fields only (the others deferred).
        self.related_only = related_only or {}
        # `record`: rows become record(*values) (key first, then `only`'s fields, converted as the
        # ORM converts them) instead of model instances: for pages that only read a few values of
        # many rows (a model instance costs ~10 us to build; 21 answers were 0.2 ms a page).
        self.record = record
        if record is not None and related:
            raise ValueError("records are built from the model's own table only")
        # `only`: the model's primary key and these fields; the others are deferred on the
        # instances (as QuerySet.only() leaves them: reading one would cost a query of its own).
        self.fields = (
            model._meta.concrete_fields
            if only is None
            else [model._meta.pk, *(model._meta.get_field(name) for name in only)]
        )
        self.where = [model._meta.get_field(name) for name in where]
        self.related = [model._meta.get_field(name) for name in related]
        self.order_by = [(model._meta.get_field(name.lstrip("-")), name.startswith("-")) for name in order_by]
        self.limit = limit
        self._converters = None
        self._statements: dict = {}

    def _tables(self):
        """(alias, model, fields, foreign key or None) for the model and each related model."""
        tables = [("t0", self.model, self.fields, None)]
        for index, field in enumerate(self.related, start=1):
            meta = field.related_model._meta
            only = self.related_only.get(field.name)
            fields = meta.concrete_fields if only is None else [meta.pk, *(meta.get_field(name) for name in only)]
            tables.append((f"t{index}", field.related_model, fields, field))
        return tables

    def _sql(self, params: list) -> tuple[str, list]:
        """The statement (built once per database) and its parameters."""
        values = [field.get_db_prep_value(value, connection) for field, value in zip(self.where, params, strict=True)]
        sql = self._statements.get(connection.vendor)
        if sql is None:
            sql = self._statements[connection.vendor] = self._build()
        return sql, values

    def _build(self) -> str:
        quote = connection.ops.quote_name
        columns, joins = [], []
        for alias, model, fields, foreign_key in self._tables():
            columns += [f"{alias}.{quote(field.column)}" for field in fields]
            if foreign_key is not None:
                target = foreign_key.target_field.column
                joins.append(
                    f"INNER JOIN {quote(model._meta.db_table)} {alias} "
                    f"ON {alias}.{quote(target)} = t0.{quote(foreign_key.column)}"
                )
        conditions = [f"t0.{quote(field.column)} = %s" for field in self.where]
        table = quote(self.model._meta.db_table)
        # Names from the models' metadata, quoted; every value is a parameter.
        sql = f"SELECT {', '.join(columns)} FROM {table} t0 {' '.join(joins)}"  # noqa: S608
        if conditions:
            sql += f" WHERE {' AND '.join(conditions)}"
        if self.order_by:
            sql += " ORDER BY " + ", ".join(
                f"t0.{quote(f.column)}{' DESC' if desc else ''}" for f, desc in self.order_by
            )
        if self.limit is not None:
            sql += f" LIMIT {int(self.limit)}"
        return sql

    def _converters_for(self):
        """Per table: (model, foreign key or None, start and end of its columns in a row, attnames,
        [(index, converters, column expression)] for the fields that have converters), the
        converters as the ORM's compiler finds them."""
        if self._converters is None or self._converters[0] != connection.vendor:
            per_table, start = [], 0
            for alias, model, fields, foreign_key in self._tables():
                converting = []
                for index, field in enumerate(fields):
                    column = field.get_col(alias)
                    found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
                    if found:
                        converting.append((index, found, column))
                names = [field.attname for field in fields]
                per_table.append((model, foreign_key, start, start + len(fields), names, converting))
                start += len(fields)
            self._converters = (connection.vendor, per_table)
        return self._converters[1]

    def all(self, *params, for_update: bool = False) -> list:
        sql, values = self._sql(list(params))
        if for_update and connection.features.has_select_for_update:
            # Lock the rows of the model itself, never those of the related models joined in.
            of = ("t0",) if self.related and connection.features.has_select_for_update_of else ()
            sql += " " + connection.ops.for_update_sql(of=of)
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            rows = cursor.fetchall()
        tables = self._converters_for()
        if self.record is not None:
            converting = tables[0][5]
            return [self.record(*_converted(list(row), converting)) for row in rows]
        alias = connection.alias
        result = []
        for row in rows:
            instance = None
            for model, foreign_key, start, end, names, converting in tables:
                obj = model.from_db(alias, names, _converted(list(row[start:end]), converting))
                if foreign_key is None:
                    instance = obj
                else:
                    foreign_key.set_cached_value(instance, obj)
            result.append(instance)
        return result

    def first(self, *params, for_update: bool = False):
        found = self.all(*params, for_update=for_update)
        return found[0] if found else None


# Field types whose database value is the Python value itself when it is a str (text) or an int
# (numbers, foreign keys to integer keys): preparing those through Field.get_db_prep_save, layer
# by layer, took a tenth of a page save. Other values (datetimes, UUIDs, ...) go through their field.
_PLAIN = {
    str: {"CharField", "TextField", "EmailField", "SlugField"},
    int: {
        "IntegerField",
        "SmallIntegerField",
        "BigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "PositiveBigIntegerField",
        "AutoField",
        "BigAutoField",
    },
}


def _preparers(fields) -> list:
    """Per field: (attname, field, the Python type its database value is as it is, or None)."""
    found = []
    for field in fields:
        target = field.target_field if field.is_relation else field
        kind = target.get_internal_type()
        plain = next((python_type for python_type, kinds in _PLAIN.items() if kind in kinds), None)
        found.append((field.attname, field, plain))
    return found


def _prepared(preparers, obj, done: dict) -> list:
    """The database values of `obj`'s fields. `done` remembers the values prepared for earlier rows
    of the same statement, by field and object: a page save stamps all its rows with one datetime,
    which was adapted again for every row."""
    values = []
    for attname, field, plain in preparers:
        value = getattr(obj, attname)
        if value is None or type(value) is plain:
            values.append(value)
        else:
            key = (attname, id(value))
            found = done.get(key)
            if found is None or found[0] is not value:
                found = done[key] = (value, field.get_db_prep_save(value, connection))
            values.append(found[1])
    return values


class Update:
    """UPDATE `fields` of rows of `model` by primary key: one statement, built once, executed for
    every instance given (executemany). Like QuerySet.bulk_update, it saves the attributes as they
    are (no auto_now, no signals); unlike it, it needs no CASE expression per field and row, which
    cost the ORM several milliseconds for a page of four answers."""

    def __init__(self, model, fields: tuple[str, ...]):
        self.model = model
        self.fields = [model._meta.get_field(name) for name in fields]
        self._preparers = _preparers([*self.fields, model._meta.pk])
        self._sql = None

    def __call__(self, instances) -> None:
        if not instances:
            return
        if self._sql is None or self._sql[0] != connection.vendor:
            quote = connection.ops.quote_name
            assignments = ", ".join(f"{quote(field.column)} = %s" for field in self.fields)
            table, pk = quote(self.model._meta.db_table), quote(self.model._meta.pk.column)
            self._sql = (connection.vendor, f"UPDATE {table} SET {assignments} WHERE {pk} = %s")  # noqa: S608
        done: dict = {}
        params = [_prepared(self._preparers, obj, done) for obj in instances]
        with connection.cursor() as cursor:
            cursor.executemany(self._sql[1], params)


class Insert:
    """INSERT rows of `model` with the given fields (all but an automatic key when None): one
    statement, built once, executed for every instance given (executemany). As the ORM's create()
    does, date fields with auto_now or auto_now_add that are still None are set to now. Unlike
    QuerySet.bulk_create it does not set the instances' primary keys, unless `returning`: then each
    row is inserted with RETURNING its key (SQLite >= 3.35, PostgreSQL), set on the instance."""

    def __init__(self, model, fields: tuple[str, ...] | None = None, *, returning: bool = False):
        self.model = model
        if fields is None:  # every concrete field but an automatic primary key
            auto = model._meta.pk if model._meta.pk.get_internal_type() in {"AutoField", "BigAutoField"} else None
            self.fields = [field for field in model._meta.concrete_fields if field is not auto]
        else:
            self.fields = [model._meta.get_field(name) for name in fields]
        self._preparers = _preparers(self.fields)
        self._stamped = [
            field for field in self.fields if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        ]
        self.returning = returning
        self._sql = None

    def __call__(self, instances) -> None:
        if not instances:
            return
        if self._sql is None or self._sql[0] != connection.vendor:
            quote = connection.ops.quote_name
            columns = ", ".join(quote(field.column) for field in self.fields)
            values = ", ".join(["%s"] * len(self.fields))
            table = quote(self.model._meta.db_table)
            sql = f"INSERT INTO {table} ({columns}) VALUES ({values})"  # noqa: S608
            if self.returning:
                sql += f" RETURNING {quote(self.model._meta.pk.column)}"
            self._sql = (connection.vendor, sql)
        for obj in instances:
            for field in self._stamped:
                if getattr(obj, field.attname) is None:
                    field.pre_save(obj, add=True)
        done: dict = {}
        params = [_prepared(self._preparers, obj, done) for obj in instances]
        with connection.cursor() as cursor:
            if not self.returning:
                cursor.executemany(self._sql[1], params)
                return
            for obj, values in zip(instances, params, strict=True):
                cursor.execute(self._sql[1], values)
                obj.pk = cursor.fetchone()[0]
                obj._state.adding = False
                obj._state.db = connection.alias
