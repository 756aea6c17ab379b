"""`kizuki mail-in` as an MTA pipe runs it: one message on standard input per run. What it
filed is read back from the incidents, and what the sender was told from the mail outbox."""

from typing import Any

import pytest
from django.core.mail import EmailMessage as SentMessage
from django.core.management.base import CommandError

from kizuki.accounts.models import User
from kizuki.core.models import AuditEntry
from kizuki.incidents.models import Status, TimelineEntry
from kizuki.mailin.models import MailReport
from tests.conftest import MovableClock, make_user
from tests.mailin.support import MailIn, counts, japanese_message, message, only_incident, reply_to
from tests.notify.support import free_port

pytestmark = pytest.mark.django_db

REPORT_FORM = "http://kizuki.example.test/report/"


@pytest.fixture(autouse=True)
def mail_settings(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"
    settings.KIZUKI_BASE_URL = "http://kizuki.example.test"
    settings.KIZUKI_MAIL_ALLOWED_DOMAINS = frozenset({"partner.example.test"})


def test_a_known_user_files_a_report_and_is_thanked_with_its_number(
    mail_in: MailIn, responder: User, mailoutbox: list[SentMessage], frozen_clock: MovableClock
) -> None:
    out = mail_in(message("REI@Example.Test", name="Rei Sato"))

    incident = only_incident()
    assert out == f"Filed {incident.ref} from REI@Example.Test. Replied to the sender.\n"
    assert incident.reporter == responder
    assert incident.status == Status.REPORTED
    assert incident.title == "Checkout returns 500"
    assert incident.description == (
        "Reported by e-mail from Rei Sato <REI@Example.Test>.\n\nCustomers cannot pay since 10:00."
    )
    # Filed through the incidents' own write path: timeline and audit like any report.
    assert list(TimelineEntry.objects.values_list("event", "author")) == [
        ("reported", responder.pk)
    ]
    assert AuditEntry.objects.filter(action="incident.report", actor=responder).count() == 1
    record = MailReport.objects.get()
    assert (record.incident, record.sender) == (incident, "REI@Example.Test")
    assert record.received_at == record.replied_at == frozen_clock.now

    thanks = reply_to(mailoutbox, "REI@Example.Test")
    assert thanks.subject == f"[{incident.ref}] Thank you for your report: Checkout returns 500"
    assert f"Your report is {incident.ref}." in thanks.body
    assert "The responders have it now" not in thanks.body  # nobody is on call: see test_replies
    assert "so nobody has been paged" in thanks.body
    assert f"http://kizuki.example.test/incidents/{incident.ref}/" in thanks.body
    assert "False alarms are welcome" in thanks.body
    assert thanks.extra_headers["In-Reply-To"] == "<report-1@mail.example.test>"
    assert thanks.extra_headers["Auto-Submitted"] == "auto-replied"


def test_the_thanks_is_in_the_reporters_language(
    mail_in: MailIn, mailoutbox: list[SentMessage]
) -> None:
    taro = make_user("taro", "viewer")
    taro.language = "ja"
    taro.save()

    mail_in(japanese_message())

    incident = only_incident()
    assert incident.reporter == taro
    assert incident.title == "決済が失敗しています"
    assert "チェックアウトで500エラーが出ます。" in incident.description
    thanks = reply_to(mailoutbox, "taro@example.test")
    assert f"{incident.ref}: 決済が失敗しています" in thanks.body
    # From the catalogue the web's thank-you page already uses.
    assert "誤報でも大丈夫です" in thanks.body


def test_a_stranger_from_an_allowed_domain_files_a_report_without_a_reporter(
    mail_in: MailIn, mailoutbox: list[SentMessage]
) -> None:
    mail_in(message("ken@Partner.Example.Test", name="Ken"))

    incident = only_incident()
    assert incident.reporter is None
    assert "Reported by e-mail from Ken <ken@Partner.Example.Test>." in incident.description
    thanks = reply_to(mailoutbox, "ken@Partner.Example.Test")
    assert incident.ref in thanks.subject
    assert "False alarms are welcome" in thanks.body
    assert "/incidents/" not in thanks.body  # no account to open the page with


def test_a_stranger_is_refused_politely_and_nothing_is_created(
    mail_in: MailIn, responder: User, mailoutbox: list[SentMessage]
) -> None:
    before = counts()

    out = mail_in(message("eve@elsewhere.example"))

    assert counts() == before
    assert out.startswith("Not filed, mail from eve@elsewhere.example refused: ")
    refusal = reply_to(mailoutbox, "eve@elsewhere.example")
    assert refusal.subject == "Your message was not filed as an incident report"
    assert "Thank you for writing to Kizuki." in refusal.body
    assert "Nothing was filed." in refusal.body
    assert REPORT_FORM in refusal.body
    assert refusal.extra_headers["Auto-Submitted"] == "auto-replied"


def test_a_stranger_is_answered_in_the_installations_language(
    mail_in: MailIn, settings: Any, mailoutbox: list[SentMessage]
) -> None:
    settings.LANGUAGE_CODE = "ja"  # KIZUKI_LANGUAGE

    mail_in(message("eve@elsewhere.example"))

    assert "誤報でも大丈夫です" in reply_to(mailoutbox, "eve@elsewhere.example").body


def test_an_inactive_users_address_is_refused(
    mail_in: MailIn, responder: User, mailoutbox: list[SentMessage]
) -> None:
    responder.is_active = False
    responder.save()
    before = counts()

    mail_in(message())

    assert counts() == before
    assert "not filed" in reply_to(mailoutbox, "rei@example.test").subject


def test_a_redelivered_message_makes_one_report_and_one_thanks(
    mail_in: MailIn, responder: User, mailoutbox: list[SentMessage]
) -> None:
    raw = message()
    mail_in(raw)

    again = mail_in(raw)

    incident = only_incident()
    assert again == (
        f"Already filed as {incident.ref}: <report-1@mail.example.test> from rei@example.test.\n"
    )
    assert MailReport.objects.count() == 1
    assert len(mailoutbox) == 1


def test_a_message_without_message_id_is_recognised_when_redelivered(
    mail_in: MailIn, responder: User, mailoutbox: list[SentMessage]
) -> None:
    raw = message(message_id=None)

    mail_in(raw)
    mail_in(raw)

    only_incident()
    assert MailReport.objects.get().message_id.startswith("sha256:")


def test_someone_else_reusing_a_message_id_learns_nothing(
    mail_in: MailIn, responder: User, mailoutbox: list[SentMessage]
) -> None:
    mail_in(message())
    mailoutbox.clear()

    mail_in(message("ken@partner.example.test", "Different"))

    assert only_incident().title == "Checkout returns 500"
    assert mailoutbox == []


def test_an_empty_message_is_answered_and_nothing_is_created(
    mail_in: MailIn, responder: User, mailoutbox: list[SentMessage]
) -> None:
    before = counts()

    out = mail_in(message(subject="", body=""))

    assert counts() == before
    assert out.startswith("Not filed, mail from rei@example.test unreadable: ")
    answer = reply_to(mailoutbox, "rei@example.test")
    assert answer.subject == "We could not read a report in your message"
    assert "its subject and its text were both empty" in answer.body
    assert REPORT_FORM in answer.body


def test_an_auto_reply_is_ignored_and_not_answered(
    mail_in: MailIn, responder: User, mailoutbox: list[SentMessage]
) -> None:
    before = counts()

    out = mail_in(message(subject="Out of office", X_Autoreply="yes"))

    assert out.startswith("Ignored mail from rei@example.test")
    assert counts() == before
    assert mailoutbox == []


def test_kizukis_own_mail_routed_back_is_ignored(
    mail_in: MailIn, settings: Any, mailoutbox: list[SentMessage]
) -> None:
    settings.DEFAULT_FROM_EMAIL = "Kizuki <Kizuki@Example.Test>"  # KIZUKI_EMAIL_FROM
    before = counts()

    out = mail_in(message("kizuki@example.test", "You are paged"))

    assert out.startswith("Ignored mail from kizuki@example.test")
    assert counts() == before
    assert mailoutbox == []


def test_mail_from_a_machine_is_filed_but_not_answered(
    mail_in: MailIn, responder: User, mailoutbox: list[SentMessage]
) -> None:
    mail_in(message(Auto_Submitted="auto-generated"))

    assert only_incident().reporter == responder
    assert mailoutbox == []
    assert MailReport.objects.get().replied_at is None


def test_a_refused_bounce_is_not_answered(mail_in: MailIn, mailoutbox: list[SentMessage]) -> None:
    before = counts()

    mail_in(b"Return-Path: <>\r\n" + message("eve@elsewhere.example"))

    assert counts() == before
    assert mailoutbox == []


def test_when_the_reply_cannot_be_sent_the_mta_retries_and_only_the_reply_is_repeated(
    mail_in: MailIn, responder: User, settings: Any, mailoutbox: list[SentMessage]
) -> None:
    # A real SMTP backend pointed at a loopback port nobody listens on.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5
    raw = message()

    with pytest.raises(CommandError) as failed:
        mail_in(raw)

    assert failed.value.returncode == 75  # EX_TEMPFAIL: the MTA keeps the message
    assert "The reply could not be sent. Try again later." in str(failed.value)
    incident = only_incident()
    assert MailReport.objects.get().replied_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = mail_in(raw)

    assert out.startswith(f"Already filed as {incident.ref}")
    assert out.endswith("Replied to the sender.\n")
    only_incident()
    assert incident.ref in reply_to(mailoutbox, "rei@example.test").subject
    assert MailReport.objects.get().replied_at is not None


def test_mail_in_with_an_underscore_is_the_same_command(
    mail_in: MailIn, responder: User, mailoutbox: list[SentMessage]
) -> None:
    out = mail_in(message(), command="mail_in")

    assert out.startswith(f"Filed {only_incident().ref}")


def test_nothing_on_standard_input_is_an_error(mail_in: MailIn) -> None:
    with pytest.raises(CommandError, match="No message on standard input"):
        mail_in(b"")
