from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "kizuki.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        # Subscribers import models, which exist only once the app registry is ready: ready()
        # is Django's hook for exactly this, so this is the one import inside a function.
        from kizuki.incidents import subscriptions  # noqa: PLC0415

        subscriptions.register()
