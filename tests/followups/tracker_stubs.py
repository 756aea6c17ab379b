"""Local stand-ins for GitHub's and Jira Cloud's REST APIs: HTTP servers on 127.0.0.1 that
record every request and answer the few endpoints the client libraries (PyGithub, jira) call
for Kizuki, the way the real services do. Tests close issues on them as a person would in the
tracker."""

import itertools
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    json: Any


@dataclass
class Stub:
    """The shared part: the server, the recorded requests, and a status to fail with."""

    url: str = ""
    requests: list[Recorded] = field(default_factory=list)
    fail_with: int | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def calls(self, method: str, pattern: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and re.fullmatch(pattern, r.path)]

    def answer(
        self, method: str, path: str, query: dict[str, list[str]], body: Any
    ) -> tuple[int, Any]:
        raise NotImplementedError


@dataclass
class GitHubStub(Stub):
    """GitHub's REST API for one repository's issues, and issue search."""

    issues: dict[int, dict[str, Any]] = field(default_factory=dict)
    numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def _issue(self, owner: str, repo: str, number: int, title: str, body: str) -> dict[str, Any]:
        return {
            "id": 1000 + number,
            "number": number,
            "title": title,
            "body": body,
            "state": "open",
            "state_reason": None,
            "url": f"{self.url}/repos/{owner}/{repo}/issues/{number}",
            "html_url": f"https://github.example/{owner}/{repo}/issues/{number}",
            "repository_url": f"{self.url}/repos/{owner}/{repo}",
        }

    def close(self, number: int, reason: str = "completed") -> dict[str, Any]:
        issue = self.issues[number]
        issue["state"], issue["state_reason"] = "closed", reason
        return issue

    def answer(
        self, method: str, path: str, query: dict[str, list[str]], body: Any
    ) -> tuple[int, Any]:
        match = re.fullmatch(r"/repos/([^/]+)/([^/]+)/issues", path)
        if match and method == "POST":
            number = next(self.numbers)
            owner, repo = match.groups()
            issue = self._issue(owner, repo, number, body["title"], body.get("body", ""))
            self.issues[number] = issue
            return 201, issue
        if (match := re.fullmatch(r"/repos/[^/]+/[^/]+/issues/(\d+)", path)) and method == "GET":
            found = self.issues.get(int(match.group(1)))
            return (200, found) if found else (404, {"message": "Not Found"})
        if path == "/search/issues" and method == "GET":
            words = re.findall(r'"([^"]+)"', query.get("q", [""])[0])
            hits = [i for i in self.issues.values() if all(w in i["body"] for w in words)]
            return 200, {"total_count": len(hits), "incomplete_results": False, "items": hits}
        return 404, {"message": "Not Found"}


@dataclass
class JiraStub(Stub):
    """Jira Cloud's REST API v2: server info, creating, reading and searching issues."""

    issues: dict[str, dict[str, Any]] = field(default_factory=dict)
    numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def close(self, key: str, resolution: str = "Done") -> None:
        fields = self.issues[key]["fields"]
        fields["status"] = {"name": "Done", "statusCategory": {"key": "done"}}
        fields["resolution"] = {"name": resolution}

    def answer(
        self, method: str, path: str, query: dict[str, list[str]], body: Any
    ) -> tuple[int, Any]:
        if path == "/rest/api/2/serverInfo":
            return 200, {
                "baseUrl": self.url,
                "version": "1001.0.0",
                "versionNumbers": [1001, 0, 0],
                "deploymentType": "Cloud",
            }
        if path == "/rest/api/2/field":
            return 200, []
        if path == "/rest/api/2/issue" and method == "POST":
            fields = body["fields"]
            key = f"{fields['project']['key']}-{next(self.numbers)}"
            self.issues[key] = {
                "id": str(10000 + len(self.issues)),
                "key": key,
                "self": f"{self.url}/rest/api/2/issue/{key}",
                "fields": {
                    **fields,
                    "status": {"name": "To Do", "statusCategory": {"key": "new"}},
                    "resolution": None,
                },
            }
            return 201, {"id": self.issues[key]["id"], "key": key, "self": self.issues[key]["self"]}
        if (match := re.fullmatch(r"/rest/api/2/issue/([A-Z0-9_]+-\d+)", path)) and method == "GET":
            issue = self.issues.get(match.group(1))
            if issue is None:
                return 404, {"errorMessages": ["Issue does not exist"], "errors": {}}
            return 200, issue
        if path == "/rest/api/2/search/jql":
            jql = query.get("jql", [""])[0] if method == "GET" else body.get("jql", "")
            labels = re.findall(r'labels = "([^"]+)"', jql)
            found = [
                i
                for i in self.issues.values()
                if all(label in i["fields"].get("labels", []) for label in labels)
            ]
            return 200, {"issues": found, "isLast": True}
        return 404, {"errorMessages": ["Not found"], "errors": {}}


def _handler(stub: Stub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            parts = urlsplit(self.path)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = json.loads(raw) if raw else None
            query = parse_qs(parts.query)
            with stub.lock:
                stub.requests.append(
                    Recorded(self.command, parts.path, query, dict(self.headers.items()), body)
                )
                if stub.fail_with is not None:
                    status, answer = stub.fail_with, {"message": "Server Error"}
                else:
                    status, answer = stub.answer(self.command, parts.path, query, body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self._serve()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: ARG002 - keep it quiet
            return

    return Handler


@contextmanager
def running(stub: Stub) -> Iterator[Stub]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stub))
    stub.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
