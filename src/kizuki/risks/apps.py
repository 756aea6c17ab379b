from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kizuki.core import periodic


class RisksConfig(AppConfig):
    name = "kizuki.risks"
    label = "risks"
    verbose_name = _("System risks")

    def ready(self) -> None:
        # The reminders import models, which exist only once the app registry is ready:
        # ready() is Django's hook for exactly this, so this is the import inside a function.
        from kizuki.risks import reminders  # noqa: PLC0415

        periodic.register(reminders.send_visit_reminders)
