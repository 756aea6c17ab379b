"""The Slack stub fixture, shared with the chat tests (the `/incident followup` command)."""

from tests.chat.conftest import slack_stub

__all__ = ["slack_stub"]
