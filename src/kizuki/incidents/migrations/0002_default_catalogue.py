"""Seed the default severities (SEV1–SEV5) and the incident role catalogue."""

from typing import Any

from django.db import migrations

from kizuki.incidents.defaults import ROLES, SEVERITIES


def seed(apps: Any, schema_editor: Any) -> None:
    severity = apps.get_model("incidents", "Severity")
    role = apps.get_model("incidents", "RoleType")
    for row in SEVERITIES:
        severity.objects.get_or_create(level=row["level"], defaults=row)
    for row in ROLES:
        role.objects.get_or_create(slug=row["slug"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
