"""`POST /slack/events`: every request Slack sends (events, slash commands, interactivity).

slack_bolt checks the signature (v0 HMAC-SHA256 with KIZUKI_SLACK_SIGNING_SECRET, at most
five minutes old) and answers 401 to anything else; without Slack settings the endpoint
answers 503 and does nothing."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from slack_bolt import App
from slack_bolt.adapter.django import SlackRequestHandler

from kizuki.chat.bolt_app import inbound_configured, slack_app

_handlers: list[SlackRequestHandler] = []


def _handler(app: App) -> SlackRequestHandler:
    """The adapter for the current App (it adjusts the App once, so it is kept with it)."""
    if not _handlers or _handlers[0].app is not app:
        _handlers[:] = [SlackRequestHandler(app)]
    return _handlers[0]


@csrf_exempt  # Slack cannot send a CSRF token; the request signature stands in for it.
@require_POST
def slack_events(request: HttpRequest) -> HttpResponse:
    if not inbound_configured():
        detail = _(
            "Slack is not configured: set KIZUKI_SLACK_BOT_TOKEN and KIZUKI_SLACK_SIGNING_SECRET."
        )
        return JsonResponse({"detail": detail, "code": "unavailable"}, status=503)
    return _handler(slack_app()).handle(request)
