"""The default rules (automation.defaults), created disabled: each describes built-in work."""

from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.utils import timezone

RULES: list[dict[str, Any]] = [
    {
        "key": "key-people-out-of-hours",
        "name": "SEV1/SEV2 declared out of business hours: page all key people",
        "event": "declared",
        "severities": [1, 2],
        "business_hours": "out",
        "actions": [{"kind": "page_key_people"}],
    },
    {
        "key": "channel-and-guide",
        "name": "Declared: open the chat channel, post the guide and the commander's start-up",
        "event": "declared",
        "actions": [
            {"kind": "open_channel"},
            {"kind": "post_checklist", "checklist": "commander-start-up"},
        ],
    },
    {
        "key": "retrospective-on-resolve",
        "name": "SEV1, SEV2 or SEV3 resolved: require the retrospective",
        "event": "resolved",
        "severities": [1, 2, 3],
        "actions": [{"kind": "require_retrospective"}],
    },
]


def seed(apps: StateApps, _schema: BaseDatabaseSchemaEditor | None) -> None:
    rule_model = apps.get_model("automation", "Rule")
    now = timezone.now()
    for position, fields in enumerate(RULES, start=1):
        if not rule_model.objects.filter(key=fields["key"]).exists():
            rule_model.objects.create(
                enabled=False, position=position, created_at=now, updated_at=now, **fields
            )


def remove(apps: StateApps, _schema: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("automation", "Rule").objects.filter(key__in=[r["key"] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("automation", "0001_rules")]
    operations = [migrations.RunPython(seed, remove)]
