"""Pages go out as Slack direct messages once a bot token is set (conversations.open, then
chat.postMessage), through the escalation engine like any other method."""

from typing import Any

import pytest

from kizuki.accounts.models import User
from kizuki.notify.channels import SLACK_CHANNEL_POST, DeliveryError, channel_for
from kizuki.oncall import actions
from kizuki.oncall.models import EscalationPolicy
from tests.chat.stub import SlackStub
from tests.conftest import Api, MovableClock, make_user
from tests.notify.support import add_rule, create_policy, pages, run_worker, step

pytestmark = pytest.mark.django_db


def test_pages_go_out_as_slack_direct_messages(slack_stub: SlackStub, settings: Any) -> None:
    slack_stub.add_user("U0SAM", "sam@example.test", "sam")
    channel_for("slack").send("U0SAM", "Checkout is down", "HTTP 500 on /pay")
    (opened,) = slack_stub.calls_to("conversations.open")
    assert opened == {"users": "U0SAM"}
    assert slack_stub.posts("D0SAM") == ["*Checkout is down*\nHTTP 500 on /pay"]

    with pytest.raises(DeliveryError) as unknown:
        channel_for("slack").send("U0NOBODY", "Checkout is down", "HTTP 500 on /pay")
    assert unknown.value.permanent
    assert "user_not_found" in unknown.value.reason

    slack_stub.fail("chat.postMessage", "internal_error")
    with pytest.raises(DeliveryError) as passing:
        channel_for("slack").send("U0SAM", "Checkout is down", "HTTP 500 on /pay")
    assert not passing.value.permanent

    # A proxy in front of Slack answers 502 with its own words: still worth another try.
    slack_stub.fail("chat.postMessage", "bad_gateway", status=502)
    with pytest.raises(DeliveryError) as proxied:
        channel_for("slack").send("U0SAM", "Checkout is down", "HTTP 500 on /pay")
    assert not proxied.value.permanent

    settings.KIZUKI_SLACK_BOT_TOKEN = ""
    with pytest.raises(DeliveryError) as unconfigured:
        channel_for("slack").send("U0SAM", "Checkout is down", "HTTP 500 on /pay")
    assert (unconfigured.value.reason, unconfigured.value.permanent) == (
        "Slack is not configured",
        True,
    )


def test_an_escalation_pages_by_slack(
    admin_api: Api, slack_stub: SlackStub, frozen_clock: MovableClock
) -> None:
    sam: User = make_user("sam", "responder")
    slack_stub.add_user("U0SAM", "sam@example.test", "sam")
    add_rule(admin_api, sam, "slack", "U0SAM")
    policy = create_policy(admin_api, "Checkout", [step(("user", "sam"), wait=30)])
    escalation = actions.start_escalation(
        EscalationPolicy.objects.get(pk=policy["id"]),
        "Checkout is down",
        summary="HTTP 500 on /pay",
        link="http://kizuki.test/alerts/1",
        ack_link="http://kizuki.test/alerts/1/ack",
    )
    run_worker()
    (page,) = pages(escalation, method="slack")
    assert (page.status, page.attempts) == ("sent", 1)
    (message,) = slack_stub.posts("D0SAM")
    assert "Checkout is down" in message
    assert "http://kizuki.test/alerts/1/ack" in message


def test_stakeholder_posts_go_to_a_slack_channel(slack_stub: SlackStub, settings: Any) -> None:
    updates = slack_stub.add_channel("payments-stakeholders")
    channel_for(SLACK_CHANNEL_POST).send(updates, "INC-1 update", "Payments recovering")
    channel_for(SLACK_CHANNEL_POST).send("#payments-stakeholders", "", "Recovered")
    assert slack_stub.posts(updates) == ["*INC-1 update*\nPayments recovering", "Recovered"]

    with pytest.raises(DeliveryError) as missing:
        channel_for(SLACK_CHANNEL_POST).send("no-such-channel", "INC-1 update", "…")
    assert missing.value.permanent
    assert "channel_not_found" in missing.value.reason

    settings.KIZUKI_SLACK_BOT_TOKEN = ""
    with pytest.raises(DeliveryError, match="Slack is not configured"):
        channel_for(SLACK_CHANNEL_POST).send(updates, "INC-1 update", "…")
