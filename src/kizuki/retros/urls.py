from django.urls import URLPattern, path

from kizuki.retros import views, views_admin, views_editor, views_pages

DOC = "incidents/<str:ref>/retrospective/"

urlpatterns: list[URLPattern] = [
    path("retrospectives/", views_pages.retro_list, name="retro-list"),
    path("retrospectives/learnings/", views_pages.learnings_digest, name="retro-digest"),
    path("retrospectives/settings/", views_admin.settings_page, name="retro-settings"),
    path("retrospectives/templates/new/", views_admin.template_new, name="retro-template-new"),
    path(
        "retrospectives/templates/<slug:key>/",
        views_admin.template_edit,
        name="retro-template-edit",
    ),
    path(
        "retrospectives/templates/<slug:key>/retire/",
        views_admin.template_retire,
        name="retro-template-retire",
    ),
    path(
        "retrospectives/policy/<int:level>/",
        views_admin.severity_policy,
        name="retro-severity-policy",
    ),
    path("retrospectives/team-template/", views_admin.team_template, name="retro-team-template"),
    path(DOC, views.detail, name="retro-detail"),
    path(DOC + "start/", views.start, name="retro-start"),
    path(DOC + "requirement/", views.requirement, name="retro-requirement"),
    path(DOC + "transition/", views.transition, name="retro-transition"),
    path(DOC + "reviews/", views.request_review, name="retro-request-review"),
    path(DOC + "review/", views.review, name="retro-review"),
    path(DOC + "comments/", views.comment, name="retro-comment"),
    path(
        DOC + "comments/<int:comment_id>/resolve/",
        views.resolve_comment,
        name="retro-resolve-comment",
    ),
    path(DOC + "edit/", views_editor.edit, name="retro-edit"),
    path(DOC + "preview/", views_editor.preview, name="retro-preview"),
    path(DOC + "draft/<slug:key>/", views_editor.draft, name="retro-draft"),
    path(DOC + "draft/<slug:key>/accept/", views_editor.accept_draft, name="retro-accept-draft"),
    path(DOC + "history/", views_pages.history, name="retro-history"),
    path(DOC + "export.md", views_pages.export_markdown, name="retro-export-md"),
    path(DOC + "export.pdf", views_pages.export_pdf, name="retro-export-pdf"),
    path(DOC + "summary/", views_pages.stakeholder_summary, name="retro-summary"),
]
