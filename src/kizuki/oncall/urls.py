from django.urls import path

from kizuki.notify import views as notify_views
from kizuki.oncall import views

urlpatterns = [
    path("escalation-policies/", views.policy_list, name="policy-list"),
    path("escalation-policies/new/", views.policy_new, name="policy-new"),
    path("escalation-policies/<int:policy_id>/", views.policy_detail, name="policy-detail"),
    path("escalation-policies/<int:policy_id>/delete/", views.policy_delete, name="policy-delete"),
    path("account/notifications/", notify_views.notification_rules, name="notification-rules"),
    path(
        "account/notifications/<int:rule_id>/remove/",
        notify_views.remove_rule,
        name="notification-remove",
    ),
    path(
        "account/notifications/<int:rule_id>/up/",
        notify_views.move_rule_up,
        name="notification-up",
    ),
    path("account/notifications/test/", views.send_test, name="notification-test"),
]
