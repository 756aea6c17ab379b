"""Hand-written SELECTs read into model instances, for the few statements on hot paths.

Django's raw() works out, for every query, which column is which field and how each value
is converted; here that is worked out once per model, field list and connection."""

import functools
from collections.abc import Collection, Sequence
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

M = TypeVar("M", bound=Model)
Converter = tuple[int, list[Any], Any]


def marks(values: Collection[object]) -> str:
    """One placeholder per value, for an IN (...) list."""
    return ", ".join(["%s"] * len(values))


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def fetch(
    model: type[M], rest: str, params: Sequence[Any], fields: Collection[str] = ()
) -> list[M]:
    """`SELECT <fields> FROM <model's table> <rest>`, its rows read as instances. `fields`
    are attnames (every field when empty); `rest` carries placeholders, never values."""
    database = connections[DEFAULT_DB_ALIAS]  # this thread's, not the proxy to it
    names, select, converters = _reading(model, frozenset(fields), database)
    with database.cursor() as cursor:
        cursor.execute(f"{select} {rest}", params)
        rows = cursor.fetchall()
    found = []
    for row in rows:
        values = list(row)
        for position, convert, column in converters:
            value = values[position]
            for converter in convert:
                value = converter(value, column, database)
            values[position] = value
        found.append(model.from_db(database.alias, names, values))
    return found


@functools.lru_cache(maxsize=256)
def _reading(
    model: type[Model], wanted: frozenset[str], database: BaseDatabaseWrapper
) -> tuple[tuple[str, ...], str, list[Converter]]:
    """The fields in the model's order (the order Model.from_db reads values in), the
    statement's SELECT ... FROM, and the converters of the columns that need one."""
    fields = [
        field for field in model._meta.concrete_fields if not wanted or field.attname in wanted
    ]
    quote = database.ops.quote_name
    listed = ", ".join(quote(field.column) for field in fields)
    select = f"SELECT {listed} FROM {quote(model._meta.db_table)}"  # noqa: S608 - names only
    converters = []
    for position, field in enumerate(fields):
        column = field.get_col(model._meta.db_table)
        convert = database.ops.get_db_converters(column) + column.get_db_converters(database)
        if convert:
            converters.append((position, convert, column))
    return tuple(field.attname for field in fields), select, converters
