from django.urls import path

from kizuki.formations import views

urlpatterns = [
    path("settings/formations/", views.settings_page, name="formations-settings"),
    path(
        "incidents/<str:ref>/positions/<int:position_id>/add/",
        views.add_holder,
        name="formations-position-add",
    ),
    path(
        "incidents/<str:ref>/positions/<int:position_id>/remove/<str:username>/",
        views.remove_holder,
        name="formations-position-remove",
    ),
    path(
        "incidents/<str:ref>/checklists/<int:checklist_id>/items/<int:item_id>/",
        views.tick_item,
        name="formations-item",
    ),
]
