"""The Slack app (slack_bolt): one App with every inbound handler, shared by the HTTP endpoint
(`POST /slack/events`) and Socket Mode (`kizuki slack_socket`).

Handlers run before the answer goes back (`process_before_response`), in the request's own
thread and database connection, so what Slack is told is what happened. The App is built on
first use from the settings of the moment and kept while they stay the same."""

import logging
import threading
from collections.abc import Callable

from django.conf import settings
from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk import WebClient

from kizuki.chat import capture, commands, hotline, report_modal

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
_current: dict[tuple[str, str, str], App] = {}
_lock = threading.Lock()


def inbound_configured() -> bool:
    """Slack can reach Kizuki: a bot token to answer with and a secret to check requests."""
    return bool(settings.KIZUKI_SLACK_BOT_TOKEN and settings.KIZUKI_SLACK_SIGNING_SECRET)


def skip_timeout_retries(
    req: BoltRequest,
    resp: BoltResponse,  # noqa: ARG001 - bolt's middleware signature
    next: Callable[[], BoltResponse],
) -> BoltResponse:
    """Slack resends an event it thinks we missed. One we were merely slow to answer has been
    handled already: acknowledge it and do nothing twice (no second hotline offer)."""
    retry_reason = (req.headers.get("x-slack-retry-reason") or [""])[0]
    if retry_reason == "http_timeout":
        return BoltResponse(status=200, body="")
    return next()


def build_app(token: str, signing_secret: str, api_url: str) -> App:
    client = WebClient(token=token, base_url=api_url.rstrip("/") + "/", timeout=TIMEOUT_SECONDS)
    app = App(
        signing_secret=signing_secret,
        client=client,
        process_before_response=True,
        # auth.test happens on the first request rather than at import or start-up.
        token_verification_enabled=False,
        logger=logger,
    )
    app.middleware(skip_timeout_retries)
    for module in (commands, report_modal, capture, hotline):
        module.register(app)
    return app


def slack_app() -> App:
    """The App for the current settings (built once per token, secret and API URL)."""
    key = (
        settings.KIZUKI_SLACK_BOT_TOKEN,
        settings.KIZUKI_SLACK_SIGNING_SECRET,
        settings.KIZUKI_SLACK_API_URL,
    )
    with _lock:
        if key not in _current:
            # Settings changed (or first use): the old App goes, the new one takes its place.
            _current.clear()
            _current[key] = build_app(*key)
        return _current[key]
