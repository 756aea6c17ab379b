from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(fields=["status", "due_date"], name="followup_status_due"),
        ),
    ]
