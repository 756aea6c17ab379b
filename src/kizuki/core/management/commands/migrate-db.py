# ruff: noqa: N999 - the file name is the command name, `kizuki migrate-db`; Django imports it
"""`kizuki migrate-db`: the command in migrate_db.py under its documented name. Django
names a command after its file and imports it by that name (importlib takes the hyphen)."""

from kizuki.core.management.commands.migrate_db import Command

__all__ = ["Command"]
