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


def every_field(model: type[Model]) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


def _in_order(model: type[Model], names: Collection[str]) -> tuple[str, ...]:
    """The fields in the model's order, the order Model.from_db reads values in."""
    return tuple(field.attname for field in model._meta.concrete_fields if field.attname in names)


def columns(model: type[Model], names: Collection[str]) -> str:
    """The SELECT list for these fields (attnames)."""
    fields = {field.attname: field for field in model._meta.concrete_fields}
    ordered = _in_order(model, names)
    return ", ".join(connection.ops.quote_name(fields[name].column) for name in ordered)


def fetch(model: type[M], names: Collection[str], sql: str, params: Sequence[Any]) -> list[M]:
    """Run `sql`, which SELECTs `columns(model, names)`, and read its rows as instances."""
    database = connections[DEFAULT_DB_ALIAS]  # this thread's, not the proxy to it
    names = _in_order(model, names)
    converters = _converters(model, names, database)
    with database.cursor() as cursor:
        cursor.execute(sql, params)
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
def _converters(
    model: type[Model], names: tuple[str, ...], database: BaseDatabaseWrapper
) -> list[Converter]:
    fields = {field.attname: field for field in model._meta.concrete_fields}
    found = []
    for position, name in enumerate(names):
        column = fields[name].get_col(model._meta.db_table)
        convert = database.ops.get_db_converters(column) + column.get_db_converters(database)
        if convert:
            found.append((position, convert, column))
    return found
