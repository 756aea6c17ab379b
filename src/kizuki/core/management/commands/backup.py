"""`kizuki backup --output FILE`: the whole database in one compressed file (docs/backup.md).

The file appears only when it is whole: it is written beside FILE under a temporary name
and renamed at the end, so a failed backup never leaves a truncated FILE."""

import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from kizuki.core.backup import write_backup


class Command(BaseCommand):
    help = (
        "Write every table to a gzip-compressed backup file, read in one consistent snapshot"
        " while Kizuki keeps running. `--output -` writes to standard output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", required=True, help="the file to write, or -")

    def handle(self, *args: Any, **options: Any) -> None:
        output: str = options["output"]
        try:
            if output == "-":
                counts = write_backup(sys.stdout.buffer)
                sys.stdout.buffer.flush()
            else:
                counts = self._to_file(Path(output))
        except DatabaseError as error:
            msg = f"The backup failed reading the database: {error}"
            raise CommandError(msg) from error
        summary = f"Backup of {sum(counts.values())} rows in {len(counts)} tables"
        if output == "-":
            self.stderr.write(f"{summary} written to standard output.")
        else:
            self.stdout.write(f"{summary} written to {output}.")

    def _to_file(self, path: Path) -> dict[str, int]:
        if path.is_dir():
            msg = f"{path} is a directory; give a file name"
            raise CommandError(msg)
        if not path.parent.is_dir():
            msg = f"There is no directory {path.parent} to write the backup in."
            raise CommandError(msg)
        # mkstemp creates the file readable by its owner only: a backup holds password
        # hashes and integration secrets.
        handle, partial = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".partial"
        )
        try:
            with os.fdopen(handle, "wb") as out:
                counts = write_backup(out)
                out.flush()
                os.fsync(out.fileno())
            Path(partial).replace(path)
        except BaseException:
            with contextlib.suppress(OSError):
                Path(partial).unlink()
            raise
        return counts
