# ruff: noqa: N999 - the file name is the command name, `kizuki search-index`; Django imports it
"""`kizuki search-index`: the command in search_index.py under its documented name. Django
names a command after its file and imports it by that name (importlib takes the hyphen)."""

from kizuki.knowledge.management.commands.search_index import Command

__all__ = ["Command"]
