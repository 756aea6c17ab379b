"""Seed the default formation (every severity picks it) and the commander's checklists."""

from typing import Any

from django.db import migrations

from kizuki.formations.defaults import CHECKLISTS, DEFAULT_FORMATION, POSITIONS


def seed(apps: Any, schema_editor: Any) -> None:
    formation_model = apps.get_model("formations", "Formation")
    position_model = apps.get_model("formations", "Position")
    mapping_model = apps.get_model("formations", "SeverityFormation")
    template_model = apps.get_model("formations", "ChecklistTemplate")
    item_model = apps.get_model("formations", "ChecklistTemplateItem")
    role_model = apps.get_model("incidents", "RoleType")
    severity_model = apps.get_model("incidents", "Severity")

    slug = DEFAULT_FORMATION["slug"]
    formation, created = formation_model.objects.get_or_create(
        slug=slug, defaults={**DEFAULT_FORMATION, "is_default": True}
    )
    if created:
        for order, (role_slug, name_ja, name_en, duties_ja, duties_en) in enumerate(POSITIONS, 1):
            role = role_model.objects.filter(slug=role_slug).first()
            if role is None:
                continue  # an installation that removed the role goes without the position
            position_model.objects.create(
                formation=formation,
                role=role,
                order=order,
                name_ja=name_ja,
                name_en=name_en,
                description_ja=duties_ja,
                description_en=duties_en,
            )
        for severity in severity_model.objects.all():
            mapping_model.objects.get_or_create(
                severity=severity, defaults={"formation": formation}
            )

    for row in CHECKLISTS:
        fields = {k: v for k, v in row.items() if k not in {"items", "levels", "role", "slug"}}
        fields["role"] = role_model.objects.filter(slug=row["role"]).first()
        template, created = template_model.objects.get_or_create(slug=row["slug"], defaults=fields)
        if not created:
            continue
        template.severities.set(severity_model.objects.filter(level__in=row["levels"]))
        for order, (text_ja, text_en) in enumerate(row["items"], 1):
            item_model.objects.create(
                template=template, order=order, text_ja=text_ja, text_en=text_en
            )


class Migration(migrations.Migration):
    dependencies = [("formations", "0001_initial"), ("incidents", "0002_default_catalogue")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
