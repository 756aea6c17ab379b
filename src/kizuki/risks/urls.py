from django.urls import URLPattern, path

from kizuki.risks import link_views, review_views, views

urlpatterns: list[URLPattern] = [
    path("risks/", views.register, name="risk-list"),
    path("risks/new/", views.new, name="risk-new"),
    path("risks/<int:risk_id>/", views.detail, name="risk-detail"),
    path("risks/<int:risk_id>/edit/", views.edit, name="risk-edit"),
    path("risks/<int:risk_id>/visit/", views.visit, name="risk-visit"),
    path(
        "followups/<int:followup_id>/risk/",
        link_views.record_from_followup,
        name="followup-record-risk",
    ),
    path(
        "incidents/<str:ref>/retrospective/risk/",
        link_views.record_from_retrospective,
        name="retro-record-risk",
    ),
    path("reviews/", review_views.review_list, name="review-list"),
    path("reviews/this-week/", review_views.hold_this_week, name="review-this-week"),
    path("reviews/settings/", review_views.review_settings, name="review-settings"),
    path("reviews/<int:review_id>/", review_views.review_detail, name="review-detail"),
    path("reviews/<int:review_id>/minutes/", review_views.edit_minutes, name="review-minutes"),
    path(
        "reviews/<int:review_id>/findings/",
        review_views.add_finding,
        name="review-add-finding",
    ),
    path(
        "reviews/<int:review_id>/findings/<int:finding_id>/report/",
        review_views.report,
        name="finding-report",
    ),
    path(
        "reviews/<int:review_id>/findings/<int:finding_id>/promote/",
        review_views.promote,
        name="finding-promote",
    ),
]
