"""Copying Slack messages into the timeline: the "Add to timeline" message shortcut and the
📌 reaction, each keeping the message's own time and author."""

from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.cache import cache

from kizuki.accounts.models import User
from tests.chat.inbound_support import Slack, incident_channel
from tests.chat.stub import SlackStub
from tests.conftest import Api, MovableClock
from tests.incidents.support import incident_in, row_counts

WRITTEN_TS = "1764030000.123456"
# The API gives times to the millisecond.
WRITTEN_AT = datetime(2025, 11, 25, 0, 20, 0, 123000, tzinfo=UTC)


@pytest.fixture
def slack(slack_stub: SlackStub, settings: Any, frozen_clock: MovableClock, admin: User) -> Slack:
    cache.clear()  # Slack profiles and hotline claims from earlier tests (same ids, new stub)
    settings.LANGUAGE_CODE = "en"
    slack_stub.add_user("U0REI", "rei@example.test", "rei")
    slack_stub.add_user("U0VERA", "vera@example.test", "vera")
    slack_stub.add_user("U0AKI", "aki@example.test", "aki")
    return Slack(slack_stub)


@pytest.fixture
def incident(responder_api: Api, viewer: User) -> str:
    return incident_in(responder_api, "declared")


def notes(api: Api, ref: str) -> list[dict[str, Any]]:
    timeline = api.get(f"/incidents/{ref}/timeline").json()
    return [entry for entry in timeline if entry["kind"] == "note"]


def shortcut(channel: str, user: str, message: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "message_action",
        "callback_id": "kizuki_add_to_timeline",
        "trigger_id": "trigger-9",
        "response_url": "http://127.0.0.1:9/response",
        "user": {"id": user, "name": user.lower()},
        "channel": {"id": channel, "name": "incident"},
        "message_ts": message["ts"],
        "message": message,
    }


def pin(channel: str, user: str, ts: str, reaction: str = "pushpin") -> dict[str, Any]:
    return {
        "type": "reaction_added",
        "user": user,
        "reaction": reaction,
        "item_user": "U0AKI",
        "item": {"type": "message", "channel": channel, "ts": ts},
        "event_ts": "1764032500.000100",
    }


def test_the_shortcut_copies_a_message_with_its_time_and_author(
    slack: Slack, incident: str, responder_api: Api
) -> None:
    channel = incident_channel(slack.stub, incident)
    message = {
        "type": "message",
        "user": "U0AKI",
        "ts": WRITTEN_TS,
        "text": "db failover &gt; done",
    }
    response = slack.interaction(shortcut(channel, "U0REI", message))
    assert response.status_code == 200

    [note] = notes(responder_api, incident)
    assert note["text"] == "aki: db failover > done"
    assert datetime.fromisoformat(note["occurred_at"]) == WRITTEN_AT
    assert note["author"] == "rei"  # who copied it
    [told] = slack.stub.calls_to("chat.postEphemeral")
    assert (told["channel"], told["user"]) == (channel, "U0REI")
    assert told["text"] == f"Added to the timeline of {incident}, at the time it was written."


def test_the_shortcut_outside_an_incident_channel_explains(
    slack: Slack, incident: str, responder_api: Api
) -> None:
    general = slack.stub.add_channel("general")
    before = row_counts()
    message = {"type": "message", "user": "U0AKI", "ts": WRITTEN_TS, "text": "hello"}
    slack.interaction(shortcut(general, "U0REI", message))
    assert row_counts() == before
    [told] = slack.stub.calls_to("chat.postEphemeral")
    assert told["text"].startswith(":warning: This channel belongs to no incident")


def test_the_pin_reaction_fetches_the_message_and_copies_it(
    slack: Slack, incident: str, responder_api: Api
) -> None:
    channel = incident_channel(slack.stub, incident)
    slack.stub.add_message(channel, "error rate back to 0.1%", user="U0AKI", ts=WRITTEN_TS)
    assert slack.event(pin(channel, "U0REI", WRITTEN_TS)).status_code == 200

    [history] = slack.stub.calls_to("conversations.history")
    assert (history["channel"], history["latest"], history["limit"]) == (channel, WRITTEN_TS, "1")
    assert history["inclusive"] in {"1", "true", True}
    [note] = notes(responder_api, incident)
    assert note["text"] == "aki: error rate back to 0.1%"
    assert datetime.fromisoformat(note["occurred_at"]) == WRITTEN_AT

    # Pinned again (by someone else, or twice): still one entry.
    slack.event(pin(channel, "U0AKI", WRITTEN_TS))
    assert len(notes(responder_api, incident)) == 1
    told = slack.stub.calls_to("chat.postEphemeral")[-1]
    assert told["text"] == f"This message is already on the timeline of {incident}."


def test_a_pinned_reply_in_a_thread_is_found_too(
    slack: Slack, incident: str, responder_api: Api
) -> None:
    channel = incident_channel(slack.stub, incident)
    parent = slack.stub.add_message(channel, "what do we know?", user="U0REI")
    slack.stub.add_message(
        channel, "cache nodes OOM", user="U0AKI", ts=WRITTEN_TS, thread_ts=parent
    )
    slack.event(pin(channel, "U0REI", WRITTEN_TS))
    assert {"conversations.history", "conversations.replies"} <= set(slack.stub.methods())
    [note] = notes(responder_api, incident)
    assert note["text"] == "aki: cache nodes OOM"
    assert datetime.fromisoformat(note["occurred_at"]) == WRITTEN_AT


def test_other_reactions_and_pins_elsewhere_are_left_alone(
    slack: Slack, incident: str, settings: Any
) -> None:
    channel = incident_channel(slack.stub, incident)
    general = slack.stub.add_channel("general")
    slack.stub.add_message(channel, "hi", user="U0AKI", ts=WRITTEN_TS)
    slack.stub.add_message(general, "lunch?", user="U0AKI", ts="1764030001.000001")
    before = row_counts()
    assert slack.event(pin(channel, "U0REI", WRITTEN_TS, reaction="eyes")).status_code == 200
    assert slack.event(pin(general, "U0REI", "1764030001.000001")).status_code == 200
    assert row_counts() == before
    assert set(slack.stub.methods()) <= {"auth.test"}  # bolt's own check of its token

    settings.KIZUKI_SLACK_PIN_REACTION = ":memo:"
    slack.event(pin(channel, "U0REI", WRITTEN_TS, reaction="memo"))
    assert row_counts() != before


def test_someone_not_on_the_incident_cannot_copy(
    slack: Slack, incident: str, responder_api: Api
) -> None:
    channel = incident_channel(slack.stub, incident)
    slack.stub.add_message(channel, "I think it is DNS", user="U0AKI", ts=WRITTEN_TS)
    before = row_counts()
    slack.event(pin(channel, "U0VERA", WRITTEN_TS))
    assert row_counts() == before
    [told] = slack.stub.calls_to("chat.postEphemeral")
    assert told["user"] == "U0VERA"
    assert told["text"] == (
        ":warning: Only responders and people on this incident can add to its timeline."
    )
