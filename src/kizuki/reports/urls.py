from django.urls import URLPattern, path, re_path

from kizuki.reports import download_views, views

urlpatterns: list[URLPattern] = [
    path("reports/", views.summary_page, name="report-summary"),
    re_path(
        r"^reports/summary\.(?P<output>pdf|html|csv)$",
        download_views.summary_download,
        name="report-summary-download",
    ),
]
