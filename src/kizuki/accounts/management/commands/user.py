import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuki.accounts import actions, queries
from kizuki.accounts.models import OrgRole
from kizuki.core.errors import DomainError


class Command(BaseCommand):
    help = "Manage users: `user create USERNAME --role ROLE`, `user password USERNAME`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a user")
        create.add_argument("username")
        create.add_argument("--role", required=True, help=f"one of {', '.join(OrgRole.values)}")
        create.add_argument("--password", help="omit for an account that uses API tokens only")
        create.add_argument("--email", default="")
        create.add_argument("--name", default="", help="display name")
        password = sub.add_parser("password", help="set a user's password")
        password.add_argument("username")
        password.add_argument("--password", help="omit to be asked")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "create":
                user = actions.create_user(
                    options["username"],
                    options["role"],
                    password=options["password"],
                    email=options["email"],
                    display_name=options["name"],
                )
                self.stdout.write(f"Created {user.username} ({user.org_role}).")
            else:
                user = queries.get_user(options["username"])
                secret = options["password"] or getpass.getpass("New password: ")
                actions.set_password(user, secret)
                self.stdout.write(f"Password set for {user.username}.")
        except DomainError as error:
            raise CommandError(error.detail) from error
