"""Keep secrets that travel in URL paths out of logs: alert senders' integration tokens
(`/api/v1/integrations/<token>/<kind>`) and calendar feed secrets (`/calendar/<token>.ics`).
The access log and Django's request warnings would otherwise write them down for anyone who
reads the logs."""

import logging
import os
import re
from typing import Any

from gunicorn.glogging import Logger  # type: ignore[import-untyped]

from kizuki.core.request_log import JsonFormatter

_TOKEN_IN_PATH = re.compile(r"(/integrations/|/calendar/)[^/?#\s\"]+")
REDACTED = "[redacted]"
_JSON = JsonFormatter()


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

    def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
        """With KIZUKI_LOG_FORMAT=json, one JSON object per request, with its request id."""
        if os.environ.get("KIZUKI_LOG_FORMAT") != "json":
            super().access(resp, req, environ, request_time)
            return
        if not self.access_log_enabled:
            return
        atoms = self.atoms_wrapper_class(self.atoms(resp, req, environ, request_time))
        # Every other log line's shape (time, level, logger, message, request_id), and the
        # request's own fields after it.
        record = logging.LogRecord("gunicorn.access", logging.INFO, "", 0, atoms["r"], None, None)
        record.__dict__.update(
            request_id=atoms["{x-request-id}o"],
            remote=atoms["h"],
            method=atoms["m"],
            path=atoms["U"],
            status=atoms["s"],
            bytes=atoms["B"],
            duration_ms=round(request_time.total_seconds() * 1000, 1),
        )
        self.access_log.info(_JSON.format(record))


class RedactTokensFilter(logging.Filter):
    """For Django's own log lines ("Not Found: /api/v1/integrations/<token>/…")."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
