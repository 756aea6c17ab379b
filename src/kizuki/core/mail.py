"""The e-mail backend used when no mail server is configured: mail is printed to the
console, readable (Japanese subjects and bodies decoded, not RFC 2047 or base64)."""

from email.header import decode_header, make_header
from email.message import Message

from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend

HEADERS = ("From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID")


def readable(value: str) -> str:
    """A header as people read it: `=?utf-8?b?...?=` words decoded."""
    try:
        return str(make_header(decode_header(value)))
    except (ValueError, LookupError):
        return value


def _body(part: Message) -> str:
    if part.get_content_maintype() != "text":
        name = part.get_filename() or ""
        return f"[{part.get_content_type()} {readable(name)}]".replace(" ]", "]")
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return str(part.get_payload())
    return payload.decode(part.get_content_charset() or "utf-8", errors="replace")


class ConsoleEmailBackend(EmailBackend):
    def write_message(self, message: EmailMessage) -> None:
        msg = message.message()
        lines = [f"{name}: {readable(str(msg[name]))}" for name in HEADERS if msg[name]]
        parts = [part for part in msg.walk() if not part.is_multipart()]
        for part in parts:
            if len(parts) > 1:
                lines += ["", f"--- {part.get_content_type()}"]
            lines += ["", _body(part).rstrip("\n")]
        self.stream.write("\n".join(lines) + "\n")
        self.stream.write("-" * 79 + "\n")
