from django.urls import path

from kizuki.catalog import views

urlpatterns = [
    path("services/", views.service_list, name="service-list"),
    path("services/<int:service_id>/", views.service_detail, name="service-detail"),
    path(
        "services/<int:service_id>/escalation-policy/",
        views.set_policy,
        name="service-set-policy",
    ),
]
