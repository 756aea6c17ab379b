from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "kizuki.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # The regulator-ready reports' panel on the incident's page; views import models,
        # which exist only once the app registry is ready, hence the import here.
        from kizuki.incidents.views import side_panels  # noqa: PLC0415
        from kizuki.reports.regulatory_views import incident_panel  # noqa: PLC0415

        side_panels.add(incident_panel)
