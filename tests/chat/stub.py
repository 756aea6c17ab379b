"""A local stand-in for Slack's Web API, for tests that drive the real slack_sdk client.

`SlackStub` is a ThreadingHTTPServer on 127.0.0.1 (a free port) answering `POST /api/<method>`
the way slack.com does: JSON bodies, form-encoded bodies, multipart bodies or a query string
(slack_sdk sends all POSTs; bolt and others may GET), each answered with Slack-shaped JSON,
`{"ok": false, "error": ...}` on failure. It keeps a little state so behaviour is realistic —
channels (creating a taken name answers `name_taken`), members, topics, pins, archived flags,
messages (history/replies return them) and users (looked up by id or e-mail) — and it
records every call (method, parsed params, bearer token) for assertions.

    with SlackStub() as stub:
        stub.add_user("U1", "sato@example.test", "sato")
        client = WebClient(stub.token, base_url=stub.url + "/")
        ...
        assert stub.calls_to("chat.postMessage")[0]["text"] == "..."

Inject failures with `stub.fail("conversations.create", "internal_error", times=1)`.
Unknown methods answer `{"ok": true}` so new calls need no stub change to be recorded.
The workspace model and the methods it answers live in stub_methods.py.
"""

import hashlib
import hmac
import json
import threading
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.chat.stub_methods import (
    BOT_ID,
    BOT_USER_ID,
    METHODS,
    TEAM_ID,
    WORKSPACE_URL,
    Channel,
    Json,
    SlackError,
    SlackUser,
    Workspace,
)

__all__ = [
    "BOT_ID",
    "BOT_USER_ID",
    "TEAM_ID",
    "WORKSPACE_URL",
    "Call",
    "Channel",
    "SlackStub",
    "SlackUser",
]
# Tests may answer one more method by adding it here (the same dict the stub dispatches on).
_METHODS = METHODS


@dataclass
class Call:
    method: str
    params: Json
    token: str


@dataclass
class Failure:
    error: str
    times: int | None  # None: every call
    status: int


class SlackStub(Workspace):
    """The Slack Web API on 127.0.0.1, with state and a record of every call."""

    def __init__(
        self,
        token: str = "xoxb-kizuki-test",  # noqa: S107 - a test credential
        signing_secret: str = "kizuki-signing-secret",  # noqa: S107 - a test credential
    ) -> None:
        self.token = token
        self.signing_secret = signing_secret
        super().__init__()
        self.calls: list[Call] = []
        self.failures: dict[str, list[Failure]] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- lifetime ---------------------------------------------------------------------------
    @property
    def url(self) -> str:
        """The API root, as KIZUKI_SLACK_API_URL (no trailing slash)."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/api"

    def start(self) -> "SlackStub":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "SlackStub":
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- arranging ----------------------------------------------------------------------------
    def add_user(self, user_id: str, email: str, name: str = "", real_name: str = "") -> SlackUser:
        with self.lock:
            user = SlackUser(user_id, name or email.split("@", maxsplit=1)[0], email, real_name)
            self.users[user_id] = user
            return user

    def add_channel(self, name: str, *, members: set[str] | None = None) -> str:
        """A channel that exists already (made by people, not Kizuki); returns its id."""
        with self.lock:
            channel = self.new_channel(name)
            channel.members |= members or set()
            return channel.id

    def add_message(
        self, channel: str, text: str, user: str = "", ts: str = "", thread_ts: str = ""
    ) -> str:
        """A message people wrote in `channel` (an id); history and replies return it."""
        with self.lock:
            message: Json = {"type": "message", "ts": ts or self.next_ts(), "text": text}
            message["user"] = user
            if thread_ts:
                message["thread_ts"] = thread_ts
            self.channels[channel].messages.append(message)
            return str(message["ts"])

    def fail(
        self,
        method: str,
        error: str = "internal_error",
        *,
        times: int | None = 1,
        status: int = 200,
    ) -> None:
        """Answer the next `times` calls of `method` (every call with None) with an error."""
        with self.lock:
            self.failures.setdefault(method, []).append(Failure(error, times, status))

    def signed_headers(self, body: bytes, timestamp: int) -> dict[str, str]:
        """The headers Slack signs a request to our app with (v0 HMAC-SHA256 of the body)."""
        base = b"v0:" + str(timestamp).encode() + b":" + body
        digest = hmac.new(self.signing_secret.encode(), base, hashlib.sha256).hexdigest()
        return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": f"v0={digest}"}

    # -- asserting ----------------------------------------------------------------------------
    def methods(self) -> list[str]:
        with self.lock:
            return [call.method for call in self.calls]

    def calls_to(self, method: str) -> list[Json]:
        with self.lock:
            return [call.params for call in self.calls if call.method == method]

    def posts(self, channel: str) -> list[str]:
        """The texts posted with chat.postMessage to a channel id or name, in order."""
        with self.lock:
            same = [c for c in self.channels.values() if channel in {c.id, c.name}]
            wanted = {channel, *(c.id for c in same), *(c.name for c in same if c.name)}
            wanted |= {f"#{name}" for name in wanted}
            return [
                str(params.get("text", ""))
                for params in self.calls_to("chat.postMessage")
                if params.get("channel") in wanted
            ]

    def channel_named(self, name: str) -> Channel:
        with self.lock:
            return next(c for c in self.channels.values() if c.name == name)

    def clear(self) -> None:
        """Forget the calls so far (state stays)."""
        with self.lock:
            self.calls.clear()

    # -- the server -----------------------------------------------------------------------------
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self._answer()

            def do_GET(self) -> None:
                self._answer()

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                url = urlsplit(self.path)
                params = _parse(self.headers.get("Content-Type", ""), body, url.query)
                auth = self.headers.get("Authorization", "")
                token = auth.removeprefix("Bearer ") if auth else str(params.pop("token", ""))
                status, answer = stub.handle(url.path.rsplit("/", 1)[-1], params, token)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: ARG002 - keep quiet
                return

        return Handler

    def handle(self, method: str, params: Json, token: str) -> tuple[int, Json]:
        with self.lock:
            self.calls.append(Call(method, params, token))
            failure = self._take_failure(method)
            if failure is not None:
                return failure.status, {"ok": False, "error": failure.error}
            if token != self.token:
                return 200, {"ok": False, "error": "invalid_auth" if token else "not_authed"}
            action = METHODS.get(method)
            try:
                result = action(self, params) if action else {}
            except SlackError as error:
                return 200, {"ok": False, "error": error.code, **error.extra}
            return 200, {"ok": True, **result}

    def _take_failure(self, method: str) -> Failure | None:
        queue = self.failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        if failure.times is not None:
            failure.times -= 1
            if failure.times <= 0:
                queue.pop(0)
        return failure


def _parse(content_type: str, body: bytes, query: str) -> Json:
    params: Json = dict(parse_qsl(query))
    if content_type.startswith("application/json") and body:
        params.update(json.loads(body))
    elif content_type.startswith("multipart/form-data") and body:
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(head + body)
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            if isinstance(name, str) and isinstance(payload, bytes):
                params[name] = payload.decode("utf-8", "replace")
    elif body:
        params.update(parse_qsl(body.decode()))
    return params
