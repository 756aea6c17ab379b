from django.urls import URLPattern, path

from kizuki.reports import views

urlpatterns: list[URLPattern] = [
    path("reports/", views.summary_page, name="report-summary"),
]
