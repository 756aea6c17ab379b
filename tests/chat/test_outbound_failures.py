"""Slack missing or failing never breaks an incident: with no token nothing Slack happens;
a failing call is logged, recorded on the channel and retried with a growing pause, resuming
where it stopped."""

import logging
from datetime import timedelta
from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from kizuki.chat.models import IncidentChannel
from tests.chat.outbound_support import channel, declare, in_slack, ok
from tests.chat.stub import SlackStub
from tests.conftest import Api, MovableClock
from tests.incidents.support import english
from tests.jobs import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(responder_api: Api, settings: Any) -> Api:
    settings.LANGUAGE_CODE = "en"
    return english(responder_api)


def test_without_a_token_nothing_slack_happens_and_nothing_fails(
    frozen_clock: MovableClock, api: Api, settings: Any
) -> None:
    with SlackStub() as stub:
        settings.KIZUKI_SLACK_BOT_TOKEN = ""
        settings.KIZUKI_SLACK_API_URL = stub.url  # reachable, yet never called
        ref = declare(api)
        ok(api.post(f"/incidents/{ref}/status-updates", {"text": "Looking"}), 201)
        for step in ("resolved", "closed"):
            ok(api.post(f"/incidents/{ref}/transitions", {"to": step}))
        run_worker()
        frozen_clock.advance(days=2)
        run_worker()
    assert stub.calls == []
    assert not IncidentChannel.objects.exists()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_a_failed_call_is_recorded_and_retried_after_a_pause(
    frozen_clock: MovableClock,
    api: Api,
    slack_stub: SlackStub,
    caplog: pytest.LogCaptureFixture,
) -> None:
    in_slack(slack_stub, "rei")
    slack_stub.fail("conversations.create", "internal_error")
    with caplog.at_level(logging.WARNING, logger="kizuki.chat"):
        ref = declare(api)
        run_worker()

    # The incident is declared all the same, and its job finished.
    assert ok(api.get(f"/incidents/{ref}"))["status"] == "declared"
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    stored = channel(ref)
    assert (stored.channel_id, stored.failures) == ("", 1)
    assert stored.last_error == "conversations.create: internal_error"
    assert stored.retry_at == frozen_clock.now + timedelta(minutes=1)
    assert "conversations.create for incident" in caplog.text
    assert "internal_error" in caplog.text

    run_worker()  # still pausing: Slack is not asked again yet
    assert len(slack_stub.calls_to("conversations.create")) == 1

    frozen_clock.advance(minutes=1)
    run_worker()
    stored = channel(ref)
    assert stored.channel_id
    assert (stored.failures, stored.last_error, stored.retry_at) == (0, "", None)
    assert slack_stub.channel_named(stored.name).topic == "SEV2 | Declared | IC: unassigned"


def test_a_sync_that_fails_half_way_resumes_without_repeating_itself(
    frozen_clock: MovableClock, api: Api, slack_stub: SlackStub
) -> None:
    in_slack(slack_stub, "rei")
    slack_stub.fail("conversations.setTopic", "ratelimited", times=2, status=429)
    ref = declare(api)
    run_worker()
    assert channel(ref).failures == 1
    frozen_clock.advance(minutes=1)
    run_worker()
    assert channel(ref).failures == 2
    assert channel(ref).retry_at == frozen_clock.now + timedelta(minutes=2)
    frozen_clock.advance(minutes=2)
    run_worker()

    assert channel(ref).failures == 0
    methods = slack_stub.methods()
    for once in ("conversations.create", "conversations.invite", "chat.postMessage", "pins.add"):
        assert methods.count(once) == 1, once
    assert methods.count("conversations.setTopic") == 3


def test_news_during_a_failure_is_relayed_when_slack_is_back(
    frozen_clock: MovableClock, api: Api, slack_stub: SlackStub
) -> None:
    in_slack(slack_stub, "rei")
    ref = declare(api)
    run_worker()
    slack_stub.fail("chat.postMessage", "service_unavailable", status=503)
    ok(api.post(f"/incidents/{ref}/timeline", {"text": "Checking the load balancer"}), 201)
    run_worker()
    assert channel(ref).failures == 1
    ok(api.post(f"/incidents/{ref}/timeline", {"text": "Found it"}), 201)
    run_worker()  # backing off: nothing sent
    frozen_clock.advance(minutes=1)
    run_worker()
    assert slack_stub.posts(channel(ref).channel_id)[-2:] == [
        ":memo: Checking the load balancer (by rei)",
        ":memo: Found it (by rei)",
    ]


def test_a_channel_archived_by_hand_is_left_alone(
    frozen_clock: MovableClock, api: Api, slack_stub: SlackStub
) -> None:
    in_slack(slack_stub, "rei")
    ref = declare(api)
    run_worker()
    slack_stub.channel_named(channel(ref).name).archived = True  # someone archived it in Slack
    ok(api.post(f"/incidents/{ref}/timeline", {"text": "Still here?"}), 201)
    run_worker()
    stored = channel(ref)
    assert stored.archived_at == frozen_clock.now
    assert (stored.failures, stored.last_error) == (0, "")

    slack_stub.clear()
    ok(api.post(f"/incidents/{ref}/transitions", {"to": "resolved"}))
    frozen_clock.advance(days=2)
    run_worker()
    assert slack_stub.calls == []
