"""Read one RFC 5322 (RFC 822) message into what a report needs: who sent it, a title, a
description and the Message-ID. Pure functions over the standard library's `email`."""

import hashlib
import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.message import EmailMessage, MIMEPart
from html.parser import HTMLParser

TITLE_LIMIT = 200  # Incident.title's max_length
DESCRIPTION_LIMIT = 20_000  # a report, not an archive: long threads are cut here
SIGNATURE_LINES = 10  # at most this many lines after "-- " are taken for a signature
MESSAGE_ID_LIMIT = 255  # MailReport.message_id's max_length; longer ones are hashed

# RFC 3834: anything but "no" is automatic mail, which must never be answered automatically.
# Precedence is the older convention for the same (lists, vacation replies).
_AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
_DAEMONS = {"mailer-daemon", "postmaster", "noreply", "no-reply"}
# "On Tue, Rei <rei@example.test> wrote:" / "2026年11月25日(火) Rei <rei@example.test>:"
_ATTRIBUTION = re.compile(r".*(wrote|書きました|@\S+>?)\s*[:\uff1a]$", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedMail:
    sender: str  # the From address (addr-spec), "" when there is none to read
    sender_name: str
    title: str  # the subject, or the first line of the text when the subject is empty
    description: str  # the text, without the quoted reply and the signature
    message_id: str  # as sent, or a digest of the message when it has none
    automatic: bool  # a bounce or an auto-reply: never answer it (RFC 3834)
    auto_reply: bool  # an out-of-office or vacation reply: not a report at all

    @property
    def is_empty(self) -> bool:
        return not self.title and not self.description

    @property
    def sender_domain(self) -> str:
        return self.sender.rpartition("@")[2].lower() if "@" in self.sender else ""


def parse_mail(raw: bytes) -> ParsedMail:
    """Parse the bytes an MTA hands over (an mbox "From " line first is fine)."""
    message = message_from_bytes(raw, policy=policy.default)
    sender, sender_name = _sender(message)
    subject = _one_line(str(message.get("Subject", "") or ""))
    description = _clean_text(_body(message))
    title = subject or _first_line(description)
    if len(title) > TITLE_LIMIT:
        title = title[: TITLE_LIMIT - 1] + "…"
    if len(description) > DESCRIPTION_LIMIT:
        description = description[: DESCRIPTION_LIMIT - 1] + "…"
    auto_submitted = str(message.get("Auto-Submitted", "no")).strip().lower()
    auto_reply = (
        auto_submitted.startswith("auto-replied")
        or message.get_content_type() == "multipart/report"  # a delivery status notification
        or any(message.get(name) for name in ("X-Autoreply", "X-Autorespond"))
    )
    automatic = (
        auto_reply
        or auto_submitted not in {"", "no"}
        or str(message.get("Precedence", "")).strip().lower() in _AUTOMATIC_PRECEDENCE
        or str(message.get("Return-Path", "")).strip() == "<>"
        or sender.partition("@")[0].lower() in _DAEMONS
    )
    return ParsedMail(
        sender=sender,
        sender_name=sender_name,
        title=title,
        description=description,
        message_id=_message_id(message, raw),
        automatic=automatic,
        auto_reply=auto_reply,
    )


def _sender(message: EmailMessage) -> tuple[str, str]:
    header = message.get("From")
    addresses: tuple[Address, ...] = getattr(header, "addresses", ())
    for address in addresses:
        if address.username and address.domain:
            return address.addr_spec, address.display_name
    return "", ""


def _message_id(message: EmailMessage, raw: bytes) -> str:
    value = _one_line(str(message.get("Message-ID", "") or ""))
    if not value:
        # A re-delivery hands over the same bytes, so their digest recognises it too.
        return "sha256:" + hashlib.sha256(raw).hexdigest()
    if len(value) > MESSAGE_ID_LIMIT:
        return "sha256:" + hashlib.sha256(value.encode()).hexdigest()
    return value


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _first_line(text: str) -> str:
    return next((_one_line(line) for line in text.splitlines() if line.strip()), "")


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = _decoded(part)
    return html_to_text(text) if part.get_content_type() == "text/html" else text


def _decoded(part: MIMEPart) -> str:
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):
        # An unknown or wrong charset: keep what can be read rather than refuse the report.
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""


def _clean_text(text: str) -> str:
    """Tidy whitespace; drop the signature after RFC 3676's "-- " line, and a quoted message
    at the end when a reply line ("… wrote:") introduces it. Anything else is kept: a report
    loses nothing to a guess."""
    lines = text.replace("\r\n", "\n").split("\n")
    if "-- " in lines:
        delimiter = len(lines) - 1 - lines[::-1].index("-- ")
        if len(lines) - delimiter <= SIGNATURE_LINES:  # longer is more than a signature
            lines = lines[:delimiter]
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    quote = end
    while quote and (lines[quote - 1].startswith(">") or not lines[quote - 1].strip()):
        quote -= 1
    if quote < end and quote and _ATTRIBUTION.match(lines[quote - 1].strip()):
        lines = lines[: quote - 1]
    tidy = "\n".join(line.rstrip() for line in lines)
    return re.sub(r"\n{3,}", "\n\n", tidy).strip()


class _TextExtractor(HTMLParser):
    _LINES = frozenset({"br", "div", "li", "tr"})  # start a new line
    _PARAGRAPHS = frozenset(
        {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table", "ul", "ol", "blockquote"}
    )  # stand apart, with a blank line around them
    _SKIPPED = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002 - HTMLParser's signature
        if tag in self._SKIPPED:
            self._skipping += 1
        elif tag in self._LINES:
            self.parts.append("\n")
        elif tag in self._PARAGRAPHS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._PARAGRAPHS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The readable text of an HTML mail: tags dropped, blocks on their own lines."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = (" ".join(line.split()) for line in "".join(extractor.parts).splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
