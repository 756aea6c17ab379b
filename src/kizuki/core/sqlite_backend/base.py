"""Django's SQLite backend, with one change: a transaction takes an exclusive lock on a file
beside the database (`<database>-writer`) before it begins, and drops it when it ends.

SQLite lets one writer in at a time; the others wait in its busy handler, which sleeps 1, 2,
5, 10 … up to 100 ms between looks. A writer that found the database busy so slept on long
after the lock was free, and under a storm of alerts a third of the CPU went idle and the
slowest requests waited 100 ms (docs/paging.md "Measured"). The lock file is asked
again every fraction of a millisecond instead, so the next writer goes in almost as soon as
the last one commits. The wait still ends, as SQLite's did, after the database URL's timeout,
with the same "database is locked" error. Every process that uses this backend takes the lock
for its transactions (web, worker, CLI); a process that dies holding it loses it with its
file descriptors. Statements outside a transaction still wait in SQLite's busy handler."""

import fcntl
import os
import time

from django.db import OperationalError
from django.db.backends.sqlite3 import base

FIRST_PAUSE = 0.00005  # seconds between looks at a held lock, doubling up to LONGEST_PAUSE
LONGEST_PAUSE = 0.001


class DatabaseWrapper(base.DatabaseWrapper):
    writer_lock: int | None = None  # this connection's descriptor of the lock file
    holds_writer_lock = False

    def _start_transaction_under_autocommit(self) -> None:
        self._lock_writers()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private, so not in the stubs
        except BaseException:
            self._unlock_writers()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]  # private, so not in the stubs
        finally:
            self._unlock_writers()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]  # private, so not in the stubs
        finally:
            self._unlock_writers()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]  # private, so not in the stubs
        finally:
            self._unlock_writers()
            if self.writer_lock is not None:
                os.close(self.writer_lock)
                self.writer_lock = None

    def _lock_writers(self) -> None:
        if self.is_in_memory_db():
            return  # one connection's own database: nobody else writes to it
        if self.writer_lock is None:
            path = f"{self.settings_dict['NAME']}-writer"
            self.writer_lock = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        # The URL's `?timeout=`, as SQLite's own wait has it (env.database_from_url).
        deadline = time.monotonic() + float(self.settings_dict["OPTIONS"].get("timeout", 5))
        pause = FIRST_PAUSE
        while True:
            try:
                fcntl.flock(self.writer_lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OperationalError("database is locked") from None
                time.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE)
            else:
                self.holds_writer_lock = True
                return

    def _unlock_writers(self) -> None:
        if self.holds_writer_lock and self.writer_lock is not None:
            fcntl.flock(self.writer_lock, fcntl.LOCK_UN)
        self.holds_writer_lock = False
