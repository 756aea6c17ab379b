"""The base of `kizuki` commands that act for a user: `--as USER` and `--json` on every
subcommand, dispatch to `do_<subcommand>(actor, options)`, domain errors as CommandError."""

import os
from argparse import ArgumentTypeError
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuki.accounts.models import User
from kizuki.accounts.queries import get_user
from kizuki.core.errors import DomainError


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


class ActingCommand(BaseCommand):
    def common_options(self) -> CommandParser:
        """The options every subcommand takes; pass as `parents=[…]` to each subparser."""
        common = CommandParser(add_help=False)
        common.add_argument(
            "--as",
            dest="actor",
            default=os.environ.get("KIZUKI_USER", ""),
            help="act as this user, with their permissions"
            " (default: $KIZUKI_USER, else the system)",
        )
        common.add_argument("--json", action="store_true", help="print JSON for scripts")
        return common

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            actor = get_user(options["actor"]) if options["actor"] else None
            getattr(self, "do_" + options["action"])(actor, options)
        except DomainError as error:
            raise CommandError(error.detail) from error

    def _check(self, check: Callable[..., object], actor: User | None, *args: Any) -> None:
        # Without --as the command runs as the system, like a migration would.
        if actor is not None:
            check(actor, *args)
