from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kizuki.core"
    label = "core"
    verbose_name = _("System")

    def ready(self) -> None:
        from kizuki.core import queue_statistics  # noqa: PLC0415 - models load only after setup

        post_migrate.connect(queue_statistics.analyse_after_migrate, sender=self)
