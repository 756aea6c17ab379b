"""The only write path for reports by e-mail. `kizuki mail-in` (an MTA pipe) and
`kizuki smtpd` (a local SMTP listener) both hand each message to file_mail_report.

Replies go out after the report commits, never inside the transaction. When one cannot be
sent, the Result says so and the entry points answer "try again later" (exit 75, SMTP 451):
the MTA's queue retries, the Message-ID finds the report already filed, and only the reply
is sent again. A report is filed once; the sender hears about it at least once."""

import logging
from dataclasses import dataclass
from email.utils import parseaddr
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.core import clock
from kizuki.core.errors import NotAllowed
from kizuki.incidents.actions import report_incident
from kizuki.incidents.models import Incident
from kizuki.mailin import replies
from kizuki.mailin.access import can_report_by_mail
from kizuki.mailin.models import MailReport
from kizuki.mailin.parse import ParsedMail, parse_mail

logger = logging.getLogger(__name__)


class Outcome(StrEnum):
    FILED = "filed"
    DUPLICATE = "duplicate"  # delivered before: the report it made, no second one
    REFUSED = "refused"  # the sender may not report by e-mail; nothing created
    UNREADABLE = "unreadable"  # no subject and no text; nothing created
    IGNORED = "ignored"  # an auto-reply or a bounce; nothing created, nobody answered


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    sender: str
    message_id: str
    incident: Incident | None = None
    reason: str = ""
    reply_due: bool = False  # a thank-you or a refusal should have gone out
    replied: bool = False

    @property
    def reply_failed(self) -> bool:
        return self.reply_due and not self.replied


def file_mail_report(raw: bytes) -> Result:
    """File one RFC 5322 message as an incident report, or refuse it politely."""
    mail = parse_mail(raw)
    if mail.auto_reply:
        logger.info("ignored an automatic reply from %s", mail.sender or "nobody")
        return _result(mail, Outcome.IGNORED, reason=_("an automatic reply, not a report"))
    if mail.sender and mail.sender.lower() == parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower():
        # Kizuki's own mail (a page, a reply) routed back here: answering it would loop.
        logger.info("ignored mail from Kizuki itself")
        return _result(mail, Outcome.IGNORED, reason=_("mail from Kizuki itself"))
    try:
        reporter = can_report_by_mail(mail.sender)
    except NotAllowed as refused:
        logger.info("refused mail from %s", mail.sender or "nobody")
        return _answer(mail, Outcome.REFUSED, replies.refusal(mail), reason=refused.detail)
    if mail.is_empty:
        logger.info("could not read a report in mail from %s", mail.sender)
        return _answer(
            mail,
            Outcome.UNREADABLE,
            replies.unreadable(mail, reporter),
            reason=_("its subject and its text were both empty"),
        )
    record, created = _file(mail, reporter)
    outcome = Outcome.FILED if created else Outcome.DUPLICATE
    logger.info("%s %s from %s", outcome, record.incident.ref, mail.sender)
    if record.replied_at is not None or record.sender.lower() != mail.sender.lower():
        # Thanked already; or someone else reusing the Message-ID, who learns nothing.
        return _result(mail, outcome, incident=record.incident)
    result = _answer(
        mail, outcome, replies.thank_you(mail, record.incident, reporter), record.incident
    )
    if result.replied:
        MailReport.objects.filter(pk=record.pk).update(replied_at=clock.now())
    return result


def _file(mail: ParsedMail, reporter: User | None) -> tuple[MailReport, bool]:
    """The report this message made: found by its Message-ID, or made now."""
    found = _filed(mail.message_id)
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            incident = report_incident(reporter, mail.title, _description(mail))
            record = MailReport.objects.create(
                message_id=mail.message_id,
                incident=incident,
                sender=mail.sender,
                received_at=clock.now(),
            )
    except IntegrityError:
        # The same message, delivered twice at once: the other delivery committed first
        # and this transaction (its incident included) rolled back.
        found = _filed(mail.message_id)
        if found is None:
            raise
        return found, False
    return record, True


def _filed(message_id: str) -> MailReport | None:
    return MailReport.objects.select_related("incident").filter(message_id=message_id).first()


def _description(mail: ParsedMail) -> str:
    """The text, headed by who sent it: the reporter of a stranger's report is not a user,
    and responders want to know where to write back."""
    sender = f"{mail.sender_name} <{mail.sender}>" if mail.sender_name else mail.sender
    with translation.override(settings.LANGUAGE_CODE):
        note = _("Reported by e-mail from %(sender)s.") % {"sender": sender}
    return f"{note}\n\n{mail.description}" if mail.description else note


def _answer(
    mail: ParsedMail,
    outcome: Outcome,
    reply: replies.Reply,
    incident: Incident | None = None,
    reason: str = "",
) -> Result:
    """Send the reply unless the message must not be answered (RFC 3834: automatic mail,
    or no sender address to answer)."""
    due = bool(mail.sender) and not mail.automatic
    replied = due and replies.send(reply)
    return _result(mail, outcome, incident, reason, reply_due=due, replied=replied)


def _result(
    mail: ParsedMail,
    outcome: Outcome,
    incident: Incident | None = None,
    reason: str = "",
    *,
    reply_due: bool = False,
    replied: bool = False,
) -> Result:
    return Result(
        outcome, mail.sender, mail.message_id, incident, reason, reply_due, replied=replied
    )
