"""Ports to the outside world that reach a person: e-mail, Apprise URLs and (later) Slack.

Each channel has one method, `send`, which returns when the message was handed over and
raises DeliveryError otherwise. Kizuki runs with none configured: unconfigured channels
are Null implementations that fail with a clear reason instead of silently dropping pages.
"""

import logging
import smtplib
from typing import Protocol

import apprise
from django.conf import settings
from django.core.mail import get_connection, send_mail

from kizuki.notify.models import Method

# Below the page lease (60 s), so a slow server is a failed attempt, not a double send.
SEND_TIMEOUT_SECONDS = 20


class DeliveryError(Exception):
    """The message did not go out. `permanent` failures are not worth retrying."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class Channel(Protocol):
    def send(self, address: str, subject: str, body: str) -> None: ...


class EmailChannel:
    """Django's mail backend (SMTP in production, the console when KIZUKI_EMAIL_URL is empty)."""

    def send(self, address: str, subject: str, body: str) -> None:
        if not address:
            raise DeliveryError("no e-mail address", permanent=True)
        connection = get_connection(timeout=SEND_TIMEOUT_SECONDS)
        # Mail headers may not contain line breaks; a multi-line alert title is flattened.
        subject = " ".join(subject.split())
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], connection=connection)
        except smtplib.SMTPRecipientsRefused as error:
            raise DeliveryError(f"recipient refused: {error}", permanent=True) from error
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryError(f"e-mail failed: {error}") from error


def apprise_accepts(url: str) -> bool:
    """Whether Apprise understands the URL (a scheme it has a plugin for, well formed)."""
    return bool(url) and bool(apprise.Apprise().add(url))


class AppriseChannel:
    """Any service Apprise speaks (LINE, Teams, Telegram, Discord, webhooks…), by URL."""

    def send(self, address: str, subject: str, body: str) -> None:
        client = apprise.Apprise()
        if not client.add(address):
            raise DeliveryError("Apprise does not accept this URL", permanent=True)
        with client.notify(body=body, title=subject, log_level=logging.WARNING) as result:
            if not result:
                reasons = [entry.message for entry in result.logs()]
                raise DeliveryError(reasons[-1] if reasons else f"Apprise: {result.status.name}")


class UnconfiguredSlack:
    """Slack direct messages and channel posts until the Slack app is set up."""

    def send(self, address: str, subject: str, body: str) -> None:  # noqa: ARG002 - the Protocol's
        raise DeliveryError("Slack is not configured", permanent=True)


# Posts to a Slack channel (address: a channel ID or name), as stakeholder subscriptions use;
# `Method.SLACK` is a direct message to a person. The Slack app installs both when configured.
SLACK_CHANNEL_POST = "slack_channel"

_channels: dict[str, Channel] = {
    Method.EMAIL: EmailChannel(),
    Method.APPRISE: AppriseChannel(),
    Method.SLACK: UnconfiguredSlack(),
    SLACK_CHANNEL_POST: UnconfiguredSlack(),
}


def install(method: str, channel: Channel) -> None:
    """Replace a channel (a Method, or SLACK_CHANNEL_POST); the Slack app calls this from its
    ready() when it is configured."""
    _channels[method] = channel


def channel_for(method: str) -> Channel:
    channel = _channels.get(method)
    if channel is None:
        raise DeliveryError(f"unknown method {method}", permanent=True)
    return channel
