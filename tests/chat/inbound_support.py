"""Talking to Kizuki the way Slack does: signed slash commands, interactions and events
POSTed to /slack/events, while the Slack Web API is the recording stub.

Bolt checks X-Slack-Request-Timestamp against the real time (at most five minutes apart),
so requests are signed with the real time, not Kizuki's movable clock."""

import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.test import Client

from kizuki.chat.models import IncidentChannel
from kizuki.core import clock
from kizuki.incidents.queries import get_incident
from tests.chat import stub as slack_stub_module
from tests.chat.stub import TEAM_ID, SlackStub
from tests.chat.stub_methods import Workspace

URL = "/slack/events"
_events = itertools.count(1)


def _conversations_list(stub: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    """conversations.list, one page: the stub's channels (a hotline given by name is looked
    up with it). Added here, beside the stub, until stub.py answers it itself."""
    archived = str(params.get("exclude_archived", "")).lower() in {"1", "true"}
    channels = [
        c.as_json() for c in stub.channels.values() if not c.is_im and not (archived and c.archived)
    ]
    return {"channels": channels, "response_metadata": {"next_cursor": ""}}


slack_stub_module._METHODS.setdefault("conversations.list", _conversations_list)


def signature(secret: str, body: bytes, timestamp: int) -> dict[str, str]:
    """Slack's v0 signature: HMAC-SHA256 over "v0:{timestamp}:{body}" with the signing secret."""
    base = f"v0:{timestamp}:".encode() + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": f"v0={digest}"}


@dataclass
class Slack:
    """Slack's side of the conversation: sends what Slack sends, signed with the secret."""

    stub: SlackStub
    client: Client = field(default_factory=Client)
    triggers: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        secret: str = "",
        age: int = 0,
        headers: dict[str, str] | None = None,
    ) -> Any:
        """POST to /slack/events signed with `secret` (default: the right one), `age` s ago."""
        signed = signature(secret or self.stub.signing_secret, body, int(time.time()) - age)
        return self.client.post(URL, body, content_type, headers={**signed, **(headers or {})})

    def form(self, fields: dict[str, str], **kwargs: Any) -> Any:
        return self.post(urlencode(fields).encode(), "application/x-www-form-urlencoded", **kwargs)

    def command(self, text: str, user: str, channel: str, **kwargs: Any) -> Any:
        fields = {
            "token": "deprecated-verification-token",
            "team_id": TEAM_ID,
            "team_domain": "kizuki-test",
            "channel_id": channel,
            "channel_name": "somewhere",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/incident",
            "text": text,
            "api_app_id": "A0KIZUKI",
            "response_url": "http://127.0.0.1:9/commands/response",
            "trigger_id": f"trigger-{next(self.triggers)}",
        }
        return self.form(fields, **kwargs)

    def interaction(self, payload: dict[str, Any]) -> Any:
        team = {"id": TEAM_ID, "domain": "kizuki-test"}
        full = {"team": team, "api_app_id": "A0KIZUKI", "token": "deprecated", **payload}
        return self.form({"payload": json.dumps(full)})

    def event(self, event: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
        body = {
            "token": "deprecated-verification-token",
            "team_id": TEAM_ID,
            "api_app_id": "A0KIZUKI",
            "type": "event_callback",
            "event_id": f"Ev{next(_events):08d}",
            "event_time": int(time.time()),
            "event": event,
        }
        return self.post(json.dumps(body).encode(), "application/json", headers=headers)


def ephemeral(response: Any) -> str:
    """The text of the (ephemeral) answer to a slash command."""
    assert response.status_code == 200, response.content
    body = response.json()
    assert body.get("response_type") == "ephemeral", body
    return str(body["text"])


def incident_channel(stub: SlackStub, ref: str, name: str = "incident_20261125_checkout") -> str:
    """The incident's Slack channel, as the outbound side records it once it made one."""
    channel_id = stub.add_channel(name)
    IncidentChannel.objects.create(
        incident=get_incident(ref), channel_id=channel_id, name=name, created_at=clock.now()
    )
    return channel_id
