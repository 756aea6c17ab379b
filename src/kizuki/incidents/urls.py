from django.urls import path

from kizuki.incidents import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("incidents/", views.incident_list, name="incident-list"),
    path("report/", views.report, name="incident-report"),
    path("incidents/<str:ref>/", views.detail, name="incident-detail"),
    path("incidents/<str:ref>/thanks/", views.thanks, name="incident-thanks"),
    path("incidents/<str:ref>/transition/", views.transition, name="incident-transition"),
    path("incidents/<str:ref>/roles/", views.assign_role, name="incident-assign-role"),
    path("incidents/<str:ref>/timeline/", views.add_timeline_entry, name="incident-add-entry"),
    path("incidents/<str:ref>/status/", views.post_status_update, name="incident-status-update"),
    path("incidents/<str:ref>/impact/", views.edit_impact, name="incident-impact"),
]
