import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuki.core import sealed_columns, sealing_actions


class Command(BaseCommand):
    help = (
        "Secrets stored sealed (Apprise URLs, tracker tokens): `secrets generate-key` prints a"
        " new key for KIZUKI_ENCRYPTION_KEYS; `secrets rotate` seals every value again with"
        " the newest key; `secrets check` lists values no configured key opens (exit 1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("generate-key", help="print a new random key")
        sub.add_parser("rotate", help="seal every value again with the newest key")
        sub.add_parser("check", help="list values no configured key opens")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "generate-key":
            self.stdout.write(secrets.token_urlsafe(32))
            return
        if action == "rotate":
            for outcome in sealing_actions.rotate():
                self.stdout.write(
                    f"{outcome.column}: {outcome.resealed} sealed again,"
                    f" {outcome.unreadable} unreadable"
                )
            return
        found = sealed_columns.unreadable()
        for outcome in found:
            self.stdout.write(f"{outcome.column}: {outcome.unreadable} unreadable")
        if any(outcome.unreadable for outcome in found):
            msg = (
                "Some sealed values cannot be opened with KIZUKI_ENCRYPTION_KEYS: put back the"
                " key that sealed them, or enter those secrets again."
            )
            raise CommandError(msg)
