from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kizuki.core import periodic


class AlertsConfig(AppConfig):
    name = "kizuki.alerts"
    label = "alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        # The actions import models, which exist only once the app registry is ready: ready()
        # is Django's hook for exactly this, so this is the one import inside a function.
        from kizuki.alerts import actions, setup_views, subscriptions, views  # noqa: PLC0415
        from kizuki.catalog.views import service_panels  # noqa: PLC0415
        from kizuki.incidents.views import dashboard_panels  # noqa: PLC0415

        subscriptions.register()
        service_panels.add(setup_views.service_panel)
        dashboard_panels.add(views.dashboard_panel)
        periodic.register(actions.check_heartbeats)
        periodic.register(actions.end_silences)
