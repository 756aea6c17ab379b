from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from kizuki.core.queue_statistics import tune_autovacuum


def forwards(_apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    tune_autovacuum(schema_editor)


class Migration(migrations.Migration):
    """PostgreSQL only: autovacuum looks at the job queue's table after 1 % of it changed."""

    dependencies = [
        ("core", "0002_worker_heartbeat"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
