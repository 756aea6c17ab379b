# ruff: noqa: N999 - the file name is the command name, `kizuki slack-socket`; Django imports it
"""`kizuki slack-socket`: the command in slack_socket.py under its documented name. Django
names a command after its file and imports it by that name (importlib takes the hyphen)."""

from kizuki.chat.management.commands.slack_socket import Command

__all__ = ["Command"]
