from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kizuki.core import periodic


class RetrosConfig(AppConfig):
    name = "kizuki.retros"
    label = "retros"
    verbose_name = _("Retrospectives")

    def ready(self) -> None:
        # The actions import models, which exist only once the app registry is ready: ready()
        # is Django's hook for exactly this, so this is the one import inside a function.
        from kizuki.knowledge.actions import register_source  # noqa: PLC0415
        from kizuki.retros import indexing, reminders, subscriptions  # noqa: PLC0415

        subscriptions.register()
        register_source(indexing.KIND, indexing.reindex_all)
        # The retrospective's panel on the incident's page (retros-output).
        from kizuki.incidents.views import side_panels  # noqa: PLC0415
        from kizuki.retros.views import incident_panel  # noqa: PLC0415

        side_panels.add(incident_panel)
        periodic.register(reminders.send_overdue_reminders)
