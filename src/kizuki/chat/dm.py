"""Slack as a notify channel, installed by apps.py: direct messages to people (pages; the
address is a Slack user ID, whose shape notification rules check) and posts to a channel
(stakeholder subscriptions; the address is a channel ID or name). Without a bot token both
fail like the channels they replace: permanently, "Slack is not configured"."""

from kizuki.chat.slack import SlackError, SlackPort, slack
from kizuki.notify.channels import DeliveryError


def _configured() -> SlackPort:
    port = slack()
    if not port.configured:
        raise DeliveryError("Slack is not configured", permanent=True)
    return port


def _message(subject: str, body: str) -> str:
    return f"*{subject}*\n{body}" if subject else body


class SlackDmChannel:
    def send(self, address: str, subject: str, body: str) -> None:
        port = _configured()
        if not address:
            raise DeliveryError("no Slack user ID", permanent=True)
        try:
            port.post(port.open_dm(address), _message(subject, body))
        except SlackError as error:
            raise DeliveryError(f"Slack: {error}", permanent=not error.transient) from error


class SlackChannelPost:
    def send(self, address: str, subject: str, body: str) -> None:
        port = _configured()
        if not address:
            raise DeliveryError("no Slack channel", permanent=True)
        try:
            port.post(address, _message(subject, body))
        except SlackError as error:
            raise DeliveryError(f"Slack: {error}", permanent=not error.transient) from error
