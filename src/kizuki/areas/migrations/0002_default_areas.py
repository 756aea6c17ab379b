"""Seed the default response areas (customers — guests, customers — partners, system, bridge),
without owners."""

from typing import Any

from django.db import migrations

from kizuki.areas.defaults import AREAS


def seed(apps: Any, schema_editor: Any) -> None:
    area = apps.get_model("areas", "ResponseArea")
    for row in AREAS:
        area.objects.get_or_create(slug=row["slug"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [("areas", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
