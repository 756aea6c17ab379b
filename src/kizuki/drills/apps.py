from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DrillsConfig(AppConfig):
    name = "kizuki.drills"
    label = "drills"
    verbose_name = _("Drills")

    def ready(self) -> None:
        # The actions import models, which exist only once the app registry is ready: ready()
        # is Django's hook for exactly this, so these are the imports inside a function.
        from kizuki.core import periodic  # noqa: PLC0415
        from kizuki.drills import actions, subscriptions, timeline_text  # noqa: PLC0415
        from kizuki.incidents import timeline_text as incident_texts  # noqa: PLC0415

        subscriptions.register()
        incident_texts.register_text(actions.INJECTED, timeline_text.injected)
        # The worker injects each drill's timed events when they are due.
        periodic.register(actions.run_due_injections)
