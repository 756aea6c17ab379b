"""Render a stakeholder update for one subscription: plain language, the subscriber's language,
times in KIZUKI_TIME_ZONE. E-mail gets a longer text with an unsubscribe link; chat channels
(Apprise, Slack) a short one."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kizuki.incidents.models import Incident, StatusUpdate
from kizuki.stakeholders import links
from kizuki.stakeholders.models import Kind, Subscription
from kizuki.stakeholders.wording import plain_status, stakeholder_text


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def language_of(subscription: Subscription) -> str:
    return subscription.language or settings.LANGUAGE_CODE


def render(update: StatusUpdate, subscription: Subscription) -> Message:
    incident: Incident = update.incident
    with (
        translation.override(language_of(subscription)),
        timezone.override(ZoneInfo(settings.TIME_ZONE)),
    ):
        context = {
            "incident": incident,
            "update": update,
            "status": plain_status(update.status),
            "severity": incident.severity.label if incident.severity else "",
            "services": [service.name for service in incident.services.all()],
            "text": stakeholder_text(update),
            "time_zone": settings.TIME_ZONE,
            "status_url": links.status_page_url(),
            "subscription": subscription,
            "unsubscribe_url": links.unsubscribe_url(subscription.pk),
        }
        subject = render_to_string("stakeholders/update_subject.txt", context)
        template = (
            "stakeholders/update_email.txt"
            if subscription.kind == Kind.EMAIL
            else "stakeholders/update_chat.txt"
        )
        body = render_to_string(template, context)
    return Message(subject=" ".join(subject.split()), body=body.strip() + "\n")


def render_confirmation(subscription: Subscription, requested: datetime) -> Message:
    """The e-mail asking an anonymous subscriber to confirm their address (the request made
    at `requested`), in the language they used on the status page."""
    with translation.override(language_of(subscription)):
        context = {
            "subscription": subscription,
            "confirm_url": links.confirm_url(subscription.pk, requested),
            "status_url": links.status_page_url(),
            "days": links.CONFIRM_WITHIN.days,
        }
        subject = render_to_string("stakeholders/confirm_subject.txt", context)
        body = render_to_string("stakeholders/confirm_email.txt", context)
    return Message(subject=" ".join(subject.split()), body=body.strip() + "\n")
