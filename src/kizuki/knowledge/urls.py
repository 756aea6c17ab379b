from django.urls import URLPattern, path

from kizuki.knowledge import views

urlpatterns: list[URLPattern] = [
    path("search/", views.search, name="search"),
]
