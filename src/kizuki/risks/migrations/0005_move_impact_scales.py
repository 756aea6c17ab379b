"""The impact scales moved down to incidents (incidents.ImpactScale), so incidents can carry
the score too. The labels admins gave here are carried over before the table goes."""

from typing import Any

from django.db import migrations


def carry_labels_over(apps: Any, schema_editor: Any) -> None:
    moved = apps.get_model("incidents", "ImpactScale")
    for step in apps.get_model("risks", "ImpactScale").objects.all():
        moved.objects.update_or_create(
            axis=step.axis,
            value=step.value,
            defaults={"label_en": step.label_en, "label_ja": step.label_ja},
        )


def bring_labels_back(apps: Any, schema_editor: Any) -> None:
    here = apps.get_model("risks", "ImpactScale")
    for step in apps.get_model("incidents", "ImpactScale").objects.all():
        here.objects.update_or_create(
            axis=step.axis,
            value=step.value,
            defaults={"label_en": step.label_en, "label_ja": step.label_ja},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("risks", "0004_risk_links"),
        ("incidents", "0005_impact_scoring"),
    ]

    operations = [
        migrations.RunPython(carry_labels_over, bring_labels_back),
        migrations.DeleteModel(name="ImpactScale"),
    ]
