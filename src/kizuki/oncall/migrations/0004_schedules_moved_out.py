# Schedules moved to the schedules app, which took over their tables as they are (schedules
# 0001). Only Django's state changes here: no table is dropped, no row touched.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("oncall", "0003_calendar_feed"),
        ("schedules", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="steptarget",
                    name="schedule",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        to="schedules.schedule",
                    ),
                ),
                migrations.DeleteModel(name="ShiftReminder"),
                migrations.DeleteModel(name="CalendarFeed"),
                migrations.DeleteModel(name="Override"),
                migrations.DeleteModel(name="LayerMember"),
                migrations.DeleteModel(name="Layer"),
                migrations.DeleteModel(name="Schedule"),
            ],
            database_operations=[],
        ),
    ]
