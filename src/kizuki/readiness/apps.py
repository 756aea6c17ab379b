from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadinessConfig(AppConfig):
    name = "kizuki.readiness"
    label = "readiness"
    verbose_name = _("Readiness")

    def ready(self) -> None:
        # The actions import models, which exist only once the app registry is ready: ready()
        # is Django's hook for exactly this, so these are the imports inside a function.
        from kizuki.core import periodic  # noqa: PLC0415
        from kizuki.incidents import timeline_text as incident_texts  # noqa: PLC0415
        from kizuki.incidents.views import side_panels  # noqa: PLC0415
        from kizuki.readiness import care_actions, timeline_text  # noqa: PLC0415
        from kizuki.readiness.care_views import incident_panel  # noqa: PLC0415

        incident_texts.register_text(care_actions.BREAK_REMINDER, timeline_text.break_reminder)
        incident_texts.register_text(care_actions.WORK_ADDED, timeline_text.added)
        incident_texts.register_text(care_actions.WORK_TODAY, timeline_text.today)
        incident_texts.register_text(care_actions.WORK_DONE, timeline_text.done)
        incident_texts.register_text(care_actions.WORK_MOVED, timeline_text.moved)
        # Long incidents remind their responders to take a break, from the worker.
        periodic.register(care_actions.remind_long_incidents)
        # Break reminders, the hand-off proposal and today's must-dos, on the incident's page.
        side_panels.add(incident_panel)
