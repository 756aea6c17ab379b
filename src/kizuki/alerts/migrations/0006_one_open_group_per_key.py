from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

OPEN = ["firing", "acknowledged"]


def resolve_older_duplicates(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Before the constraint: where two groups are open for one key (possible before it),
    the newest stays open, as ingestion already preferred it; the others are resolved."""
    group_model = apps.get_model("alerts", "AlertGroup")
    newest: dict[tuple[int, str], int] = {}
    older: list[int] = []
    rows = group_model.objects.filter(status__in=OPEN).order_by("created_at", "id")
    for pk, service_id, key in rows.values_list("pk", "service_id", "group_key"):
        if (service_id, key) in newest:
            older.append(newest[(service_id, key)])
        newest[(service_id, key)] = pk
    if older:
        group_model.objects.filter(pk__in=older).update(
            status="resolved", resolved_at=models.F("created_at")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0005_alert_names"),
    ]

    operations = [
        migrations.RunPython(resolve_older_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="alertgroup",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["firing", "acknowledged"])),
                fields=("service", "group_key"),
                name="one_open_group_per_key",
            ),
        ),
    ]
