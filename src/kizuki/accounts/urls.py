from django.contrib.auth import views as auth_views
from django.urls import path

from kizuki.accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/language/", views.set_language, name="set-language"),
]
