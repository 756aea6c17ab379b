from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kizuki.core import backup


class KnowledgeConfig(AppConfig):
    name = "kizuki.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge")

    def ready(self) -> None:
        # The actions import models, which exist only once the app registry is ready: ready()
        # is Django's hook for exactly this, so this is the one import inside a function.
        from kizuki.incidents.views import side_panels  # noqa: PLC0415
        from kizuki.knowledge import actions, sources, subscriptions, views  # noqa: PLC0415

        subscriptions.register()
        backup.after_restore(actions.restore_index)
        actions.register_source("incident", sources.reindex_incidents)
        side_panels.add(views.similar_panel)
