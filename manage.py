#!/usr/bin/env python
"""Django's management commands, for development (`python manage.py makemigrations`)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuki.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
