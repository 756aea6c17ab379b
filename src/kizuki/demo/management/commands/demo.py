from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuki.core.errors import DomainError
from kizuki.demo import data


class Command(BaseCommand):
    help = (
        "`demo load`: add demo teams, users, incidents, on-call and alerts (once; later runs"
        " change nothing)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="load the demo data if it is not there yet")

    def handle(self, *args: Any, **options: Any) -> None:
        if data.is_loaded():
            self.stdout.write(
                "Demo data is already loaded. Log in as admin with the password printed the first"
                " time, or set a new one: kizuki user password admin"
            )
            return
        try:
            login = data.load()
        except DomainError as error:
            raise CommandError(error.detail) from error
        self.stdout.write(
            f"Demo data loaded. Log in at {settings.KIZUKI_BASE_URL}/ with\n"
            f"  user:      {login.username}\n"
            f"  password:  {login.password}\n"
            f"  API token: {login.token}\n"
            f"Alertmanager webhook URL: {login.alertmanager_url}\n"
            "(the same password works for sato, tanaka, emma and suzuki; the webhook URL takes\n"
            "Alertmanager's alerts for the checkout service; all are shown only this once)"
        )
