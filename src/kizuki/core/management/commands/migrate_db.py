"""`kizuki migrate-db --to postgresql://…` (also `kizuki migrate_db`): move this installation's
database (the embedded SQLite file) to PostgreSQL (docs/backup.md).

The target is set up by `kizuki migrate` and filled by `kizuki restore -` in child processes
that run with KIZUKI_DATABASE_URL set to it, so the copy is exactly a backup and its restore:
the backup streams through a pipe (never the whole database in memory), the restore refuses a
target that holds data and writes all of it in one transaction, then both sides' row counts
are compared per table."""

import contextlib
import json
import os
import subprocess
import sys
from typing import Any
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from kizuki.core.backup import write_backup


def shown(url: str) -> str:
    """The URL without its password, for printing."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[-1]
    return parts._replace(netloc=f"{parts.username}:***@{host}").geturl()


class Command(BaseCommand):
    help = (
        "Copy everything in this database to an empty PostgreSQL database (migrated first),"
        " check every table's row count, and say what to set next. Stop the web server and"
        " the worker first: what they write during the copy stays behind."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", required=True, help="postgresql://user:password@host:port/name")

    def handle(self, *args: Any, **options: Any) -> None:
        url: str = options["to"]
        if urlsplit(url).scheme not in {"postgresql", "postgres"}:
            msg = f"--to must be a postgresql://user:password@host:port/name URL, got {shown(url)}"
            raise CommandError(msg)
        # The target is migrated to this code's migrations: the source must be at them too.
        try:
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as error:
            msg = f"Cannot read this database: {error}"
            raise CommandError(msg) from error
        if pending:
            msg = "This database has migrations to apply: run `kizuki migrate` first."
            raise CommandError(msg)
        env = {**os.environ, "KIZUKI_DATABASE_URL": url}
        kizuki = [sys.executable, "-m", "kizuki.cli"]
        self.stdout.write(f"Migrating {shown(url)} …")
        migrate = [*kizuki, "migrate", "--no-input", "-v", "0"]
        migrated = subprocess.run(migrate, env=env, check=False)  # noqa: S603 - our own command
        if migrated.returncode != 0:
            msg = f"Migrating {shown(url)} failed (above); nothing was copied."
            raise CommandError(msg)
        self.stdout.write("Copying every table …")
        sent, received = self._copy(kizuki, env)
        wrong = sorted(
            name for name in sent.keys() | received.keys() if sent.get(name) != received.get(name)
        )
        if wrong:
            details = ", ".join(
                f"{name} {sent.get(name)}→{received.get(name)}" for name in wrong[:5]
            )
            msg = f"Row counts differ after the copy: {details}."
            raise CommandError(msg)
        # The password is not printed: the operator has it, and terminals keep scrollback.
        password = " (with the password)" if urlsplit(url).password is not None else ""
        self.stdout.write(
            f"Copied {sum(sent.values())} rows in {len(sent)} tables to {shown(url)};"
            " every table's row count matches.\n"
            f"Next: set KIZUKI_DATABASE_URL={shown(url)}{password} for the web server"
            " and the worker, and start them again. This database is left as it was."
        )

    def _copy(
        self, kizuki: list[str], env: dict[str, str]
    ) -> tuple[dict[str, int], dict[str, int]]:
        restore = subprocess.Popen(  # noqa: S603 - our own command
            [*kizuki, "restore", "-", "--json"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert restore.stdin is not None  # PIPE was asked for
        assert restore.stdout is not None
        sent: dict[str, int] = {}
        try:
            # Level 1: the pipe is local, compressing harder would only slow the copy.
            sent = write_backup(restore.stdin, compresslevel=1)
        except BrokenPipeError:
            pass  # the restore stopped early and says why on its own
        except DatabaseError as error:
            restore.kill()
            restore.wait()
            msg = f"Reading this database failed: {error}; nothing was copied."
            raise CommandError(msg) from error
        finally:
            with contextlib.suppress(BrokenPipeError):
                restore.stdin.close()
        output = restore.stdout.read()
        restore.wait()
        if restore.returncode != 0 or not sent:
            msg = "The target did not take the copy (above); nothing was copied."
            raise CommandError(msg)
        return sent, dict(json.loads(output)["counts"])
