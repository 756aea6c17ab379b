"""The Slack app manifest asks for what the outbound side calls."""

from pathlib import Path
from typing import Any

import yaml

MANIFEST = Path(__file__).resolve().parents[2] / "slack" / "manifest.yml"


def test_the_manifest_grants_the_scopes_the_channel_work_needs() -> None:
    manifest: dict[str, Any] = yaml.safe_load(MANIFEST.read_text())
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    # conversations.create/invite/setTopic/archive, chat.postMessage, pins.add,
    # users.lookupByEmail, conversations.open (pages by direct message).
    assert {"channels:manage", "chat:write", "pins:write", "users:read.email", "im:write"} <= scopes
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/incident"]
    settings = manifest["settings"]
    assert settings["event_subscriptions"]["request_url"].endswith("/slack/events")
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "reaction_added",
        "message.channels",
    }
