"""`kizuki smtpd`: an SMTP listener (aiosmtpd) that files each message it receives as a
report, through the same action as `kizuki mail-in`. It binds to loopback by default and is
meant to sit behind the real MTA (Postfix, Exim, a relay), which faces the internet, checks
SPF/DKIM and relays the incident address here; any recipient is accepted."""

import logging

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from asgiref.sync import sync_to_async
from django.db import close_old_connections, connections

from kizuki.mailin.actions import Outcome, Result, file_mail_report

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 2525
TRY_LATER = "451 4.3.0 Kizuki could not take the message just now; try again later"


def _file(raw: bytes) -> Result:
    # This runs in a worker thread outside any request: open and close its own connection,
    # so a long-running listener never holds a stale one.
    close_old_connections()
    try:
        return file_mail_report(raw)
    finally:
        connections.close_all()


class MailInHandler:
    """aiosmtpd's handler: one report per message, answered once the report is saved."""

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: ARG002, N802 - aiosmtpd's hook name and signature
        content = envelope.original_content or b""
        if isinstance(content, str):
            content = content.encode()
        # What a delivery agent adds: the envelope sender, "<>" for bounces (never answered).
        mail_from = (envelope.mail_from or "").strip("<>")  # aiosmtpd keeps a bounce's "<>"
        raw = b"Return-Path: <%s>\r\n" % mail_from.encode() + content
        try:
            # One thread for all messages: reports are filed one at a time, as SQLite likes.
            result = await sync_to_async(_file, thread_sensitive=True)(raw)
        except Exception:
            # Never lose a report to a passing fault (the database restarting): the sending
            # MTA keeps the message and retries.
            logger.exception("filing a report from %s failed", envelope.mail_from)
            return TRY_LATER
        if result.reply_failed:
            return TRY_LATER
        if result.outcome in {Outcome.FILED, Outcome.DUPLICATE} and result.incident:
            return f"250 2.0.0 Filed as {result.incident.ref}"
        return f"250 2.0.0 Not filed ({result.outcome})"


def start_listener(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> Controller:
    """Start listening in a background thread; the caller stops it with `.stop()`. Raises
    OSError when the address cannot be bound."""
    controller = Controller(
        MailInHandler(), hostname=host, port=port, ident="Kizuki", enable_SMTPUTF8=True
    )
    controller.start()  # raises the bind error from the listener's thread
    return controller
