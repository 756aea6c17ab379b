"""My notification rules: list, add, remove, move up. (The test button posts to oncall, which
pages through the rules: oncall.urls routes it.)"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuki.accounts.models import User
from kizuki.core.errors import CORRECTABLE
from kizuki.notify import access, actions, masking, queries
from kizuki.notify.forms import RuleForm


def _me(request: HttpRequest) -> User:
    return access.access_rules_of(request.user, request.user.get_username())[1]


@login_required
def notification_rules(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_rule(me, me, data["method"], data["address"], data["delay_minutes"])
        except CORRECTABLE as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, _("Notification rule added."))
            return redirect("notification-rules")
    # Each rule with its address as shown: an Apprise URL's tokens stay on the server.
    rules = [(rule, masking.masked(rule.address)) for rule in queries.rules_for(me)]
    context = {"rules": rules, "form": form, "account_email": me.email}
    return render(request, "notify/rules.html", context)


@require_POST
@login_required
def remove_rule(request: HttpRequest, rule_id: int) -> HttpResponse:
    me, rule = access.access_rule(request.user, request.user.get_username(), rule_id)
    actions.remove_rule(me, rule)
    messages.success(request, _("Notification rule removed."))
    return redirect("notification-rules")


@require_POST
@login_required
def move_rule_up(request: HttpRequest, rule_id: int) -> HttpResponse:
    me, rule = access.access_rule(request.user, request.user.get_username(), rule_id)
    ids = [each.pk for each in queries.rules_for(me)]
    index = ids.index(rule.pk)
    if index > 0:
        ids[index - 1], ids[index] = ids[index], ids[index - 1]
        actions.reorder_rules(me, me, ids)
    return redirect("notification-rules")
