"""The automation settings pages."""

from django.urls import path

from kizuki.automation import views

urlpatterns = [
    path("settings/automation/", views.rule_list, name="automation-rules"),
    path("settings/automation/new/", views.rule_new, name="automation-rule-new"),
    path("settings/automation/<int:rule_id>/", views.rule_edit, name="automation-rule"),
    path(
        "settings/automation/<int:rule_id>/delete/",
        views.rule_delete,
        name="automation-rule-delete",
    ),
]
