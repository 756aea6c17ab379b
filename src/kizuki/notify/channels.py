"""Ports to the outside world that reach a person: e-mail, Apprise URLs and Slack.

Each channel has one method, `send`, which returns when the message was handed over and
raises DeliveryError otherwise. Kizuki runs with none configured: unconfigured channels
are Null implementations that fail with a clear reason instead of silently dropping pages.
The Slack channels start as such a Null implementation; the chat app installs the real ones
when Slack is configured.
"""

import logging
import smtplib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any, Protocol

import apprise
from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.utils.translation import gettext as _

from kizuki.core.errors import InvalidInput
from kizuki.notify import outbound
from kizuki.notify.models import Method

logger = logging.getLogger(__name__)

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
        _send_mail(get_connection(timeout=SEND_TIMEOUT_SECONDS), address, subject, body)

    @contextmanager
    def session(self) -> Iterator["EmailSession"]:
        session = EmailSession()
        try:
            yield session
        finally:
            session.close()


class EmailSession:
    """E-mail for many messages in a row over one SMTP connection, opened at the first message.
    After a failed message the connection is dropped (the server may have closed it, or be
    mid-reply) and the next message opens a new one."""

    def __init__(self) -> None:
        self.connection: Any = get_connection(timeout=SEND_TIMEOUT_SECONDS)

    def send(self, address: str, subject: str, body: str) -> None:
        try:
            # Opening an open connection does nothing, so every message reuses it.
            self.connection.open()
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryError(f"e-mail failed: {error}") from error
        try:
            _send_mail(self.connection, address, subject, body)
        except DeliveryError:
            self.close()
            raise

    def close(self) -> None:
        try:
            self.connection.close()
        except (smtplib.SMTPException, OSError):
            # Django's backend forgets the connection either way; the next message reconnects.
            logger.info("closing the SMTP connection failed; it is dropped", exc_info=True)


def _send_mail(connection: Any, address: str, subject: str, body: str) -> None:
    if not address:
        raise DeliveryError("no e-mail address", permanent=True)
    # Mail headers may not contain line breaks; a multi-line alert title is flattened.
    subject = " ".join(subject.split())
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], connection=connection)
    except smtplib.SMTPRecipientsRefused as error:
        replies = list(error.recipients.values())
        raise DeliveryError(
            "recipient refused: " + "; ".join(_reply(code, text) for code, text in replies),
            permanent=all(code >= PERMANENT_SMTP_CODE for code, _text in replies),
        ) from error
    except smtplib.SMTPResponseException as error:
        # A refused sender or message: 5xx is final, 4xx (greylisting, a full queue) is not.
        raise DeliveryError(
            f"e-mail refused: {_reply(error.smtp_code, error.smtp_error)}",
            permanent=error.smtp_code >= PERMANENT_SMTP_CODE,
        ) from error
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(f"e-mail failed: {error}") from error


# SMTP reply codes from 500 up refuse for good; 4xx means "try again later" (RFC 5321 4.2.1).
PERMANENT_SMTP_CODE = 500


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}"


# Servers a URL may name besides `host`: Apprise's e-mail SMTP server, Zulip's host name,
# Azure's endpoint… (each plugin keeps them under one of these names).
SERVER_ATTRIBUTES = ("smtp_host", "hostname", "endpoint", "api_host", "xmpp_host", "notify_host")


def apprise_servers(client: apprise.Apprise) -> list[tuple[str, int | None]]:
    """The (host, port) each of the client's URLs makes Kizuki connect to, where the URL's
    author chose it. `host` counts only for plugins whose URL template has a host: for fixed
    services (Telegram, Discord, LINE…) it holds a token and the server is the service's."""
    servers = []
    for plugin in client:
        if "host" in getattr(plugin, "template_tokens", {}) and isinstance(plugin.host, str):
            servers.append((plugin.host, plugin.port))
        for name in SERVER_ATTRIBUTES:
            value = getattr(plugin, name, None)
            if isinstance(value, str):
                servers.append((value, None))
    return [(host, port) for host, port in servers if host]


def check_apprise_url(url: str) -> None:
    """When an Apprise URL is saved: InvalidInput unless Apprise understands it and it points
    to no network Kizuki refuses (notify.outbound)."""
    client = apprise.Apprise()
    if not url or not client.add(url):
        raise InvalidInput(
            _("Apprise does not accept this URL; see the Apprise documentation for the format.")
        )
    for host, port in apprise_servers(client):
        outbound.check_host(host, port, must_resolve=False)


class AppriseChannel:
    """Any service Apprise speaks (LINE, Teams, Telegram, Discord, webhooks…), by URL."""

    def send(self, address: str, subject: str, body: str) -> None:
        client = apprise.Apprise()
        if not client.add(address):
            raise DeliveryError("Apprise does not accept this URL", permanent=True)
        try:
            # Again at each send, resolving the host: its address may have changed since.
            for host, port in apprise_servers(client):
                outbound.check_host(host, port, must_resolve=True)
        except outbound.OutboundRefused as error:
            raise DeliveryError(error.detail, permanent=True) from error
        except outbound.OutboundUnresolved as error:
            raise DeliveryError(error.detail) from error
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


class UnknownMethod:
    """What a batch sends an unknown method's messages with: each fails for good."""

    def __init__(self, method: str) -> None:
        self.method = method

    def send(self, address: str, subject: str, body: str) -> None:  # noqa: ARG002 - the Protocol's
        raise DeliveryError(f"unknown method {self.method}", permanent=True)


class Batch:
    """Channels for sending many messages in a row (the worker's batches of pages): e-mail
    keeps one SMTP connection for the whole batch; other channels send as usual. Use it as a
    context manager: leaving it closes what it opened."""

    def __init__(self) -> None:
        self.open: dict[str, Channel] = {}
        self.stack = ExitStack()

    def channel(self, method: str) -> Channel:
        if method not in self.open:
            channel = _channels.get(method)
            if channel is None:
                self.open[method] = UnknownMethod(method)
            elif isinstance(channel, EmailChannel):
                self.open[method] = self.stack.enter_context(channel.session())
            else:
                self.open[method] = channel
        return self.open[method]

    def __enter__(self) -> "Batch":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stack.close()
