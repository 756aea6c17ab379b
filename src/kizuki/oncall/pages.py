"""Called only from oncall actions and the worker's engine and delivery; the caller owns the
transaction (creating pages; message() only reads).

Pages: one notification to one person (or channel) by one method, and what it says.

A page's key names the escalation, step, repetition, person, method and rule position, and is
unique in the database: creating the same page twice (a second worker, a retried step, a
fall-through racing the step) inserts nothing the second time."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.notify.models import Method, NotificationRule
from kizuki.oncall.models import Escalation, Page

# The rule position part of the key for people without rules, paged at their account e-mail.
ACCOUNT_EMAIL = "account"


def page_key(
    escalation: Escalation,
    step_index: int,
    repetition: int,
    *,
    who: object,
    method: str,
    rule: object,
) -> str:
    return f"{escalation.pk}:{step_index}:{repetition}:{who}:{method}:{rule}"


def rule_page(
    escalation: Escalation,
    user: User,
    rule: NotificationRule,
    *,
    step_index: int,
    repetition: int,
    now: datetime,
    delay: timedelta = timedelta(0),
) -> Page:
    address = rule.address or (user.email if rule.method == Method.EMAIL else "")
    return Page(
        escalation=escalation,
        key=page_key(
            escalation, step_index, repetition, who=user.pk, method=rule.method, rule=rule.position
        ),
        user=user,
        method=rule.method,
        address=address,
        rule_position=rule.position,
        step_index=step_index,
        repetition=repetition,
        due_at=now + delay,
        created_at=now,
    )


def pages_for(
    escalation: Escalation,
    user: User,
    rules: list[NotificationRule],
    *,
    step_index: int,
    repetition: int,
    now: datetime,
    use_delays: bool = True,
) -> list[Page]:
    """The pages that reach `user` at this step: one per rule, each after its delay; without
    rules, one e-mail to the account address; nothing if there is no way to reach them."""
    if rules:
        return [
            rule_page(
                escalation,
                user,
                rule,
                step_index=step_index,
                repetition=repetition,
                now=now,
                delay=timedelta(minutes=rule.delay_minutes if use_delays else 0),
            )
            for rule in rules
        ]
    if not user.email:
        return []
    return [
        Page(
            escalation=escalation,
            key=page_key(
                escalation,
                step_index,
                repetition,
                who=user.pk,
                method=Method.EMAIL,
                rule=ACCOUNT_EMAIL,
            ),
            user=user,
            method=Method.EMAIL,
            address=user.email,
            step_index=step_index,
            repetition=repetition,
            due_at=now,
            created_at=now,
        )
    ]


def channel_page(
    escalation: Escalation, channel: str, step_index: int, repetition: int, now: datetime
) -> Page:
    """A post to a chat channel (delivered by the Slack channel once it is configured)."""
    return Page(
        escalation=escalation,
        key=page_key(
            escalation, step_index, repetition, who="channel", method=Method.SLACK, rule=channel
        ),
        user=None,
        method=Method.SLACK,
        address=channel,
        step_index=step_index,
        repetition=repetition,
        due_at=now,
        created_at=now,
    )


def message(page: Page) -> tuple[str, str]:
    """Subject and body, in the recipient's language."""
    escalation = page.escalation
    language = (page.user.language if page.user else "") or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = _("[Kizuki] %(title)s") % {"title": escalation.title}
        lines = [escalation.title]
        if escalation.summary:
            lines += ["", escalation.summary]
        lines.append("")
        if escalation.link:
            lines.append(_("Details: %(link)s") % {"link": escalation.link})
        if escalation.ack_link:
            lines.append(_("Acknowledge: %(link)s") % {"link": escalation.ack_link})
        if not escalation.ack_link and not escalation.policy_snapshot.get("test"):
            lines.append(_("Acknowledge in Kizuki to stop further pages."))
    return subject, "\n".join(lines)
