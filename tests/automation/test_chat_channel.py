"""The "open the chat channel" action opens the incident's Slack channel at once, even before
the incident is declared (the chat app itself opens one only on declaration) — through the
real slack_sdk client talking to a local stub of Slack's Web API."""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.automation.support import automation_lines, make_rule, report
from tests.chat.stub import SlackStub
from tests.conftest import Api, MovableClock
from tests.jobs import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def slack(settings: Any) -> Iterator[SlackStub]:
    with SlackStub() as stub:
        settings.KIZUKI_SLACK_BOT_TOKEN = stub.token
        settings.KIZUKI_SLACK_SIGNING_SECRET = stub.signing_secret
        settings.KIZUKI_SLACK_API_URL = stub.url
        yield stub


def test_a_reported_incident_gets_its_channel(
    admin_api: Api, responder_api: Api, frozen_clock: MovableClock, slack: SlackStub
) -> None:
    make_rule(admin_api, "reported", [{"kind": "open_channel"}], name="Channel at once")
    ref = report(responder_api, "Checkout fails")
    run_worker()
    name = "incident_20261125_checkout-fails"
    assert [c["name"] for c in slack.calls_to("conversations.create")] == [name]
    assert automation_lines(responder_api, ref)[-1] == (
        f"Rule “Channel at once”: Open the chat channel done: channel {name}."
    )
