"""Bulk inserts without the ORM's per-value compilation: imports of many stories.

``Model.objects.bulk_create`` compiles every value of every row through the
field's ``get_db_prep_save`` and builds a new SQL string per batch; on an
import of ten thousand stories with their photos and bylines that is a
third of the run. Here the statement is built once per table, each column
gets one converter chosen once, and the rows go to the database in one call:
``COPY … FROM STDIN`` on PostgreSQL, ``executemany`` on SQLite.

What ``bulk_create`` would do is still done: ``pre_save`` for the fields
that have one (``auto_now``, files), defaults from the model, and each
instance gets its primary key, reserved before the insert (a sequence's
next values on PostgreSQL; the next ids under the write lock SQLite takes
at the start of the transaction, ``transaction_mode = IMMEDIATE``). Signals
are not sent, as with ``bulk_create``. The caller holds the transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from django.db import connections, models, transaction
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

# Fields whose Python value is what the database driver takes as it is.
_AS_IS = (
    models.AutoField,
    models.BigAutoField,
    models.BooleanField,
    models.CharField,  # and SlugField, URLField, EmailField
    models.IntegerField,  # and the positive and small variants
    models.TextField,
    models.ForeignKey,
)


def insert(model: type[models.Model], objs: Sequence[models.Model], using="default"):
    """Insert unsaved instances of ``model``; each gets its primary key."""
    if not objs:
        return
    if not transaction.get_connection(using).in_atomic_block:
        raise transaction.TransactionManagementError(
            "bulk.insert reserves ids: call it inside the caller's transaction"
        )
    connection = connections[using]
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.generated]
    ids = _reserve_ids(connection, meta, len(objs))
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
    presaved = [f for f in fields if _has_pre_save(f)]
    converters = [_converter(f, connection) for f in fields]
    rows = []
    for obj in objs:
        values = obj.__dict__
        for field in presaved:
            # Set past the descriptor: an image field's would open the file
            # again to read its size.
            values[field.attname] = field.pre_save(obj, True)
        rows.append(
            tuple(
                convert(values[field.attname])
                for field, convert in zip(fields, converters, strict=True)
            )
        )
        obj._state.adding = False
        obj._state.db = using
    _write(connection, meta.db_table, [f.column for f in fields], rows)


def new(model: type[models.Model]) -> models.Model:
    """An unsaved instance with its fields' defaults, as ``model()`` makes it.

    ``Model.__init__`` asks every field for its default and sends two
    signals: a sixth of an import's writing process, for a story and its
    three photos. The defaults that are values are copied from a dict
    made once, the callable ones called. A model with ``pre_init`` or
    ``post_init`` receivers is made by ``model()``, except for an image
    field's dimension update, which finds no file on a new instance.
    """
    make = _MAKERS.get(model)
    if make is None:
        make = _MAKERS[model] = _maker(model)
    return make()


_MAKERS: dict[type, Callable[[], models.Model]] = {}


def _maker(model: type[models.Model]) -> Callable[[], models.Model]:
    allowed = {
        (f, "update_dimension_fields")
        for f in model._meta.concrete_fields
        if isinstance(f, models.ImageField) and not f.get_default()
    }
    receivers = [*post_init._live_receivers(model)[0]]
    known = all(
        (getattr(r, "__self__", None), getattr(r, "__name__", "")) in allowed
        for r in receivers
    )
    if pre_init.has_listeners(model) or not known:
        return model
    values: dict[str, object] = {}
    calls: list[tuple[str, Callable]] = []
    for field in model._meta.concrete_fields:
        if field.generated:
            continue
        if field.has_default() and callable(field.default):
            calls.append((field.attname, field.default))
        else:
            values[field.attname] = field.get_default()

    def make() -> models.Model:
        obj = model.__new__(model)
        obj._state = ModelState()
        fields = obj.__dict__
        fields.update(values)
        for attname, default in calls:
            fields[attname] = default()
        return obj

    return make


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[tuple],
    using="default",
) -> None:
    """Insert plain rows (a through table's ids): no instances, no keys back."""
    rows = list(rows)
    if rows:
        connection = connections[using]
        meta = model._meta
        names = [meta.get_field(c).column for c in columns]
        _write(connection, meta.db_table, names, rows)


def _write(connection, table: str, columns: list[str], rows: list[tuple]) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own: COPY is not part of the DB-API
            with raw.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows
            )


def _reserve_ids(connection, meta, count: int) -> list[int]:
    table = meta.db_table
    column = meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                "FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        quote = connection.ops.quote_name
        cursor.execute(
            f"SELECT max(coalesce((SELECT max({quote(column)}) FROM {quote(table)}), 0), "
            "coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [table],
        )
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def _has_pre_save(field: models.Field) -> bool:
    if isinstance(field, models.FileField):
        return True
    return isinstance(field, models.DateField) and (
        field.auto_now or field.auto_now_add
    )


def _converter(field: models.Field, connection) -> Callable:
    if isinstance(field, _AS_IS):
        return _same
    if field.get_internal_type() == "DateTimeField":
        adapt = connection.ops.adapt_datetimefield_value
        return lambda value: None if value is None else adapt(value)

    def prepare(value, field=field):
        return field.get_db_prep_save(value, connection)

    return prepare


def _same(value):
    return value
