from django.urls import path

from kizuki.stakeholders import views

urlpatterns = [
    path("status/", views.status_page, name="status-page"),
    path("status/subscribe/", views.subscribe, name="status-subscribe"),
    path(
        "status/subscriptions/<int:subscription_id>/unsubscribe/",
        views.unsubscribe,
        name="status-unsubscribe",
    ),
    path("status/unsubscribe/<str:token>/", views.unsubscribe_link, name="status-unsubscribe-link"),
    path("status/confirm/<str:token>/", views.confirm_link, name="status-confirm"),
]
