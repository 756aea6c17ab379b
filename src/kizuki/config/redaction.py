"""Keep secrets that travel in URL paths out of logs: alert senders' integration tokens
(`/api/v1/integrations/<token>/<kind>`) and calendar feed secrets (`/calendar/<token>.ics`).
The access log and Django's request warnings would otherwise write them down for anyone who
reads the logs."""

import logging
import re
from typing import Any

from gunicorn.glogging import Logger  # type: ignore[import-untyped]

_TOKEN_IN_PATH = re.compile(r"(/integrations/|/calendar/)[^/?#\s\"]+")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    return _TOKEN_IN_PATH.sub(rf"\g<1>{REDACTED}", text)


class RedactingAccessLogger(Logger):  # type: ignore[misc]  # gunicorn ships no type hints
    """gunicorn's logger, with tokens taken out of every value the access log can print
    (`--logger-class kizuki.config.redaction.RedactingAccessLogger`)."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }


class RedactTokensFilter(logging.Filter):
    """For Django's own log lines ("Not Found: /api/v1/integrations/<token>/…")."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
