from django.urls import path

from kizuki.incidents import detail_views, paging_views, privacy_views, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("incidents/", views.incident_list, name="incident-list"),
    path("report/", views.report, name="incident-report"),
    path("settings/paging/", paging_views.paging_settings, name="paging-settings"),
    path("incidents/<str:ref>/", detail_views.detail, name="incident-detail"),
    path("incidents/<str:ref>/thanks/", views.thanks, name="incident-thanks"),
    path("incidents/<str:ref>/transition/", detail_views.transition, name="incident-transition"),
    path("incidents/<str:ref>/roles/", detail_views.assign_role, name="incident-assign-role"),
    path(
        "incidents/<str:ref>/timeline/", detail_views.add_timeline_entry, name="incident-add-entry"
    ),
    path(
        "incidents/<str:ref>/status/",
        detail_views.post_status_update,
        name="incident-status-update",
    ),
    path("incidents/<str:ref>/impact/", detail_views.edit_impact, name="incident-impact"),
    path("incidents/<str:ref>/edit/", detail_views.edit, name="incident-edit"),
    path("incidents/<str:ref>/cause/", detail_views.edit_cause, name="incident-cause"),
    path("incidents/<str:ref>/privacy/", privacy_views.set_privacy, name="incident-privacy"),
    path(
        "incidents/<str:ref>/participants/",
        privacy_views.add_participant,
        name="incident-participant-add",
    ),
    path(
        "incidents/<str:ref>/participants/<str:username>/remove/",
        privacy_views.remove_participant,
        name="incident-participant-remove",
    ),
    path("incidents/<str:ref>/notes/<int:entry_id>/", detail_views.note, name="incident-note"),
    path(
        "incidents/<str:ref>/notes/<int:entry_id>/remove/",
        detail_views.remove_note,
        name="incident-note-remove",
    ),
]
