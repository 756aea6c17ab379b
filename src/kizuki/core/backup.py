"""Backup and restore of the whole database (docs/backup.md), on SQLite and PostgreSQL.

A backup reads every table of every installed model inside one snapshot, so rows written
while it runs are either all in it or all out of it. A restore writes a backup into a freshly
migrated, empty database in one transaction: all of it or nothing."""

import gzip
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.db.models.functions import Cast

from kizuki.core import clock
from kizuki.core.backup_format import (
    FORMAT,
    VERSION,
    BadBackup,
    check_header,
    decoder,
    encoder,
    kind_of,
    line,
    records,
)
from kizuki.core.fields import SealedTextField

# Rows a fresh `kizuki migrate` writes: content types and permissions, and the defaults the
# data migrations seed (severities, roles, templates, ...). A database holding rows only in
# these tables is still "empty"; a restore replaces them with the backup's.
FILLED_BY_MIGRATE = frozenset(
    {
        "areas_responsearea",
        "auth_permission",
        "automation_rule",
        "django_content_type",
        "formations_checklisttemplate",
        "formations_checklisttemplate_severities",
        "formations_checklisttemplateitem",
        "formations_formation",
        "formations_position",
        "formations_severityformation",
        "incidents_causecategory",
        "incidents_impactscale",
        "incidents_roletype",
        "incidents_severity",
        "retros_template",
        "retros_templatesection",
    }
)
BATCH = 1000

# Work to do after the rows are in, inside the restore's transaction: indexes kept beside the
# tables (the search index), registered by their apps in AppConfig.ready().
_after_restore: list[Callable[[], object]] = []


def after_restore(hook: Callable[[], object]) -> None:
    if hook not in _after_restore:
        _after_restore.append(hook)


class NotRestorable(Exception):
    """This database cannot take the backup (it holds data, or its migrations differ)."""


Model = type[models.Model]


def backed_up_models() -> list[Model]:
    """Every table of every installed model (many-to-many tables included), by table name."""
    tables: dict[str, Model] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            tables.setdefault(meta.db_table, model)
    return [tables[name] for name in sorted(tables)]


def _fields(model: Model) -> list[models.Field[Any, Any]]:
    return list(model._meta.local_concrete_fields)


def applied_migrations() -> list[list[str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [[str(app), str(name)] for app, name in cursor.fetchall()]


@contextmanager
def _snapshot() -> Iterator[None]:
    """One read-only view of the whole database for the duration."""
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                # DEFERRABLE waits for a snapshot no concurrent transaction can invalidate,
                # then reads without taking locks or ever being cancelled.
                cursor.execute(
                    "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE"
                )
            yield
        return
    # SQLite: atomic() would BEGIN IMMEDIATE (this project's setting) and hold off every
    # writer. A deferred transaction reads one WAL snapshot and lets writers carry on.
    connection.ensure_connection()
    if not connection.get_autocommit():
        msg = "a backup must start outside a transaction"
        raise RuntimeError(msg)
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")


def write_backup(out: IO[bytes], *, compresslevel: int = 6) -> dict[str, int]:
    """Write the whole database to `out` (gzip); returns the rows written per table."""
    counts: dict[str, int] = {}
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=compresslevel, mtime=0) as zipped:
        with _snapshot():
            header = {
                "format": FORMAT,
                "version": VERSION,
                "created_at": clock.now().isoformat(),
                "database": connection.vendor,
                "migrations": applied_migrations(),
            }
            zipped.write(line(header))
            for model in backed_up_models():
                counts[model._meta.db_table] = _write_table(zipped, model)
        zipped.write(
            line({"end_of_backup": True, "tables": len(counts), "rows": sum(counts.values())})
        )
    return counts


def _write_table(out: gzip.GzipFile, model: Model) -> int:
    meta = model._meta
    fields = _fields(model)
    kinds = [kind_of(each) for each in fields]
    columns = [[each.column, kind] for each, kind in zip(fields, kinds, strict=True)]
    out.write(line({"table": meta.db_table, "model": meta.label_lower, "columns": columns}))
    encode = encoder(kinds)
    names, stored = [], {}
    for each in fields:
        if isinstance(each, SealedTextField):
            # As stored, sealed: a backup never holds a secret in plain text.
            stored[f"_stored_{each.attname}"] = Cast(each.attname, output_field=models.TextField())
            names.append(f"_stored_{each.attname}")
        else:
            names.append(each.attname)
    rows = (
        model._base_manager.annotate(**stored)
        .order_by(meta.pk.attname)
        .values_list(*names)
        .iterator(chunk_size=BATCH)
    )
    count = 0
    for row in rows:
        out.write(line(encode(row)))
        count += 1
    out.write(line({"end": meta.db_table, "rows": count}))
    return count


@dataclass
class Restored:
    created_at: str
    database: str
    counts: dict[str, int] = field(default_factory=dict)


def restore_backup(source: IO[bytes]) -> Restored:
    """Load a backup into this (freshly migrated, empty) database, in one transaction.
    Raises BadBackup or NotRestorable, having changed nothing."""
    reader = records(gzip.GzipFile(fileobj=source, mode="rb"))
    header = check_header(next(reader, None))
    _check_migrations(header.get("migrations"))
    tables = {model._meta.db_table: model for model in backed_up_models()}
    restored = Restored(str(header.get("created_at", "")), str(header.get("database", "")))
    with transaction.atomic():
        # Inside the transaction: on SQLite it holds the write lock, so nobody adds rows
        # between the check and the restore.
        _check_empty(tables)
        _clear(tables)
        _load(reader, tables, restored.counts)
        _check_counts(tables, restored.counts)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(tables.values())):
                cursor.execute(statement)
        for hook in _after_restore:
            hook()
    if connection.vendor == "postgresql":
        # Fresh statistics: the planner otherwise treats every restored table as tiny.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return restored


def _check_migrations(theirs: object) -> None:
    try:
        ours = {tuple(each) for each in applied_migrations()}
    except DatabaseError as error:
        msg = "this database is not migrated: run `kizuki migrate` first"
        raise NotRestorable(msg) from error
    if not isinstance(theirs, list) or not all(
        isinstance(each, list) and len(each) == 2 for each in theirs
    ):
        raise BadBackup("its header has no list of migrations")
    backup = {tuple(each) for each in theirs}
    if ours == backup:
        return
    missing = sorted(backup - ours)[:5]
    extra = sorted(ours - backup)[:5]
    parts = []
    if missing:
        parts.append("not applied here: " + ", ".join(f"{a}.{n}" for a, n in missing))
    if extra:
        parts.append("applied here only: " + ", ".join(f"{a}.{n}" for a, n in extra))
    msg = (
        "the backup was taken at another database version (migrations "
        + "; ".join(parts)
        + "); restore it with the Kizuki version that wrote it"
    )
    raise NotRestorable(msg)


def _check_empty(tables: dict[str, Model]) -> None:
    for name, model in tables.items():
        if name not in FILLED_BY_MIGRATE and model._base_manager.exists():
            msg = (
                f"this database already holds data (table {name}); restore only into a"
                " freshly migrated, empty database"
            )
            raise NotRestorable(msg)


def _clear(tables: dict[str, Model]) -> None:
    """Remove what migrate seeded; foreign keys are checked at commit, so order is free."""
    with connection.cursor() as cursor:
        for name in sorted(FILLED_BY_MIGRATE & tables.keys()):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(name)}")  # noqa: S608 - a model's table name


class _Table:
    """The table being loaded: its INSERT, its values' decoding, its pending rows."""

    def __init__(self, model: Model, columns: Any) -> None:
        meta = model._meta
        by_column = {each.column: each for each in _fields(model)}
        if not isinstance(columns, list) or not all(
            isinstance(each, list) and len(each) == 2 for each in columns
        ):
            msg = f"table {meta.db_table} has no column list"
            raise BadBackup(msg)
        names = [str(name) for name, _kind in columns]
        if sorted(names) != sorted(by_column):
            msg = f"table {meta.db_table} has other columns here than in the backup"
            raise NotRestorable(msg)
        self.name = meta.db_table
        self.fields = [by_column[name] for name in names]
        self.decode = decoder([str(kind) for _name, kind in columns])
        quote = connection.ops.quote_name
        self.sql = (
            f"INSERT INTO {quote(self.name)} ({', '.join(quote(n) for n in names)})"  # noqa: S608 - model names
            f" VALUES ({', '.join(['%s'] * len(names))})"
        )
        self.pending: list[list[Any]] = []
        self.count = 0

    def add(self, row: list[Any]) -> None:
        try:
            values = self.decode(row)
        except (TypeError, ValueError) as error:
            msg = f"a row of table {self.name} does not read: {error}"
            raise BadBackup(msg) from error
        self.pending.append(
            [
                each.get_db_prep_save(value, connection)
                for each, value in zip(self.fields, values, strict=True)
            ]
        )
        self.count += 1
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, self.pending)
            self.pending = []


def _load(reader: Iterator[Any], tables: dict[str, Model], counts: dict[str, int]) -> None:
    table: _Table | None = None
    for record in reader:
        if isinstance(record, list):
            if table is None:
                raise BadBackup("a row comes before its table")
            table.add(record)
        elif isinstance(record, dict) and "table" in record and table is None:
            name = record["table"]
            if name not in tables:
                msg = f"the backup has a table this Kizuki does not know: {name}"
                raise NotRestorable(msg)
            if name in counts:
                msg = f"table {name} appears twice"
                raise BadBackup(msg)
            table = _Table(tables[name], record.get("columns"))
        elif isinstance(record, dict) and "end" in record and table is not None:
            table.flush()
            if record.get("end") != table.name or record.get("rows") != table.count:
                msg = f"table {table.name} ends with {record} after {table.count} rows"
                raise BadBackup(msg)
            counts[table.name] = table.count
            table = None
        elif isinstance(record, dict) and record.get("end_of_backup") is True and table is None:
            if record.get("tables") != len(counts) or record.get("rows") != sum(counts.values()):
                raise BadBackup("its totals do not match its tables")
            if next(reader, None) is not None:
                raise BadBackup("there is more after its last line")
            return
        else:
            raise BadBackup(f"unexpected line: {str(record)[:80]}")
    raise BadBackup("it is cut short (its last line is missing)")


def _check_counts(tables: dict[str, Model], counts: dict[str, int]) -> None:
    """Every table holds exactly what the backup had (tables it lacked stay empty)."""
    for name, model in tables.items():
        stored = model._base_manager.count()
        if stored != counts.get(name, 0):
            expected = counts.get(name, 0)
            msg = f"table {name} holds {stored} rows after the restore, the backup {expected}"
            raise BadBackup(msg)
