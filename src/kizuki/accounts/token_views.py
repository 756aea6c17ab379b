"""The person's own API tokens: list, create (the secret is shown once, on this answer only),
revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuki.accounts import actions, queries
from kizuki.accounts.access import access_token, access_tokens_of
from kizuki.accounts.forms import TokenForm
from kizuki.core.errors import CORRECTABLE


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    me, _owner = access_tokens_of(request.user)
    form = TokenForm(request.POST or None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["expires_in_days"]
        try:
            expires_at = actions.expiry_in_days(days) if days else None
            _token, secret = actions.create_token(
                me, form.cleaned_data["name"], me, expires_at=expires_at
            )
        except CORRECTABLE as error:
            form.add_error(None, error.detail)
        else:
            form = TokenForm()
    listed = [(token, queries.token_state(token)) for token in queries.tokens_of(me)]
    # A fresh secret is in this answer only: no cache may keep it.
    response = render(
        request, "accounts/tokens.html", {"tokens": listed, "form": form, "secret": secret}
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    me, token = access_token(request.user, token_id)
    actions.revoke_token(token, me)
    messages.success(request, _("Token %(prefix)s… revoked.") % {"prefix": token.prefix})
    return redirect("api-tokens")
