from django.urls import path

from kizuki.alerts import views

urlpatterns = [
    path("alerts/", views.group_list, name="alert-group-list"),
    path("alerts/<int:group_id>/", views.group_detail, name="alert-group-detail"),
    path("alerts/<int:group_id>/acknowledge/", views.acknowledge, name="alert-group-acknowledge"),
    path("alerts/<int:group_id>/resolve/", views.resolve, name="alert-group-resolve"),
    path("alerts/<int:group_id>/silence/", views.silence, name="alert-group-silence"),
    path("alerts/ack/<str:token>/", views.ack_link, name="alert-ack"),
    path(
        "services/<int:service_id>/integrations/",
        views.add_integration,
        name="service-add-integration",
    ),
    path("services/<int:service_id>/routing-rules/", views.add_rule, name="service-add-rule"),
    path("sos/", views.sos, name="sos"),
    path("sos/thanks/<int:group_id>/", views.sos_thanks, name="sos-thanks"),
]
