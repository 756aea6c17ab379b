from django.urls import path

from kizuki.chat import views

urlpatterns = [
    path("slack/events", views.slack_events, name="slack-events"),
]
