"""Reads for notification rules."""

from collections import defaultdict
from collections.abc import Iterable

from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.core.errors import NotFound
from kizuki.notify.models import Method, NotificationRule


def get_person(username: str) -> User:
    person = User.objects.filter(username=username, is_active=True).first()
    if person is None:
        raise NotFound(_("No user %(username)s.") % {"username": username})
    return person


def rules_for(user: User) -> list[NotificationRule]:
    return list(NotificationRule.objects.filter(user=user).order_by("position", "id"))


def rules_by_user(user_ids: Iterable[int]) -> dict[int, list[NotificationRule]]:
    """Everyone's rules in one query, in the order they are tried."""
    found: dict[int, list[NotificationRule]] = defaultdict(list)
    for rule in NotificationRule.objects.filter(user_id__in=list(user_ids)).order_by(
        "user_id", "position", "id"
    ):
        found[rule.user_id].append(rule)
    return found


def get_rule(user: User, rule_id: int) -> NotificationRule:
    rule = NotificationRule.objects.filter(user=user, pk=rule_id).first()
    if rule is None:
        raise NotFound(
            _("%(username)s has no notification rule %(id)s.")
            % {"username": user.username, "id": rule_id}
        )
    return rule


def method_label(method: str) -> str:
    """A notification method's short name for a sentence ('email' → 'E-mail', 'slack' →
    'Slack': a direct message or a channel); an unknown value as it is."""
    if method == Method.EMAIL:
        return str(Method.EMAIL.label)
    names: dict[str, str] = {Method.SLACK: "Slack", Method.APPRISE: "Apprise"}
    return names.get(method, method)
