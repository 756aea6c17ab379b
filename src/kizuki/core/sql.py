"""Hand-written SELECTs read into model instances, for the few statements on hot paths.

Django's raw() works out, for every query, which column is which field and how each value
is converted, and the ORM builds each statement anew; here the statement's SELECT ... FROM and
the reading of its rows are worked out once per model, field list, joins and connection."""

import functools
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import ForeignKey, Model

M = TypeVar("M", bound=Model)
Converter = tuple[int, list[Any], Any]


def marks(values: Collection[object]) -> str:
    """One placeholder per value, for an IN (...) list."""
    return ", ".join(["%s"] * len(values))


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def fetch(
    model: type[M],
    rest: str,
    params: Sequence[Any],
    fields: Collection[str] = (),
    joined: Sequence[str] = (),
) -> list[M]:
    """`SELECT <fields> FROM <model's table> <rest>`, its rows read as instances. `fields`
    are attnames (every field when empty); `rest` carries placeholders, never values.

    `joined` names foreign keys whose rows come with each instance, as select_related does:
    each is LEFT JOINed under its field's name as the table's alias (`"severity"."level"` in
    `rest`), so columns of the model's own table that another table also has need its name."""
    return [found for _key, found in _read(model, rest, params, fields=fields, joined=joined)]


def fetch_by(
    key: str, model: type[M], rest: str, params: Sequence[Any], joined: Sequence[str] = ()
) -> dict[Any, list[M]]:
    """fetch()'s rows grouped by the SQL expression `key` (selected too), in their order."""
    grouped: dict[Any, list[M]] = defaultdict(list)
    for value, found in _read(model, rest, params, key=key, joined=joined):
        grouped[value].append(found)
    return grouped


def remember(instance: Model, relation: str, items: Iterable[Model]) -> None:
    """Let `instance.<relation>.all()` answer `items` without a query, as prefetch_related
    leaves it: every other use of the relation still asks the database."""
    found = getattr(instance, relation).get_queryset()
    found._result_cache = list(items)
    found._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[relation] = found


@dataclass(frozen=True)
class _Part:
    """One model's columns in a statement: where they start, and how to make an instance."""

    model: type[Model]
    names: tuple[str, ...]
    converters: list[Converter]
    start: int
    target: int | None  # a joined part's join column, None when the join found no row

    def instance(self, row: Sequence[Any], database: BaseDatabaseWrapper) -> Model | None:
        values = list(row[self.start : self.start + len(self.names)])
        if self.target is not None and values[self.target] is None:
            return None  # the LEFT JOIN found nothing: a null foreign key
        for position, convert, column in self.converters:
            value = values[position]
            for converter in convert:
                value = converter(value, column, database)
            values[position] = value
        return self.model.from_db(database.alias, self.names, values)


def _read(
    model: type[M],
    rest: str,
    params: Sequence[Any],
    *,
    key: str = "",
    fields: Collection[str] = (),
    joined: Sequence[str] = (),
) -> list[tuple[Any, M]]:
    database = connections[DEFAULT_DB_ALIAS]  # this thread's, not the proxy to it
    select, base, joins = _reading(model, key, frozenset(fields), tuple(joined), database)
    with database.cursor() as cursor:
        cursor.execute(f"{select} {rest}", params)
        rows = cursor.fetchall()
    found = []
    for row in rows:
        instance: Any = base.instance(row, database)
        for field, part in joins:
            field.set_cached_value(instance, part.instance(row, database))
        found.append((row[0] if key else None, instance))
    return found


@functools.lru_cache(maxsize=256)
def _reading(
    model: type[Model],
    key: str,
    wanted: frozenset[str],
    joined: tuple[str, ...],
    database: BaseDatabaseWrapper,
) -> tuple[str, _Part, list[tuple[ForeignKey[Any, Any], _Part]]]:
    """The statement's SELECT ... FROM ... JOIN, the base model's part and each joined one's
    with the foreign key it fills. A part's fields are in its model's order, the order
    Model.from_db reads values in."""
    quote = database.ops.quote_name
    base_table = quote(model._meta.db_table)
    columns = [key] if key else []

    def part(alias: str, part_model: type[Model], names: Collection[str], target: Any) -> _Part:
        fields = [f for f in part_model._meta.concrete_fields if not names or f.attname in names]
        converters = []
        for position, field in enumerate(fields):
            column = field.get_col(part_model._meta.db_table)
            convert = database.ops.get_db_converters(column) + column.get_db_converters(database)
            if convert:
                converters.append((position, convert, column))
        start = len(columns)
        columns.extend(f"{alias}.{quote(field.column)}" for field in fields)
        joined_on = fields.index(target) if target is not None else None
        return _Part(part_model, tuple(f.attname for f in fields), converters, start, joined_on)

    base = part(base_table, model, wanted, None)
    tables = [base_table]
    joins = []
    for name in joined:
        foreign_key = model._meta.get_field(name)
        if not isinstance(foreign_key, ForeignKey):
            raise TypeError(f"{model.__name__}.{name} is not a foreign key")
        related = foreign_key.related_model
        alias = quote(name)
        target = foreign_key.target_field
        tables.append(
            f"LEFT JOIN {quote(related._meta.db_table)} {alias}"  # type: ignore[union-attr]
            f" ON {alias}.{quote(target.column)} = {base_table}.{quote(foreign_key.column)}"
        )
        joins.append((foreign_key, part(alias, related, (), target)))  # type: ignore[arg-type]
    select = f"SELECT {', '.join(columns)} FROM {' '.join(tables)}"  # noqa: S608 - names only
    return select, base, joins
