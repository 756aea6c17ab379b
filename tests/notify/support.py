"""Helpers the paging tests share: local servers standing in for a mail server and an
Apprise webhook receiver, running the worker's jobs, and reading an escalation back."""

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from kizuki.accounts.models import User
from kizuki.oncall import engine
from kizuki.oncall.models import Escalation, Page
from tests.conftest import Api


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class MailRecorder:
    """An aiosmtpd handler keeping every message it accepts."""

    messages: list[tuple[list[str], Message]] = field(default_factory=list)

    async def handle_DATA(self, _server: SMTP, _session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        content = envelope.original_content or b""
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(content)))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server() -> Iterator[tuple[int, MailRecorder]]:
    """A real SMTP server on 127.0.0.1; yields its port and what it received."""
    recorder = MailRecorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, recorder
    finally:
        controller.stop()


@dataclass
class WebhookRecorder:
    """What a local HTTP server received, and the status it answers with."""

    status: int = 200
    requests: list[dict[str, Any]] = field(default_factory=list)

    def handler(self) -> type[BaseHTTPRequestHandler]:
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                recorder.requests.append({"path": self.path, "json": json.loads(body or b"{}")})
                self.send_response(recorder.status)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:  # noqa: ARG002 - keep it quiet
                return

        return Handler


@contextmanager
def webhook_server(status: int = 200) -> Iterator[tuple[int, WebhookRecorder]]:
    """An HTTP server on 127.0.0.1 that records each POST (an Apprise json:// target)."""
    recorder = WebhookRecorder(status=status)
    server = ThreadingHTTPServer(("127.0.0.1", 0), recorder.handler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], recorder
    finally:
        server.shutdown()
        server.server_close()


def put(api: Api, path: str, body: dict[str, Any]) -> Any:
    """PUT for the shared Api client, which has no put of its own."""
    headers = {"Authorization": f"Bearer {api.token}"} if api.token else {}
    return api.client.put("/api/v1" + path, json.dumps(body), "application/json", headers=headers)


def run_worker() -> int:
    """What `kizuki worker --batch` does for paging: both jobs until neither has work."""
    total = 0
    while done := engine.run_due_escalations() + engine.deliver_due_pages():
        total += done
    return total


def create_policy(api: Api, name: str, steps: list[Any], repeat: int = 0, **extra: Any) -> Any:
    body = {"name": name, "repeat": repeat, "steps": steps, **extra}
    response = api.post("/escalation-policies", body)
    assert response.status_code == 201, response.json()
    return response.json()


def step(*targets: tuple[str, Any], wait: int = 5) -> dict[str, Any]:
    return {"targets": [{"type": kind, "id": ref} for kind, ref in targets], "wait_minutes": wait}


def add_rule(api: Api, user: User, method: str, address: str = "", delay: int = 0) -> Any:
    response = api.post(
        f"/users/{user.username}/notification-rules",
        {"method": method, "address": address, "delay_minutes": delay},
    )
    assert response.status_code == 201, response.json()
    return response.json()


def kinds(escalation: Escalation) -> list[str]:
    return list(escalation.events.values_list("kind", flat=True))


def pages(escalation: Escalation, **filters: Any) -> list[Page]:
    return list(escalation.pages.filter(**filters).select_related("user"))


def paged(escalation: Escalation, status: str = "sent") -> list[tuple[str, str, int]]:
    """(username, method, step number) of the escalation's pages in `status`, in order."""
    return [
        (page.user.username if page.user else page.address, page.method, page.step_index + 1)
        for page in escalation.pages.filter(status=status)
        .select_related("user")
        .order_by("created_at", "id")
    ]
