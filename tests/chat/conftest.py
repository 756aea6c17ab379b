"""The Slack stub as a fixture: a local Slack Web API, with Kizuki's settings pointed at it."""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.chat.stub import SlackStub


@pytest.fixture
def slack_stub(settings: Any) -> Iterator[SlackStub]:
    """A running SlackStub; KIZUKI_SLACK_BOT_TOKEN, _SIGNING_SECRET and _API_URL point at it."""
    with SlackStub() as stub:
        settings.KIZUKI_SLACK_BOT_TOKEN = stub.token
        settings.KIZUKI_SLACK_SIGNING_SECRET = stub.signing_secret
        settings.KIZUKI_SLACK_API_URL = stub.url
        yield stub
