"""The readiness page per team, read-throughs before peak periods, and looking after responders."""

from django.urls import path

from kizuki.readiness import care_views, views

urlpatterns = [
    path("readiness/", views.readiness_page, name="readiness"),
    path(
        "readiness/read-throughs/new/", views.create_read_through, name="readiness-read-through-add"
    ),
    path(
        "readiness/read-throughs/<int:read_through_id>/read/",
        views.mark_read,
        name="readiness-read-through-read",
    ),
    path("readiness/care/", views.set_care, name="readiness-care"),
    path("incidents/<str:ref>/care/handoff/", care_views.hand_over, name="readiness-handoff"),
    path("incidents/<str:ref>/work/", care_views.add_work_item, name="readiness-work-add"),
    path(
        "incidents/<str:ref>/work/<int:item_id>/",
        care_views.change_work_item,
        name="readiness-work-change",
    ),
    path(
        "incidents/<str:ref>/work/move/", care_views.move_to_followups, name="readiness-work-move"
    ),
]
