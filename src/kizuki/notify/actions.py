"""The only write path for notification rules: add, remove, reorder, each audited."""

import logging
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.core.actions import record_audit
from kizuki.core.errors import InvalidInput
from kizuki.notify.channels import DeliveryError, channel_for, check_apprise_url
from kizuki.notify.models import Method, NotificationRule
from kizuki.notify.queries import rules_for

logger = logging.getLogger(__name__)

MAX_RULES = 20
MAX_DELAY_MINUTES = 24 * 60
SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")


def audited(rule: NotificationRule) -> dict[str, Any]:
    """What the audit log keeps. Apprise URLs often embed tokens, so only their scheme."""
    address = rule.address
    if rule.method == Method.APPRISE:
        address = address.split("://", 1)[0] + "://…"
    return {
        "user": rule.user.username,
        "position": rule.position,
        "method": rule.method,
        "address": address,
        "delay_minutes": rule.delay_minutes,
    }


def _clean_address(user: User, method: str, address: str) -> str:
    address = address.strip()
    if len(address) > 500:
        raise InvalidInput(_("The address may be at most 500 characters."))
    if method == Method.EMAIL:
        if not address:
            if not user.email:
                raise InvalidInput(
                    _("%(username)s has no account e-mail address; enter an address.")
                    % {"username": user.username}
                )
            return ""
        try:
            validate_email(address)
        except ValidationError:
            raise InvalidInput(
                _("%(address)s is not an e-mail address.") % {"address": address}
            ) from None
    elif method == Method.APPRISE:
        check_apprise_url(address)
    elif not SLACK_USER_ID.match(address):
        raise InvalidInput(_("Enter a Slack user ID such as U012AB3CD."))
    return address


@transaction.atomic
def add_rule(
    actor: User | None, user: User, method: str, address: str = "", delay_minutes: int = 0
) -> NotificationRule:
    """Add a way to reach `user`; it is tried after their existing rules."""
    if method not in Method.values:
        raise InvalidInput(
            _("Unknown method %(method)s; use one of %(methods)s.")
            % {"method": method, "methods": ", ".join(Method.values)}
        )
    if not 0 <= delay_minutes <= MAX_DELAY_MINUTES:
        raise InvalidInput(
            _("The delay must be between 0 and %(max)s minutes.") % {"max": MAX_DELAY_MINUTES}
        )
    address = _clean_address(user, method, address)
    # Lock the person so two concurrent adds do not take the same position.
    User.objects.select_for_update().filter(pk=user.pk).first()
    rules = NotificationRule.objects.filter(user=user)
    if rules.count() >= MAX_RULES:
        raise InvalidInput(_("A person may have at most %(max)s rules.") % {"max": MAX_RULES})
    last = rules.aggregate(last=Max("position"))["last"]
    rule = NotificationRule.objects.create(
        user=user,
        position=0 if last is None else last + 1,
        method=method,
        address=address,
        delay_minutes=delay_minutes,
    )
    record_audit(actor, "notification_rule.add", rule, after=audited(rule))
    return rule


@transaction.atomic
def remove_rule(actor: User | None, rule: NotificationRule) -> None:
    before = audited(rule)
    record_audit(actor, "notification_rule.remove", rule, before=before)
    rule.delete()


@transaction.atomic
def reorder_rules(actor: User | None, user: User, rule_ids: list[int]) -> list[NotificationRule]:
    """Put the rules in the given order; the list must name each of the user's rules once."""
    mine = NotificationRule.objects.select_for_update().filter(user=user)
    rules = {rule.pk: rule for rule in mine}
    if sorted(rule_ids) != sorted(rules):
        raise InvalidInput(
            _("List each of %(username)s's rules exactly once.") % {"username": user.username}
        )
    before = [rules[pk].position for pk in rule_ids]
    for position, pk in enumerate(rule_ids):
        rules[pk].position = position
    NotificationRule.objects.bulk_update(rules.values(), ["position"])
    record_audit(
        actor,
        "notification_rule.reorder",
        user,
        before={"positions": before},
        after={"rules": rule_ids},
    )
    return [rules[pk] for pk in rule_ids]


def tell(person: User, subject: str, body: str) -> bool:
    """Tell `person` something that is not a page: once, by the first of their notification
    rules that has an address (their account e-mail without rules), falling back to e-mail
    when that channel fails. Call it from the worker, outside any transaction; returns
    whether the message went out (a failure is logged, not retried)."""
    method: str = Method.EMAIL
    address = person.email
    for rule in rules_for(person):
        found = rule.address or (person.email if rule.method == Method.EMAIL else "")
        if found:
            method, address = rule.method, found
            break
    if not address:
        logger.warning("cannot tell %s: no notification rule and no e-mail", person.username)
        return False
    try:
        channel_for(method).send(address, subject, body)
    except DeliveryError as error:
        if method == Method.EMAIL or not person.email:
            logger.warning("telling %s failed: %s", person.username, error.reason)
            return False
        try:
            channel_for(Method.EMAIL).send(person.email, subject, body)
        except DeliveryError as fallback:
            logger.warning("telling %s failed: %s", person.username, fallback.reason)
            return False
    return True
