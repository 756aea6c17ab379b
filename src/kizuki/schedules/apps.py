from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kizuki.core import periodic


class SchedulesConfig(AppConfig):
    name = "kizuki.schedules"
    label = "schedules"
    verbose_name = _("Schedules")

    def ready(self) -> None:
        # Reminders read models, which exist only once the app registry is ready: ready() is
        # Django's hook for exactly this, so this is the one import inside a function.
        from kizuki.schedules.reminders import send_shift_reminders  # noqa: PLC0415

        periodic.register(send_shift_reminders)
