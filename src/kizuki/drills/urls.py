"""Drill scenarios run through the real flow, and test pages."""

from django.urls import path

from kizuki.drills import views

urlpatterns = [
    path("drills/", views.drills_page, name="drills"),
    path("drills/scenarios/<int:scenario_id>/start/", views.start_drill, name="drills-start"),
    path("drills/test-pages/", views.send_test_page, name="drills-test-page-send"),
    path(
        "drills/test-pages/<int:test_page_id>/acknowledge/",
        views.acknowledge,
        name="drills-test-page-acknowledge",
    ),
    path("drills/test-pages/ack/<str:token>/", views.acknowledge_link, name="drills-test-page-ack"),
]
