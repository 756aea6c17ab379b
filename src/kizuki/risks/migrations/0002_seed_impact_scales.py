"""The default impact scales (dinii's, in general words); admins rename them afterwards."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

DEFAULTS = [
    ("scope", 1, "A few sites", "数拠点"),
    ("scope", 2, "Under half of the sites", "半数未満の拠点"),
    ("scope", 3, "Half of the sites or more", "半数以上の拠点"),
    ("effect", 1, "Only work outside the core is affected", "中核以外の業務のみに影響"),
    ("effect", 3, "Core work impaired but workable", "中核業務に支障（代替手段あり）"),
    ("effect", 5, "Core work impossible", "中核業務の遂行が困難"),
]


def seed(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    scale = apps.get_model("risks", "ImpactScale")
    for axis, value, label_en, label_ja in DEFAULTS:
        scale.objects.get_or_create(
            axis=axis, value=value, defaults={"label_en": label_en, "label_ja": label_ja}
        )


def unseed(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("risks", "ImpactScale").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("risks", "0001_risk_records")]

    operations = [migrations.RunPython(seed, unseed)]
