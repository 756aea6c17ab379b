"""The hotline channel: "when in doubt, post it there". A message gets a "Report this" button,
one click files it as a report, and the writer is thanked — false alarms are welcome."""

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from kizuki.accounts.models import User
from kizuki.stakeholders.actions import subscribe
from tests.chat.inbound_support import Slack, ephemeral
from tests.chat.stub import BOT_ID, BOT_USER_ID, SlackStub
from tests.conftest import Api, MovableClock
from tests.incidents.support import row_counts
from tests.jobs import run_worker


@pytest.fixture
def slack(slack_stub: SlackStub, settings: Any, responder: User, viewer: User) -> Slack:
    cache.clear()  # Slack profiles and hotline claims from earlier tests (same ids, new stub)
    settings.LANGUAGE_CODE = "en"
    slack_stub.add_user("U0REI", "rei@example.test", "rei")
    slack_stub.add_user("U0VERA", "vera@example.test", "vera")
    slack_stub.add_user("U0GUEST", "guest@elsewhere.test", "guest")
    settings.KIZUKI_SLACK_HOTLINE_CHANNEL = slack_stub.add_channel("hotline")
    return Slack(slack_stub)


def hotline(slack: Slack) -> str:
    return str(slack.stub.channel_named("hotline").id)


def write(slack: Slack, user: str, text: str, **extra: Any) -> tuple[str, Any]:
    """Someone posts in the hotline; Slack stores it and sends us the message event."""
    channel = str(extra.pop("channel", hotline(slack)))
    ts = slack.stub.add_message(channel, text, user=user, thread_ts=extra.get("thread_ts", ""))
    event = {"type": "message", "channel": channel, "user": user, "text": text, "ts": ts}
    event.update({"channel_type": "channel", "event_ts": ts, **extra})
    return ts, slack.event(event)


def click(slack: Slack, user: str, offer: dict[str, Any]) -> Any:
    """Someone clicks the offer's button; Slack sends the click with the message it is on."""
    [button] = next(b for b in offer["blocks"] if b["type"] == "actions")["elements"]
    bot_message = {
        "type": "message",
        "ts": offer["ts"],
        "thread_ts": offer["thread_ts"],
        "bot_id": BOT_ID,
        "user": BOT_USER_ID,
        "text": offer["text"],
        "blocks": offer["blocks"],
    }
    action = {
        "type": "button",
        "action_id": button["action_id"],
        "block_id": "offer",
        "value": button["value"],
        "action_ts": "1764032600.000001",
    }
    return slack.interaction(
        {
            "type": "block_actions",
            "user": {"id": user, "username": user.lower()},
            "channel": {"id": offer["channel"], "name": "hotline"},
            "container": {"type": "message", "message_ts": offer["ts"], "is_ephemeral": False},
            "message": bot_message,
            "trigger_id": "trigger-7",
            "response_url": "http://127.0.0.1:9/response",
            "actions": [action],
        }
    )


def offers(slack: Slack) -> list[dict[str, Any]]:
    """The offers Kizuki posted, as Slack stored them (with their ts)."""
    channel = slack.stub.channels[hotline(slack)]
    posted = [m for m in channel.messages if m.get("bot_id") == BOT_ID and m.get("blocks")]
    for message in posted:
        message["channel"] = channel.id
        if isinstance(message["blocks"], str):
            message["blocks"] = json.loads(message["blocks"])
    return posted


def test_a_hotline_message_becomes_a_report_with_one_click_and_thanks(
    slack: Slack, responder_api: Api
) -> None:
    ts, response = write(slack, "U0VERA", "Checkout looks slow for me?\nMaybe just my wifi")
    assert response.status_code == 200
    [offer] = offers(slack)
    assert offer["thread_ts"] == ts
    assert "false alarms are welcome" in json.dumps(offer["blocks"])
    assert responder_api.get("/incidents").json()["count"] == 0  # nothing filed yet

    assert click(slack, "U0REI", offer).status_code == 200

    incident = responder_api.get("/incidents/INC-1").json()
    assert incident["status"] == "reported"
    assert incident["title"] == "Checkout looks slow for me?"
    assert incident["reporter"] == "vera"  # the person who raised it
    assert incident["description"].startswith("Checkout looks slow for me?\nMaybe just my wifi")
    assert "Posted in the Slack hotline by vera." in incident["description"]
    assert "Filed as a report by rei." in incident["description"]
    assert f"/archives/{hotline(slack)}/p{ts.replace('.', '')}" in incident["description"]

    [updated] = slack.stub.calls_to("chat.update")
    assert updated["ts"] == offer["ts"]
    assert updated["text"] == "Filed as INC-1 by <@U0REI>."
    thanks = [p for p in slack.stub.calls_to("chat.postMessage") if p["text"] != offer["text"]]
    assert len(thanks) == 1
    assert thanks[0]["thread_ts"] == ts
    assert thanks[0]["text"].startswith("<@U0VERA> Thank you — INC-1 is reported.")
    assert "False alarms are welcome" in thanks[0]["text"]


def test_a_second_click_files_nothing_more(slack: Slack, responder_api: Api) -> None:
    write(slack, "U0VERA", "Login errors")
    [offer] = offers(slack)
    click(slack, "U0REI", offer)
    before = row_counts()
    cache.clear()  # as if the second click reached another web process
    click(slack, "U0VERA", offer)
    assert row_counts() == before
    told = slack.stub.calls_to("chat.postEphemeral")[-1]
    assert (told["user"], told["text"]) == (
        "U0VERA",
        ":warning: This message has already been filed as a report.",
    )
    assert responder_api.get("/incidents").json()["count"] == 1


def test_a_writer_without_a_kizuki_account_is_thanked_too(slack: Slack, responder_api: Api) -> None:
    write(slack, "U0GUEST", "the shop shows 500s")
    [offer] = offers(slack)
    click(slack, "U0GUEST", offer)
    incident = responder_api.get("/incidents/INC-1").json()
    assert (incident["status"], incident["reporter"]) == ("reported", None)
    assert "Posted in the Slack hotline by guest." in incident["description"]
    assert "Filed as a report by" not in incident["description"]
    assert slack.stub.calls_to("chat.postMessage")[-1]["text"].startswith("<@U0GUEST> Thank you")


def test_only_new_messages_people_write_in_the_hotline_get_an_offer(slack: Slack) -> None:
    elsewhere = slack.stub.add_channel("random")
    parent, _ = write(slack, "U0VERA", "first")
    slack.stub.clear()
    answers = [
        write(slack, "U0VERA", "in a thread", thread_ts=parent)[1],
        write(slack, "U0VERA", "in another channel", channel=elsewhere)[1],
        write(slack, "U0VERA", "edited", subtype="message_changed")[1],
        write(slack, "U0VERA", "from a bot", bot_id="B0OTHER", subtype="bot_message")[1],
    ]
    assert [answer.status_code for answer in answers] == [200] * 4  # handled: no retries
    assert slack.stub.methods() == []


def test_a_retry_of_an_event_answered_late_posts_no_second_offer(slack: Slack) -> None:
    ts, _ = write(slack, "U0VERA", "payments stuck")
    event = {"type": "message", "channel": hotline(slack), "user": "U0VERA", "ts": ts}
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    response = slack.event(event, retry)
    assert response.status_code == 200
    assert len(offers(slack)) == 1


def test_without_a_hotline_channel_messages_are_just_messages(slack: Slack, settings: Any) -> None:
    settings.KIZUKI_SLACK_HOTLINE_CHANNEL = ""
    _, response = write(slack, "U0VERA", "anything")
    assert response.status_code == 200
    assert offers(slack) == []


@pytest.mark.parametrize("name", ["hotline", "#hotline"])
def test_the_hotline_may_be_named_instead_of_given_by_id(
    slack: Slack, settings: Any, name: str
) -> None:
    settings.KIZUKI_SLACK_HOTLINE_CHANNEL = name
    write(slack, "U0VERA", "first")
    write(slack, "U0VERA", "second")
    assert len(offers(slack)) == 2
    assert len(slack.stub.calls_to("conversations.list")) == 1  # looked up once

    settings.KIZUKI_SLACK_HOTLINE_CHANNEL = "no-such-channel"
    write(slack, "U0VERA", "third")
    assert len(offers(slack)) == 2


def test_from_hotline_to_archived_channel(
    slack: Slack,
    slack_stub: SlackStub,
    responder_api: Api,
    settings: Any,
    frozen_clock: MovableClock,
    mailoutbox: Any,
) -> None:
    settings.KIZUKI_SLACK_ARCHIVE_AFTER_HOURS = 24
    subscribe(None, "email", "sales@example.test", None)

    write(slack, "U0VERA", "Checkout page shows an error for some cards")
    (offer,) = offers(slack)
    click(slack, "U0VERA", offer)
    [report] = responder_api.get("/incidents").json()["items"]
    ref = report["number"]
    assert report["status"] == "reported"
    thanks = " ".join(c["text"] for c in slack_stub.calls_to("chat.postMessage"))
    assert f"Thank you — {ref} is reported. False alarms are welcome" in thanks

    hotline = slack_stub.channel_named("hotline").id
    ephemeral(slack.command(f"declare {ref} 2", "U0REI", hotline))
    ephemeral(slack.command(f"role {ref} incident_commander <@U0REI>", "U0REI", hotline))
    run_worker()
    [created] = slack_stub.calls_to("conversations.create")
    assert created["name"] == "incident_20261125_checkout-page-shows-an-error-for-some-cards"
    channel = slack_stub.channel_named(created["name"]).id
    invited = " ".join(c["users"] for c in slack_stub.calls_to("conversations.invite"))
    assert "U0REI" in invited
    assert "U0VERA" in invited
    assert [p["channel"] for p in slack_stub.calls_to("pins.add")] == [channel]

    ephemeral(slack.command("status Most card payments work again", "U0REI", channel))
    run_worker()
    assert any("Most card payments work again" in m.body for m in mailoutbox)
    page = Client()
    page.force_login(User.objects.get(username="vera"))
    assert "Most card payments work again" in page.get("/status/").content.decode()

    for word in ("resolved", "close"):
        ephemeral(slack.command(word, "U0REI", channel))
    run_worker()
    posted = [c["text"] for c in slack_stub.calls_to("chat.postMessage") if c["channel"] == channel]
    assert any(ref in text and "/incidents/" in text for text in posted[-2:])
    assert slack_stub.calls_to("conversations.archive") == []
    frozen_clock.advance(hours=25)
    run_worker()
    assert [a["channel"] for a in slack_stub.calls_to("conversations.archive")] == [channel]
