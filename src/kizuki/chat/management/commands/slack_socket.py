"""`kizuki slack_socket`: the same Slack app over Socket Mode, for a Kizuki that Slack cannot
reach over HTTP (behind a firewall). Slack holds a websocket open to this process and sends
every event, command and click down it; the handlers are the ones `POST /slack/events` runs.

Not covered by the tests: Socket Mode needs Slack's websocket service (apps.connections.open
hands out a wss:// URL), which the local Slack stub does not provide."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.adapter.socket_mode import SocketModeHandler

from kizuki.chat.bolt_app import build_app


def fresh_connections(
    req: BoltRequest,  # noqa: ARG001 - bolt's middleware signature
    resp: BoltResponse,  # noqa: ARG001 - bolt's middleware signature
    next: Callable[[], BoltResponse],
) -> BoltResponse:
    """Socket Mode runs handlers in its own threads, outside Django's request cycle: drop
    database connections that went stale between messages, as Django does per request."""
    close_old_connections()
    try:
        return next()
    finally:
        close_old_connections()


class Command(BaseCommand):
    help = "Connect to Slack in Socket Mode (KIZUKI_SLACK_APP_TOKEN) and handle what it sends."

    def handle(self, *args: Any, **options: Any) -> None:
        token, app_token = settings.KIZUKI_SLACK_BOT_TOKEN, settings.KIZUKI_SLACK_APP_TOKEN
        if not token or not app_token:
            raise CommandError(
                "Socket Mode needs KIZUKI_SLACK_BOT_TOKEN (xoxb-…)"
                " and KIZUKI_SLACK_APP_TOKEN (xapp-…)."
            )
        # Socket Mode messages are not signed: the app-level token authenticates the socket.
        app = build_app(token, settings.KIZUKI_SLACK_SIGNING_SECRET, settings.KIZUKI_SLACK_API_URL)
        app.middleware(fresh_connections)
        self.stdout.write("Connecting to Slack in Socket Mode; Ctrl-C stops.")
        SocketModeHandler(app, app_token).start()  # type: ignore[no-untyped-call]  # bolt's
