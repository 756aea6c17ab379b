from django.urls import path

from kizuki.schedules import views

urlpatterns = [
    path("schedules/", views.schedule_list, name="schedule-list"),
    path("schedules/new/", views.schedule_new, name="schedule-new"),
    path("schedules/calendar/rotate/", views.rotate_my_calendar, name="calendar-rotate-mine"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
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
    path(
        "schedules/<int:schedule_id>/calendar/rotate/",
        views.rotate_schedule_calendar,
        name="schedule-calendar-rotate",
    ),
]
