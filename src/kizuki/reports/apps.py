from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "kizuki.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # The regulator-ready reports' panel on the incident's page, the dashboard's panels
        # and the /metrics gauges; views import models, which exist only once the app
        # registry is ready, hence the imports here.
        from kizuki.core import metrics  # noqa: PLC0415
        from kizuki.incidents.views import dashboard_panels, side_panels  # noqa: PLC0415
        from kizuki.reports import dashboard_views, gauges  # noqa: PLC0415
        from kizuki.reports.regulatory_views import incident_panel  # noqa: PLC0415

        side_panels.add(incident_panel)
        dashboard_panels.add(dashboard_views.trend_panel)
        dashboard_panels.add(dashboard_views.followups_panel)
        dashboard_panels.add(dashboard_views.risks_panel)
        metrics.register(gauges.ResponseTimes())
