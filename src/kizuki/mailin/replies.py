"""The answers a sender gets: thanks with the incident number and who is being paged (or
whom to call), or a polite refusal saying how to report instead. Written in the reporter's
language when Kizuki knows it, else in KIZUKI_LANGUAGE, and sent through Django's mail
backend (KIZUKI_EMAIL_URL)."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kizuki.accounts.models import User
from kizuki.incidents import mobilisation
from kizuki.incidents.models import Incident
from kizuki.mailin.parse import ParsedMail
from kizuki.oncall import actions as oncall

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reply:
    to: str
    subject: str
    body: str
    in_reply_to: str  # the Message-ID answered, "" when it had none


def _language(user: User | None) -> str:
    return (user.language if user else "") or settings.LANGUAGE_CODE


def _report_form() -> str:
    return settings.KIZUKI_BASE_URL + reverse("incident-report")


def _reply(mail: ParsedMail, subject: str, lines: list[str]) -> Reply:
    in_reply_to = "" if mail.message_id.startswith("sha256:") else mail.message_id
    return Reply(mail.sender, subject, "\n".join(lines) + "\n", in_reply_to)


def _name(person: User) -> str:
    return person.get_full_name() or person.username


def _who_was_reached(incident: Incident, user: User | None) -> list[str]:
    """The truth about paging, as the web's thank-you page tells it: who is being paged, or
    that nobody is and whom to contact (admins' addresses only for a known user: a stranger
    from an allowed domain is not given them)."""
    reached = mobilisation.people_reached(incident)
    if reached:
        separator = pgettext("list separator", ", ")
        names = separator.join(_name(person) for person in reached)
        return [_("Paging now: %(people)s") % {"people": names}]
    if user is None:
        return [
            _(
                "Nobody is on call for this report, so nobody has been paged. Please also"
                " call the person you usually contact."
            )
        ]
    lines = [
        _(
            "Nobody is on call for this report, so nobody has been paged. Please contact an"
            " administrator directly:"
        )
    ]
    contacts = oncall.fallback_contacts()
    lines += [
        f"- {_name(person)} <{person.email}>" if person.email else f"- {_name(person)}"
        for person in contacts
    ]
    if not contacts:
        lines.append(_("No administrator is set up either: tell the people around you."))
    return lines


def thank_you(mail: ParsedMail, incident: Incident, user: User | None) -> Reply:
    with translation.override(_language(user)):
        subject = _("[%(ref)s] Thank you for your report: %(title)s") % {
            "ref": incident.ref,
            "title": incident.title,
        }
        lines = [
            _("Thank you for reporting"),
            "",
            _("Your report is %(ref)s.") % {"ref": incident.ref},
            f"{incident.ref}: {incident.title}",
            "",
            *_who_was_reached(incident, user),
        ]
        if user is not None:
            # Strangers from an allowed domain have no account to open the page with.
            link = settings.KIZUKI_BASE_URL + reverse("incident-detail", args=[incident.ref])
            lines.append(_("Follow the incident: %(url)s") % {"url": link})
        lines += ["", _("False alarms are welcome: reporting early is always the right call.")]
        return _reply(mail, subject, lines)


def refusal(mail: ParsedMail) -> Reply:
    with translation.override(_language(None)):
        lines = [
            _("Thank you for writing to Kizuki."),
            "",
            _(
                "We could not file your message as an incident report: %(address)s is not"
                " a Kizuki user, and mail from its domain cannot file reports. Nothing was"
                " filed."
            )
            % {"address": mail.sender},
            "",
            _(
                "To report a suspected incident, use the report form at %(url)s (sign in"
                " first), or ask a colleague with a Kizuki account to report it for you."
            )
            % {"url": _report_form()},
            _("False alarms are welcome: reporting early is always the right call."),
        ]
        return _reply(mail, _("Your message was not filed as an incident report"), lines)


def unreadable(mail: ParsedMail, user: User | None) -> Reply:
    with translation.override(_language(user)):
        lines = [
            _("Thank you for writing to Kizuki."),
            "",
            _(
                "We could not read a report in your message: its subject and its text were"
                " both empty. Nothing was filed."
            ),
            "",
            _(
                "Please send it again with a subject saying what seems wrong, or use the"
                " report form at %(url)s."
            )
            % {"url": _report_form()},
            _("False alarms are welcome: reporting early is always the right call."),
        ]
        return _reply(mail, _("We could not read a report in your message"), lines)


def send(reply: Reply) -> bool:
    """Hand the reply to the mail backend; False (and a log line) when that failed."""
    headers = {
        # RFC 3834: an automatic answer, so well-behaved responders do not answer it back.
        "Auto-Submitted": "auto-replied",
        "X-Auto-Response-Suppress": "All",
    }
    if reply.in_reply_to:
        headers |= {"In-Reply-To": reply.in_reply_to, "References": reply.in_reply_to}
    message = EmailMessage(reply.subject, reply.body, to=[reply.to], headers=headers)
    try:
        message.send()
    except OSError:  # smtplib's errors are OSErrors too
        logger.exception("the reply to %s could not be sent", reply.to)
        return False
    return True
