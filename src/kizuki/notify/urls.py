from django.urls import path

from kizuki.notify import views

urlpatterns = [
    path("account/notifications/", views.notification_rules, name="notification-rules"),
    path(
        "account/notifications/<int:rule_id>/remove/",
        views.remove_rule,
        name="notification-remove",
    ),
    path("account/notifications/<int:rule_id>/up/", views.move_rule_up, name="notification-up"),
]
