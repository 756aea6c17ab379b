from django.urls import URLPattern, path

from kizuki.reports import regulatory_views as views

urlpatterns: list[URLPattern] = [
    path("incidents/<str:ref>/regulatory/prepare/", views.prepare, name="regulatory-prepare"),
    path("regulatory/<int:report_id>/", views.detail, name="regulatory-detail"),
    path("regulatory/<int:report_id>/submitted/", views.submitted, name="regulatory-submitted"),
    path("regulatory/<int:report_id>.pdf", views.export_pdf, name="regulatory-pdf"),
    path("regulatory/<int:report_id>.docx", views.export_docx, name="regulatory-docx"),
]
