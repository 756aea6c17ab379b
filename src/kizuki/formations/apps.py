from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormationsConfig(AppConfig):
    name = "kizuki.formations"
    label = "formations"
    verbose_name = _("Formations and checklists")

    def ready(self) -> None:
        # The actions import models, which exist only once the app registry is ready: ready()
        # is Django's hook for exactly this, so these are the imports inside a function.
        from kizuki.formations import actions, subscriptions, timeline_text  # noqa: PLC0415
        from kizuki.formations.views import incident_panel  # noqa: PLC0415
        from kizuki.incidents import timeline_text as incident_texts  # noqa: PLC0415
        from kizuki.incidents.views import side_panels  # noqa: PLC0415

        subscriptions.register()
        incident_texts.register_text(actions.CHECKLIST_POSTED, timeline_text.checklist_posted)
        incident_texts.register_text(actions.ITEM_TICKED, timeline_text.item_ticked)
        incident_texts.register_text(actions.ITEM_UNTICKED, timeline_text.item_unticked)
        # The positions and checklists, on the incident's page.
        side_panels.add(incident_panel)
