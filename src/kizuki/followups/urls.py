from django.urls import URLPattern, path

from kizuki.followups import views, views_lists

urlpatterns: list[URLPattern] = [
    path("followups/", views_lists.followup_list, name="followup-list"),
    path("followups/mine/", views_lists.mine, name="followup-mine"),
    path("followups/teams/<slug:slug>/", views_lists.team_overview, name="followup-team"),
    path("followups/check/", views.check_writing, name="followup-check"),
    path("followups/<int:followup_id>/", views.detail, name="followup-detail"),
    path("followups/<int:followup_id>/edit/", views.edit, name="followup-edit"),
    path("followups/<int:followup_id>/status/", views.change_status, name="followup-status"),
    path(
        "followups/<int:followup_id>/milestones/",
        views.add_milestone,
        name="followup-add-milestone",
    ),
    path(
        "followups/<int:followup_id>/milestones/<int:position>/",
        views.milestone_status,
        name="followup-milestone-status",
    ),
    path("followups/<int:followup_id>/export/", views.export, name="followup-export"),
    path("incidents/<str:ref>/followups/new/", views.new, name="followup-new"),
]
