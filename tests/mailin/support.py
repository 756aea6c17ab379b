"""Messages as mail programs write them, and `kizuki mail-in` fed one on standard input."""

import base64
import io
import sys
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import formataddr

import pytest
from django.core.mail import EmailMessage as SentMessage
from django.core.management import call_command
from django.utils import translation

from kizuki.incidents.models import Incident
from kizuki.mailin.models import MailReport
from tests.incidents.support import row_counts


def message(
    sender: str = "rei@example.test",
    subject: str = "Checkout returns 500",
    body: str = "Customers cannot pay since 10:00.\n",
    *,
    message_id: str | None = "<report-1@mail.example.test>",
    name: str = "",
    html: str = "",
    **headers: str,
) -> bytes:
    """An English (UTF-8) message as a mail program sends it; `html` adds an HTML part, and
    with an empty `body` it is the only part."""
    mail = EmailMessage()
    mail["From"] = formataddr((name, sender)) if name else sender
    mail["To"] = "incident@kizuki.example.test"
    mail["Subject"] = subject
    if message_id:
        mail["Message-ID"] = message_id
    for header, value in headers.items():
        mail[header.replace("_", "-")] = value
    if body or not html:
        mail.set_content(body)
    if html:
        if body:
            mail.add_alternative(html, subtype="html")
        else:
            mail.set_content(html, subtype="html")
    return mail.as_bytes()


def _jis_word(text: str) -> str:
    """An RFC 2047 encoded word in ISO-2022-JP, as Japanese mail programs write headers."""
    return "=?ISO-2022-JP?B?" + base64.b64encode(text.encode("iso-2022-jp")).decode() + "?="


def japanese_message(
    sender: str = "taro@example.test",
    name: str = "山田 太郎",
    subject: str = "決済が失敗しています",
    body: str = "チェックアウトで500エラーが出ます。\n10時から発生しています。\n",
    message_id: str = "<jis-1@mail.example.test>",
) -> bytes:
    """A message the way classic Japanese mail programs send it: ISO-2022-JP, 7bit."""
    head = (
        f"From: {_jis_word(name)} <{sender}>\r\n"
        "To: incident@kizuki.example.test\r\n"
        f"Subject: {_jis_word(subject)}\r\n"
        f"Message-ID: {message_id}\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=ISO-2022-JP\r\n"
        "Content-Transfer-Encoding: 7bit\r\n"
        "\r\n"
    )
    return head.encode("ascii") + body.replace("\n", "\r\n").encode("iso-2022-jp")


MailIn = Callable[..., str]


@pytest.fixture
def mail_in(monkeypatch: pytest.MonkeyPatch) -> MailIn:
    """Runs `kizuki mail-in` with the given bytes on standard input, as an MTA pipe runs it,
    and returns what it printed (in English, so the line is predictable)."""

    def run(raw: bytes, command: str = "mail-in") -> str:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
        out = io.StringIO()
        with translation.override("en"):
            call_command(command, stdout=out, stderr=io.StringIO())
        return out.getvalue()

    return run


def counts() -> dict[str, int]:
    """Rows a filed message writes: proves a refused one wrote nothing."""
    return {**row_counts(), "MailReport": MailReport.objects.count()}


def only_incident() -> Incident:
    (incident,) = Incident.objects.all()
    return incident


def reply_to(outbox: list[SentMessage], address: str) -> SentMessage:
    """The one mail sent, checked to go to `address`."""
    assert len(outbox) == 1, [m.subject for m in outbox]
    assert outbox[0].to == [address]
    return outbox[0]
