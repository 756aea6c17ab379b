"""Django's SQLite backend, with writers queued on a lock file instead of SQLite's busy wait."""
