"""The backup file: gzip-compressed JSON, one record per line (docs/backup.md).

    {"format": "kizuki-backup", "version": 1, "created_at": ..., "database": "sqlite",
     "migrations": [["accounts", "0001_initial"], ...]}          (one line)
    {"table": "incidents_incident", "model": "incidents.incident", "columns": [["id", "int"], ...]}
    [1, "2026-12-01T10:00:00+00:00", ...]          one array per row, in the columns' order
    {"end": "incidents_incident", "rows": 8}
    ...                                             every table, each once
    {"end_of_backup": true, "tables": 107, "rows": 1234}

A value is stored by its column's kind (named in the table record), not by a marker inside
the value, so JSON columns keep whatever keys they hold. The last line proves the file is
whole: a file cut short anywhere is refused."""

import base64
import datetime
import decimal
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import models

FORMAT = "kizuki-backup"
VERSION = 1


class BadBackup(Exception):
    """The file is not a whole Kizuki backup of a version this code reads."""


def _duration(value: datetime.timedelta) -> int:
    return value // datetime.timedelta(microseconds=1)


_ENCODE: dict[str, Callable[[Any], Any]] = {
    "datetime": lambda value: value.isoformat(),
    "date": lambda value: value.isoformat(),
    "time": lambda value: value.isoformat(),
    "decimal": str,
    "uuid": str,
    "duration": _duration,
    "binary": lambda value: base64.b64encode(bytes(value)).decode("ascii"),
}
_DECODE: dict[str, Callable[[Any], Any]] = {
    "datetime": datetime.datetime.fromisoformat,
    "date": datetime.date.fromisoformat,
    "time": datetime.time.fromisoformat,
    "decimal": decimal.Decimal,
    "uuid": uuid.UUID,
    "duration": lambda value: datetime.timedelta(microseconds=value),
    "binary": base64.b64decode,
}
_KINDS = {
    "DateTimeField": "datetime",
    "DateField": "date",
    "TimeField": "time",
    "DecimalField": "decimal",
    "UUIDField": "uuid",
    "DurationField": "duration",
    "BinaryField": "binary",
}


def kind_of(field: models.Field[Any, Any]) -> str:
    """How a column's values are written: a relation is stored as the key it points at."""
    target: models.Field[Any, Any] = field
    while target.is_relation and target.target_field is not None:  # type: ignore[attr-defined]  # relations have target_field
        target = target.target_field  # type: ignore[attr-defined]
    return _KINDS.get(target.get_internal_type(), "plain")


def encoder(kinds: list[str]) -> Callable[[tuple[Any, ...]], list[Any]]:
    steps = [_ENCODE.get(kind) for kind in kinds]

    def encode(row: tuple[Any, ...]) -> list[Any]:
        return [
            value if step is None or value is None else step(value)
            for step, value in zip(steps, row, strict=True)
        ]

    return encode


def decoder(kinds: list[str]) -> Callable[[list[Any]], list[Any]]:
    steps = [_DECODE.get(kind) for kind in kinds]

    def decode(row: list[Any]) -> list[Any]:
        if len(row) != len(steps):
            msg = f"a row has {len(row)} values for {len(steps)} columns"
            raise BadBackup(msg)
        return [
            value if step is None or value is None else step(value)
            for step, value in zip(steps, row, strict=True)
        ]

    return decode


def line(record: object) -> bytes:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def records(stream: Iterable[bytes]) -> Iterator[Any]:
    """The file's records, one per line; anything unreadable is a BadBackup."""
    number = 0
    try:
        for raw in stream:
            number += 1
            yield json.loads(raw)
    except (OSError, EOFError, ValueError) as error:
        # gzip raises BadGzipFile (an OSError) or EOFError when cut short; JSON a ValueError.
        msg = f"unreadable at line {number + 1}: {error}"
        raise BadBackup(msg) from error


def check_header(header: Any) -> dict[str, Any]:
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        msg = "it does not start with a Kizuki backup header"
        raise BadBackup(msg)
    if header.get("version") != VERSION:
        msg = f"it is format version {header.get('version')}; this Kizuki reads version {VERSION}"
        raise BadBackup(msg)
    return header
