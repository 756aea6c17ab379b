"""The `kizuki` command: Django's command runner with Kizuki's settings.

Subcommands live in each app's management/commands (serve, worker, user, token, demo,
incident) next to Django's own (migrate, …), so they share the actions the API uses."""

import os
import sys

from django.core.management import execute_from_command_line


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuki.config.settings")
    execute_from_command_line(["kizuki", *sys.argv[1:]])


if __name__ == "__main__":
    main()
