from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "kizuki.areas"
    label = "areas"
    verbose_name = _("Response areas")

    def ready(self) -> None:
        # The actions import models, which exist only once the app registry is ready: ready()
        # is Django's hook for exactly this, so this is the one import inside a function.
        from kizuki.areas import actions, queries, subscriptions, timeline_text  # noqa: PLC0415
        from kizuki.areas.views import incident_panel  # noqa: PLC0415
        from kizuki.incidents import mobilisation  # noqa: PLC0415
        from kizuki.incidents import timeline_text as incident_texts  # noqa: PLC0415
        from kizuki.incidents.views import side_panels  # noqa: PLC0415

        subscriptions.register()
        incident_texts.register_text(actions.PROPOSED, timeline_text.proposed)
        incident_texts.register_text(actions.CHANGED, timeline_text.changed)
        # The key people paged on a big declaration include the area leads and deputies.
        mobilisation.add_key_people_source(queries.key_people_for)
        # Who leads each area, on the incident's page.
        side_panels.add(incident_panel)
