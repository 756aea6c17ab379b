from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kizuki.accounts import actions
from kizuki.accounts.access import require_role
from kizuki.accounts.models import OrgRole
from kizuki.accounts.sso_views import provider_logout_url
from kizuki.core.errors import RateLimited
from kizuki.core.middleware import with_retry_after


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sso"] = settings.KIZUKI_SSO
        context["password_login"] = settings.KIZUKI_PASSWORD_LOGIN
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().post(request, *args, **kwargs)
        except RateLimited as busy:
            # Every password check slot is taken: answer now, ask the browser to retry soon.
            context = self.get_context_data(form=self.get_form_class()(request), busy=busy.detail)
            return with_retry_after(self.render_to_response(context, status=429), busy)


@require_POST
@login_required
def set_language(request: HttpRequest) -> HttpResponse:
    """Save the chosen language on the user, so it follows them to every device."""
    user = require_role(request.user, OrgRole.VIEWER)
    actions.set_language(user, request.POST.get("language", ""))
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)


class LogoutView(auth_views.LogoutView):
    """Django's logout; with provider logout on, then on to the provider's end-session page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Read before logging out: logging out empties the session that holds the id_token.
        provider = provider_logout_url(request)
        response = super().post(request, *args, **kwargs)
        return redirect(provider) if provider else response
