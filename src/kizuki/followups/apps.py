from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kizuki.core import periodic


class FollowupsConfig(AppConfig):
    name = "kizuki.followups"
    label = "followups"
    verbose_name = _("Follow-ups")

    def ready(self) -> None:
        # The actions import models, which exist only once the app registry is ready: ready()
        # is Django's hook for exactly this, so these are the imports inside a function.
        from kizuki.followups import indexing, reminders, subscriptions, sync  # noqa: PLC0415
        from kizuki.followups.views import incident_panel, retro_section_link  # noqa: PLC0415
        from kizuki.incidents.views import main_panels  # noqa: PLC0415
        from kizuki.knowledge.actions import register_source  # noqa: PLC0415
        from kizuki.retros.views import section_panels  # noqa: PLC0415

        subscriptions.register()
        main_panels.add(incident_panel)
        section_panels.add(retro_section_link)
        periodic.register(reminders.send_reminders)
        periodic.register(sync.pull_states)
        register_source(indexing.KIND, indexing.reindex_all)
