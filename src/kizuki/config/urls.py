from django.contrib import admin
from django.urls import include, path

from kizuki.api.router import api
from kizuki.core.metrics import metrics_view
from kizuki.core.views import favicon

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("metrics", metrics_view, name="metrics"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("kizuki.accounts.urls")),
    path("", include("kizuki.incidents.urls")),
    path("", include("kizuki.stakeholders.urls")),
    path("", include("kizuki.notify.urls")),
    path("", include("kizuki.catalog.urls")),
    path("", include("kizuki.alerts.urls")),
    path("", include("kizuki.oncall.urls")),
    path("", include("kizuki.schedules.urls")),
    path("", include("kizuki.chat.urls")),
    path("", include("kizuki.retros.urls")),
    path("", include("kizuki.followups.urls")),
    path("", include("kizuki.risks.urls")),
    path("", include("kizuki.reports.urls")),
    path("", include("kizuki.reports.regulatory_urls")),
    path("", include("kizuki.knowledge.urls")),
    path("", include("kizuki.areas.urls")),
    path("", include("kizuki.formations.urls")),
    path("", include("kizuki.drills.urls")),
    path("", include("kizuki.readiness.urls")),
    path("", include("kizuki.automation.urls")),
]
