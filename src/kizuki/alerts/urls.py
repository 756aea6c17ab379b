from django.urls import path

from kizuki.alerts import setup_views, views

INTEGRATION = "services/<int:service_id>/integrations/<int:integration_id>/"
RULE = "services/<int:service_id>/routing-rules/<int:rule_id>/"

urlpatterns = [
    path("alerts/", views.group_list, name="alert-group-list"),
    path("alerts/<int:group_id>/", views.group_detail, name="alert-group-detail"),
    path("alerts/<int:group_id>/acknowledge/", views.acknowledge, name="alert-group-acknowledge"),
    path("alerts/<int:group_id>/resolve/", views.resolve, name="alert-group-resolve"),
    path("alerts/<int:group_id>/silence/", views.silence, name="alert-group-silence"),
    path("alerts/ack/<str:token>/", views.ack_link, name="alert-ack"),
    path(
        "services/<int:service_id>/integrations/",
        setup_views.add_integration,
        name="service-add-integration",
    ),
    path(
        f"{INTEGRATION}deactivate/",
        setup_views.deactivate_integration,
        name="integration-deactivate",
    ),
    path(
        f"{INTEGRATION}reactivate/",
        setup_views.reactivate_integration,
        name="integration-reactivate",
    ),
    path(f"{INTEGRATION}new-url/", setup_views.rotate_integration, name="integration-rotate"),
    path(f"{INTEGRATION}test-alert/", setup_views.send_test_alert, name="integration-test"),
    path("services/<int:service_id>/routing-rules/", setup_views.add_rule, name="service-add-rule"),
    path(RULE, setup_views.edit_rule, name="rule-edit"),
    path(f"{RULE}delete/", setup_views.delete_rule, name="rule-delete"),
    path("sos/", views.sos, name="sos"),
    path("sos/thanks/<int:group_id>/", views.sos_thanks, name="sos-thanks"),
]
