"""A real SMTP server on 127.0.0.1 that refuses the first attempts at one stage of the dialogue
(e.g. greylisting: `451 4.3.0` at RCPT) and then accepts, keeping what it accepted."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.notify.support import MailRecorder, free_port


@dataclass
class RefusingMail(MailRecorder):
    """Answers `reply` at `stage` (MAIL, RCPT or DATA) the first `times` times."""

    stage: str = "RCPT"
    reply: str = "451 4.3.0 Greylisted, try again later"
    times: int = 1
    refused: list[str] = field(default_factory=list)

    def _refuse(self, stage: str) -> bool:
        if stage == self.stage and len(self.refused) < self.times:
            self.refused.append(stage)
            return True
        return False

    async def handle_MAIL(  # noqa: N802 - aiosmtpd's hook name
        self, _server: SMTP, _session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if self._refuse("MAIL"):
            return self.reply
        envelope.mail_from, envelope.mail_options = address, list(options)
        return "250 OK"

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, _server: SMTP, _session: Session, envelope: Envelope, address: str, _options: Any
    ) -> str:
        if self._refuse("RCPT"):
            return self.reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        if self._refuse("DATA"):
            return self.reply
        return await super().handle_DATA(server, session, envelope)


@contextmanager
def refusing_smtp_server(
    settings: Any, stage: str = "RCPT", reply: str = "451 4.3.0 Greylisted", times: int = 1
) -> Iterator[RefusingMail]:
    """Start the server and point Django's mail at it; yields the handler."""
    handler = RefusingMail(stage=stage, reply=reply, times=times)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    try:
        yield handler
    finally:
        controller.stop()
