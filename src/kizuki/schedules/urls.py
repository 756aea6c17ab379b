from django.urls import path

from kizuki.schedules import calendar_views, views

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
    path("schedules/<int:schedule_id>/delete/", views.schedule_delete, name="schedule-delete"),
    path("schedules/<int:schedule_id>/layers/new/", views.layer_new, name="schedule-layer-new"),
    path(
        "schedules/<int:schedule_id>/layers/<int:layer_id>/",
        views.layer_edit,
        name="schedule-layer-edit",
    ),
    path(
        "schedules/<int:schedule_id>/layers/<int:layer_id>/remove/",
        views.layer_remove,
        name="schedule-layer-remove",
    ),
    path(
        "schedules/<int:schedule_id>/shifts/",
        calendar_views.schedule_calendar,
        name="schedule-calendar",
    ),
    path(
        "schedules/<int:schedule_id>/shifts/take/",
        calendar_views.take_shift,
        name="schedule-take-shift",
    ),
    path(
        "schedules/<int:schedule_id>/shifts/swap/",
        calendar_views.swap_shift,
        name="schedule-swap-shift",
    ),
    path(
        "schedules/<int:schedule_id>/calendar/rotate/",
        views.rotate_schedule_calendar,
        name="schedule-calendar-rotate",
    ),
]
