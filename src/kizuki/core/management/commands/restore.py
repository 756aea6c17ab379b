"""`kizuki restore FILE`: load a backup into a freshly migrated, empty database, in one
transaction (docs/backup.md). Anything wrong with the file or the database: a message, a
non-zero exit, and the database as it was."""

import json
import sys
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from kizuki.core.backup import NotRestorable, Restored, restore_backup
from kizuki.core.backup_format import BadBackup


class Command(BaseCommand):
    help = (
        "Load a backup written by `kizuki backup` into this database, which must be freshly"
        " migrated (`kizuki migrate`) and empty. FILE - reads standard input."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the backup file, or -")
        parser.add_argument(
            "--json", action="store_true", help="print the rows restored per table as JSON"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name: str = options["file"]
        if name == "-":
            restored = self._restore(sys.stdin.buffer, "standard input")
        else:
            path = Path(name)
            if not path.is_file():
                msg = f"There is no backup file {name}."
                raise CommandError(msg)
            with path.open("rb") as source:
                restored = self._restore(source, name)
        if options["json"]:
            self.stdout.write(
                json.dumps({"created_at": restored.created_at, "counts": restored.counts})
            )
            return
        self.stdout.write(
            f"Restored {sum(restored.counts.values())} rows in {len(restored.counts)} tables"
            f" from {name} (a backup of a {restored.database} database taken at"
            f" {restored.created_at})."
        )

    def _restore(self, source: IO[bytes], name: str) -> Restored:
        try:
            return restore_backup(source)
        except BadBackup as error:
            msg = f"{name} is not a whole Kizuki backup: {error}. Nothing was changed."
            raise CommandError(msg) from error
        except NotRestorable as error:
            msg = f"Cannot restore {name}: {error}. Nothing was changed."
            raise CommandError(msg) from error
        except DatabaseError as error:
            msg = f"The backup's rows do not fit this database: {error}. Nothing was changed."
            raise CommandError(msg) from error
