"""The port to Slack's Web API: what Kizuki asks of Slack, and two implementations.

`SlackWebApi` is the official slack_sdk WebClient pointed at KIZUKI_SLACK_API_URL (tests point
it at a local stub of the API). `NullSlack` stands in when no bot token is configured: it is
not `configured`, so callers skip Slack work, and its methods do nothing. `slack()` picks one
from the settings at the time of the call."""

from collections.abc import Callable
from typing import Any, Protocol

from django.conf import settings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web import SlackResponse

# Shorter than slack_sdk's 30 s: a slow Slack is a failed attempt that is retried later.
TIMEOUT_SECONDS = 10
# Slack errors worth trying again soon (anything raised below the API, e.g. a timeout, too).
TRANSIENT = {
    "ratelimited",
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
}


class SlackError(Exception):
    """A Slack call failed. `code` is Slack's error code ("name_taken") or "connection"."""

    def __init__(self, method: str, code: str, detail: str = "", *, status: int = 0) -> None:
        super().__init__(f"{method}: {code}" + (f" ({detail})" if detail else ""))
        self.method = method
        self.code = code
        self.status = status  # the HTTP status, 0 when no answer came

    @property
    def transient(self) -> bool:
        # A 429 or 5xx is worth trying again whatever its body says (a proxy's HTML page too).
        overloaded = self.status == 429 or self.status >= 500
        return self.code in TRANSIENT or self.code == "connection" or overloaded


class SlackPort(Protocol):
    @property
    def configured(self) -> bool: ...

    def create_channel(self, name: str, *, private: bool = False) -> str:
        """Create a channel (public, or `private`: invited members only); returns its id.
        SlackError("name_taken") if it exists."""
        ...

    def invite(self, channel: str, user_ids: list[str]) -> None: ...

    def set_topic(self, channel: str, topic: str) -> None: ...

    def post(self, channel: str, text: str) -> str:
        """Post a message (mrkdwn); returns its ts."""
        ...

    def pin(self, channel: str, ts: str) -> None: ...

    def archive(self, channel: str) -> None: ...

    def user_id_by_email(self, email: str) -> str | None:
        """The Slack user id for an e-mail address, None when nobody has it."""
        ...

    def open_dm(self, user_id: str) -> str:
        """The id of the direct-message conversation with a user."""
        ...


class SlackWebApi:
    """The real thing: slack_sdk's WebClient with the bot token."""

    configured = True

    def __init__(self, token: str, api_url: str) -> None:
        self.client = WebClient(token, base_url=api_url.rstrip("/") + "/", timeout=TIMEOUT_SECONDS)

    def _call(self, method: str, call: Callable[[], SlackResponse]) -> dict[str, Any]:
        """Run one typed WebClient call; every failure becomes a SlackError naming `method`."""
        try:
            response = call()
        except SlackApiError as error:
            answer = error.response
            code = str(answer.get("error") or f"http_{answer.status_code}")
            detail = str(answer.get("errors") or "")
            raise SlackError(method, code, detail, status=answer.status_code) from error
        except (SlackClientError, OSError) as error:
            raise SlackError(method, "connection", str(error)) from error
        return response.data if isinstance(response.data, dict) else {}

    def create_channel(self, name: str, *, private: bool = False) -> str:
        answer = self._call(
            "conversations.create",
            lambda: self.client.conversations_create(name=name, is_private=private),
        )
        return str(answer["channel"]["id"])

    def invite(self, channel: str, user_ids: list[str]) -> None:
        # force: invite everyone who can be invited even if one of them cannot.
        self._call(
            "conversations.invite",
            lambda: self.client.conversations_invite(channel=channel, users=user_ids, force=True),
        )

    def set_topic(self, channel: str, topic: str) -> None:
        self._call(
            "conversations.setTopic",
            lambda: self.client.conversations_setTopic(channel=channel, topic=topic),
        )

    def post(self, channel: str, text: str) -> str:
        answer = self._call(
            "chat.postMessage",
            lambda: self.client.chat_postMessage(channel=channel, text=text, unfurl_links=False),
        )
        return str(answer["ts"])

    def pin(self, channel: str, ts: str) -> None:
        self._call("pins.add", lambda: self.client.pins_add(channel=channel, timestamp=ts))

    def archive(self, channel: str) -> None:
        self._call(
            "conversations.archive", lambda: self.client.conversations_archive(channel=channel)
        )

    def user_id_by_email(self, email: str) -> str | None:
        try:
            answer = self._call(
                "users.lookupByEmail", lambda: self.client.users_lookupByEmail(email=email)
            )
        except SlackError as error:
            if error.code == "users_not_found":
                return None
            raise
        return str(answer["user"]["id"])

    def open_dm(self, user_id: str) -> str:
        answer = self._call(
            "conversations.open", lambda: self.client.conversations_open(users=user_id)
        )
        return str(answer["channel"]["id"])


class NullSlack:
    """No Slack configured: nothing to call. Callers check `configured` and skip Slack work."""

    configured = False

    def create_channel(self, name: str, *, private: bool = False) -> str:  # noqa: ARG002 - the port's signature
        return ""

    def invite(self, channel: str, user_ids: list[str]) -> None:  # noqa: ARG002 - the port's signature
        return

    def set_topic(self, channel: str, topic: str) -> None:  # noqa: ARG002 - the port's signature
        return

    def post(self, channel: str, text: str) -> str:  # noqa: ARG002 - the port's signature
        return ""

    def pin(self, channel: str, ts: str) -> None:  # noqa: ARG002 - the port's signature
        return

    def archive(self, channel: str) -> None:  # noqa: ARG002 - the port's signature
        return

    def user_id_by_email(self, email: str) -> str | None:  # noqa: ARG002 - the port's signature
        return None

    def open_dm(self, user_id: str) -> str:  # noqa: ARG002 - the port's signature
        return ""


def slack() -> SlackPort:
    """The configured Slack: the Web API with a bot token, NullSlack without one."""
    token = settings.KIZUKI_SLACK_BOT_TOKEN
    if not token:
        return NullSlack()
    return SlackWebApi(token, settings.KIZUKI_SLACK_API_URL)
