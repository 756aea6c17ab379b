"""`kizuki mail-in` (also `kizuki mail_in`): file the RFC 5322 message on standard input as
a report. Made for an MTA pipe, e.g. a Postfix alias `incident: "|…/kizuki mail-in"`.

Exit status, as MTAs read it (sysexits.h):
  0   the message was dealt with: filed (or already filed), or refused/unreadable and the
      sender was told why by mail, or an automatic reply ignored. A refusal is not a
      bounce: the sender already has our polite answer, and a bounce to a forged sender
      would only be backscatter.
  75  EX_TEMPFAIL: the database or the reply could not be reached; the MTA keeps the
      message and tries again later, and the Message-ID stops a second report."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import Error as DatabaseError

from kizuki.mailin.actions import Outcome, Result, file_mail_report

EX_TEMPFAIL = 75


def describe(result: Result) -> str:
    """One line for the MTA's log."""
    sender = result.sender or "(no sender)"
    ref = result.incident.ref if result.incident else ""
    match result.outcome:
        case Outcome.FILED:
            text = f"Filed {ref} from {sender}."
        case Outcome.DUPLICATE:
            text = f"Already filed as {ref}: {result.message_id} from {sender}."
        case Outcome.IGNORED:
            text = f"Ignored mail from {sender}: {result.reason}."
        case _:
            text = f"Not filed, mail from {sender} {result.outcome}: {result.reason}."
    if result.reply_failed:
        text += " The reply could not be sent."
    elif result.replied:
        text += " Replied to the sender."
    return text


def _read(path: str | None) -> bytes:
    if path:
        with open(path, "rb") as source:
            return source.read()
    return sys.stdin.buffer.read()


class Command(BaseCommand):
    help = (
        "File the e-mail on standard input as an incident report (for an MTA pipe);"
        " exits 0 when handled, 75 when the MTA should try again later."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file", help="read the message from this file instead of standard input"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            raw = _read(options["file"])
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}.") from error
        if not raw.strip():
            raise CommandError("No message on standard input.")
        try:
            result = file_mail_report(raw)
        except DatabaseError as error:
            raise CommandError(
                f"Could not file the message now ({error}); try again later.",
                returncode=EX_TEMPFAIL,
            ) from error
        line = describe(result)
        if result.reply_failed:
            raise CommandError(line + " Try again later.", returncode=EX_TEMPFAIL)
        self.stdout.write(line)
