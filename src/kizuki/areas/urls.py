from django.urls import path

from kizuki.areas import views

urlpatterns = [
    path("settings/areas/", views.settings_page, name="areas-settings"),
    path("settings/areas/new/", views.create_area, name="areas-create"),
    path("settings/areas/<int:area_id>/", views.edit_area, name="areas-edit"),
    path("settings/areas/absences/", views.add_absence, name="areas-absence-add"),
    path(
        "settings/areas/absences/<int:absence_id>/remove/",
        views.remove_absence,
        name="areas-absence-remove",
    ),
    path(
        "incidents/<str:ref>/areas/<int:area_id>/lead/", views.change_lead, name="areas-lead-change"
    ),
]
