import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuki.accounts import actions, queries
from kizuki.accounts.commands import positive
from kizuki.accounts.models import ApiToken
from kizuki.core.errors import DomainError


def _when(value: Any) -> str:
    return value.isoformat(timespec="minutes") if value else "-"


class Command(BaseCommand):
    help = (
        "API tokens: `token create USERNAME [--name N] [--expires-in-days D]` prints a new"
        " token (shown only this once); `token list [USERNAME]`; `token revoke ID`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create an API token and print it")
        create.add_argument("username")
        create.add_argument("--name", default="cli")
        create.add_argument(
            "--expires-in-days", type=positive, help="omit for a token that works until revoked"
        )
        listing = sub.add_parser("list", help="list tokens, everyone's or one person's")
        listing.add_argument("username", nargs="?", default="")
        listing.add_argument("--json", action="store_true", help="print JSON for scripts")
        revoke = sub.add_parser("revoke", help="stop a token working")
        revoke.add_argument("id", type=positive)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"])(options)
        except DomainError as error:
            raise CommandError(error.detail) from error

    def _create(self, options: dict[str, Any]) -> None:
        user = queries.get_user(options["username"])
        days = options["expires_in_days"]
        expires_at = actions.expiry_in_days(days) if days else None
        _, secret = actions.create_token(user, options["name"], expires_at=expires_at)
        self.stdout.write(secret)

    def _list(self, options: dict[str, Any]) -> None:
        if options["username"]:
            found = list(queries.tokens_of(queries.get_user(options["username"])))
        else:
            found = queries.all_tokens()
        if options["json"]:
            self.stdout.write(json.dumps([self._fields(token) for token in found], indent=2))
            return
        if not found:
            self.stdout.write("No API tokens.")
            return
        self.stdout.write("ID\tUSER\tPREFIX\tNAME\tSTATE\tCREATED\tLAST USED\tEXPIRES")
        for token in found:
            row = self._fields(token)
            self.stdout.write(
                "\t".join(
                    str(row[key] or "-")
                    for key in (
                        "id", "user", "prefix", "name", "state",
                        "created_at", "last_used_at", "expires_at",
                    )
                )
            )  # fmt: skip

    def _revoke(self, options: dict[str, Any]) -> None:
        token = actions.revoke_token(queries.get_token(options["id"]))
        self.stdout.write(f"Revoked token {token.pk} ({token.prefix}…) of {token.user.username}.")

    @staticmethod
    def _fields(token: ApiToken) -> dict[str, Any]:
        return {
            "id": token.pk,
            "user": token.user.username,
            "prefix": token.prefix,
            "name": token.name,
            "state": queries.token_state(token),
            "created_at": _when(token.created_at),
            "last_used_at": _when(token.last_used_at) if token.last_used_at else None,
            "expires_at": _when(token.expires_at) if token.expires_at else None,
            "revoked_at": _when(token.revoked_at) if token.revoked_at else None,
        }
