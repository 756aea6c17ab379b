from django.urls import path

from kizuki.oncall import schedule_views as views

urlpatterns = [
    path("schedules/", views.schedule_list, name="schedule-list"),
    path("schedules/new/", views.schedule_new, name="schedule-new"),
    path("schedules/<int:schedule_id>/", views.schedule_detail, name="schedule-detail"),
    path(
        "schedules/<int:schedule_id>/overrides/",
        views.add_override,
        name="schedule-add-override",
    ),
    path(
        "schedules/<int:schedule_id>/overrides/<int:override_id>/remove/",
        views.remove_override,
        name="schedule-remove-override",
    ),
]
