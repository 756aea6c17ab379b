"""A local stand-in for an OpenAI-compatible chat completions endpoint: it records each request
and answers in the API's shape, so the real `openai` client talks to it over loopback."""

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

# How long a "hanging" stub holds a request before giving up on its own (the client's
# timeout in the tests is far shorter; this only keeps a failed test from hanging).
HOLD_LIMIT_SECONDS = 10


@dataclass
class StubLLM:
    url: str = ""
    answer: str = "Proposed text."
    status: int = 200
    hang: bool = False
    requests: list[dict[str, Any]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    @property
    def last(self) -> dict[str, Any]:
        return self.requests[-1]

    def prompt(self) -> str:
        """Every message of the last request, joined."""
        return "\n".join(message["content"] for message in self.last["body"]["messages"])


def _handler(stub: StubLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            stub.requests.append(
                {
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": body,
                }
            )
            if stub.hang:
                stub.release.wait(HOLD_LIMIT_SECONDS)
                return
            if stub.status != 200:
                answer: dict[str, Any] = {"error": {"message": "refused", "type": "stub"}}
            else:
                answer = {
                    "id": "chatcmpl-stub",
                    "object": "chat.completion",
                    "created": 0,
                    "model": body.get("model", ""),
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": stub.answer},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }
            data = json.dumps(answer).encode()
            self.send_response(stub.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_args: Any) -> None:
            return

    return Handler


@pytest.fixture
def llm(settings: Any) -> Iterator[StubLLM]:
    """The stub, listening on a free loopback port, configured as the drafting endpoint."""
    stub = StubLLM()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stub))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    stub.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    settings.KIZUKI_LLM_URL = stub.url
    settings.KIZUKI_LLM_MODEL = "stub-model"
    settings.KIZUKI_LLM_KEY = "sk-test-key"
    settings.KIZUKI_LLM_TIMEOUT = 5
    yield stub
    stub.release.set()
    server.shutdown()
    server.server_close()
