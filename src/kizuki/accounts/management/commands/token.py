from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuki.accounts import actions, queries
from kizuki.core.errors import DomainError


class Command(BaseCommand):
    help = "`token create USERNAME`: make an API token and print it (shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create an API token")
        create.add_argument("username")
        create.add_argument("--name", default="cli")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = queries.get_user(options["username"])
        except DomainError as error:
            raise CommandError(error.detail) from error
        _, secret = actions.create_token(user, options["name"])
        self.stdout.write(secret)
