# ruff: noqa: N999 - the file name is the command name, `kizuki mail-in`; Django imports it
"""`kizuki mail-in`: the command in mail_in.py under the name the MTA docs use. Django names
a command after its file and imports it by that name (importlib takes the hyphen)."""

from kizuki.mailin.management.commands.mail_in import Command

__all__ = ["Command"]
