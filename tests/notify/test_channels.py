"""The channels against real local servers: an SMTP server (aiosmtpd) and an HTTP receiver
for Apprise's json:// URLs. Nothing leaves 127.0.0.1."""

from collections.abc import Iterator
from typing import Any

import pytest

from kizuki.notify import channels
from kizuki.notify.channels import DeliveryError, channel_for
from tests.notify.support import free_port, smtp_server, webhook_server


@pytest.fixture
def smtp(settings: Any) -> Iterator[Any]:
    with smtp_server() as (port, server):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.DEFAULT_FROM_EMAIL = "kizuki@example.test"
        yield server


def test_email_is_handed_to_the_smtp_server(smtp: Any) -> None:
    channel_for("email").send("rei@example.test", "[Kizuki] Disk\nfull", "Line one\nLine two")
    ((recipients, message),) = smtp.messages
    assert recipients == ["rei@example.test"]
    assert message["From"] == "kizuki@example.test"
    assert message["Subject"] == "[Kizuki] Disk full"  # headers cannot carry line breaks
    assert message.get_payload(decode=True).decode().splitlines() == ["Line one", "Line two"]


def test_email_without_an_address_fails_for_good(smtp: Any) -> None:
    with pytest.raises(DeliveryError) as failure:
        channel_for("email").send("", "subject", "body")
    assert failure.value.permanent
    assert not smtp.messages


def test_email_to_a_server_that_is_down_fails_and_may_be_retried(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    with pytest.raises(DeliveryError) as failure:
        channel_for("email").send("rei@example.test", "subject", "body")
    assert not failure.value.permanent
    assert "e-mail failed" in failure.value.reason


@pytest.mark.usefixtures("loopback_allowed")
def test_apprise_posts_to_the_url(db: None) -> None:
    with webhook_server() as (port, hook):
        channel_for("apprise").send(f"json://127.0.0.1:{port}/page", "Disk full", "On db-1")
    ((request,),) = [hook.requests]
    assert request["path"] == "/page"
    assert (request["json"]["title"], request["json"]["message"]) == ("Disk full", "On db-1")


@pytest.mark.usefixtures("loopback_allowed")
def test_apprise_failures_carry_the_reason() -> None:
    with webhook_server(status=503) as (port, hook), pytest.raises(DeliveryError) as failure:
        channel_for("apprise").send(f"json://127.0.0.1:{port}/", "Disk full", "On db-1")
    assert len(hook.requests) == 1
    assert not failure.value.permanent
    assert "503" in failure.value.reason

    with pytest.raises(DeliveryError) as refused:
        channel_for("apprise").send("nosuchscheme://x", "Disk full", "On db-1")
    assert refused.value.permanent


def test_slack_fails_clearly_until_it_is_configured() -> None:
    with pytest.raises(DeliveryError) as failure:
        channel_for("slack").send("U012AB3CD", "Disk full", "On db-1")
    assert (failure.value.reason, failure.value.permanent) == ("Slack is not configured", True)
    with pytest.raises(DeliveryError):
        channel_for("pigeon")


class RecordingSlack:
    """Stands in for Slack's servers, as the Slack app's channel would talk to them."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    def send(self, address: str, subject: str, body: str) -> None:
        self.sent.append((address, subject, body))


def test_a_configured_channel_replaces_the_null_one() -> None:
    slack = RecordingSlack()
    original = channel_for("slack")
    channels.install("slack", slack)
    try:
        channel_for("slack").send("U012AB3CD", "Disk full", "On db-1")
    finally:
        channels.install("slack", original)
    assert slack.sent == [("U012AB3CD", "Disk full", "On db-1")]
    with pytest.raises(DeliveryError):
        channel_for("slack").send("U012AB3CD", "Disk full", "On db-1")
