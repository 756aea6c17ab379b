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
        from kizuki.followups.views import detail_panels  # noqa: PLC0415
        from kizuki.knowledge.actions import register_source  # noqa: PLC0415
        from kizuki.retros.views import side_panels  # noqa: PLC0415
        from kizuki.risks import indexing, link_views, reminders, subscriptions  # noqa: PLC0415

        periodic.register(reminders.send_visit_reminders)
        subscriptions.register()
        detail_panels.add(link_views.followup_panel)
        side_panels.add(link_views.retro_panel)
        register_source(indexing.KIND, indexing.reindex_all)
