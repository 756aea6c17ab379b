from django.urls import path

from kizuki.accounts import sso_views, token_views, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("account/language/", views.set_language, name="set-language"),
    path("account/tokens/", token_views.tokens, name="api-tokens"),
    path("account/tokens/<int:token_id>/revoke/", token_views.revoke, name="api-token-revoke"),
    # Single sign-on: both answer 404 while it is not configured.
    path("sso/login/", sso_views.SsoLoginView.as_view(), name="sso-login"),
    path("sso/callback/", sso_views.SsoCallbackView.as_view(), name="sso-callback"),
]
