"""`kizuki smtpd`'s listener, started as the command starts it, on a free loopback port, and
spoken to with smtplib as a relaying MTA would. The handler files reports in its own thread
with its own database connection, so these tests commit for real (transaction=True)."""

import smtplib
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.mail import EmailMessage as SentMessage

from kizuki.accounts.models import User
from kizuki.mailin.smtpd import start_listener
from tests.mailin.support import counts, message, only_incident, reply_to
from tests.notify.support import free_port

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def mail_settings(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"
    settings.KIZUKI_MAIL_ALLOWED_DOMAINS = frozenset({"partner.example.test"})


@pytest.fixture
def port() -> Iterator[int]:
    controller = start_listener("127.0.0.1", free_port())
    try:
        yield controller.port
    finally:
        controller.stop()


def relay(port: int, raw: bytes, mail_from: str = "rei@example.test") -> tuple[int, str]:
    """Hand one message over, as the MTA in front would; the server's answer to DATA."""
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.ehlo("mta.example.test")
        assert client.mail(mail_from)[0] == 250
        assert client.rcpt("incident@kizuki.example.test")[0] == 250
        code, text = client.data(raw)
    return code, text.decode()


def test_a_message_relayed_to_the_listener_is_filed_and_answered(
    port: int, responder: User, mailoutbox: list[SentMessage]
) -> None:
    code, text = relay(port, message(name="Rei Sato"))

    incident = only_incident()
    assert (code, text) == (250, f"2.0.0 Filed as {incident.ref}")
    assert incident.reporter == responder
    assert incident.title == "Checkout returns 500"
    assert incident.ref in reply_to(mailoutbox, "rei@example.test").subject


def test_any_recipient_is_accepted_and_a_duplicate_is_not_filed_twice(
    port: int, responder: User, mailoutbox: list[SentMessage]
) -> None:
    raw = message()
    relay(port, raw)

    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.sendmail("rei@example.test", ["sos@kizuki.example.test", "other@local"], raw)

    only_incident()
    assert len(mailoutbox) == 1


def test_a_stranger_is_refused_by_mail_not_by_a_bounce(
    port: int, mailoutbox: list[SentMessage]
) -> None:
    before = counts()

    code, text = relay(port, message("eve@elsewhere.example"), "eve@elsewhere.example")

    assert (code, text) == (250, "2.0.0 Not filed (refused)")
    assert counts() == before
    assert "not filed" in reply_to(mailoutbox, "eve@elsewhere.example").subject


def test_a_bounce_from_a_stranger_is_not_answered(port: int, mailoutbox: list[SentMessage]) -> None:
    before = counts()

    code, _text = relay(port, message("eve@elsewhere.example"), mail_from="")

    assert code == 250
    assert counts() == before
    assert mailoutbox == []


def test_when_the_reply_cannot_be_sent_the_mta_is_told_to_try_again(
    port: int, responder: User, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5

    code, text = relay(port, message())

    assert code == 451
    assert "try again later" in text
    only_incident()  # filed once; the retry only sends the thanks
