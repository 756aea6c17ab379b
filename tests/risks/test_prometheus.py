"""Prometheus snapshots of a finding, against a local stand-in for Prometheus's HTTP API that
records each request: taken once when the finding is raised, stored and drawn on the review's
page; a Prometheus that is down, refuses the query or answers nonsense still leaves the finding
raised, saying why the snapshot failed; without KIZUKI_PROMETHEUS_URL the query is not offered
and the API refuses it."""

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from kizuki.accounts.models import User
from kizuki.risks.models import Finding
from tests.conftest import Api, api_for
from tests.risks.support import ok, row_counts

pytestmark = pytest.mark.usefixtures("frozen_clock")  # 2026-11-25 01:00 UTC

NOW = 1795568400.0  # the frozen clock, in unix seconds
QUERY = 'sum by (instance) (rate(http_requests_total{status=~"5.."}[5m]))'


def matrix(*series: tuple[dict[str, str], list[tuple[float, str]]]) -> bytes:
    result = [
        {"metric": labels, "values": [[t, v] for t, v in values]} for labels, values in series
    ]
    answer = {"status": "success", "data": {"resultType": "matrix", "result": result}}
    return json.dumps(answer).encode()


@dataclass
class StubPrometheus:
    url: str = ""
    status: int = 200
    body: bytes = b""
    requests: list[dict[str, Any]] = field(default_factory=list)


def _handler(stub: StubPrometheus) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            stub.requests.append({"path": parts.path, "params": parse_qs(parts.query)})
            self.send_response(stub.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(stub.body)))
            self.end_headers()
            self.wfile.write(stub.body)

        def log_message(self, *_args: Any) -> None:
            return

    return Handler


@pytest.fixture
def prometheus(settings: Any) -> Iterator[StubPrometheus]:
    """The stub on a free loopback port, configured as KIZUKI_PROMETHEUS_URL."""
    stub = StubPrometheus()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stub))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    stub.url = f"http://127.0.0.1:{server.server_address[1]}/"
    settings.KIZUKI_PROMETHEUS_URL = stub.url
    yield stub
    server.shutdown()
    server.server_close()


@pytest.fixture
def english_api(responder: User) -> Api:
    api = api_for(responder)
    api.client = Client(headers={"Accept-Language": "en"})
    return api


def page_of(user: User, review_id: int) -> str:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client.get(f"/reviews/{review_id}/").content.decode()


def test_a_snapshot_is_taken_once_stored_and_drawn(
    prometheus: StubPrometheus, english_api: Api, responder: User
) -> None:
    prometheus.body = matrix(
        ({"instance": "api-1"}, [(NOW - 600, "0.5"), (NOW - 300, "1.5"), (NOW, "NaN")]),
        ({"instance": "api-2"}, [(NOW - 600, "0.1"), (NOW, "0.2")]),
    )
    review = ok(english_api.post("/reviews", {}), 201)
    found = ok(
        english_api.post(
            f"/reviews/{review['id']}/findings",
            {"title": "5xx up on the API", "snapshot_query": QUERY, "snapshot_range": "6h"},
        ),
        201,
    )
    [request] = prometheus.requests
    assert request["path"] == "/api/v1/query_range"
    assert request["params"]["query"] == [QUERY]
    assert float(request["params"]["end"][0]) == NOW
    assert float(request["params"]["start"][0]) == NOW - 6 * 3600
    assert request["params"]["step"] == ["180"]
    snapshot = found["snapshot"]
    assert snapshot["query"] == QUERY
    assert snapshot["range"] == "6h"
    assert snapshot["failed"] == ""
    assert snapshot["series"][0] == {
        "labels": {"instance": "api-1"},
        "points": [[NOW - 600, 0.5], [NOW - 300, 1.5]],  # NaN cannot be drawn: left out
    }

    page = page_of(responder, review["id"])
    assert '<svg viewBox="0 0 800 180" role="img"' in page
    assert page.count("<polyline") == 2
    assert "<code>{instance=&quot;api-1&quot;}</code>" in page
    assert "last value 1.5" in page
    # Stored: the page does not ask Prometheus again.
    assert len(prometheus.requests) == 1


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (
            400,
            b'{"status":"error","errorType":"bad_data","error":"parse error at char 4"}',
            "Snapshot failed: Prometheus answered HTTP 400. parse error at char 4",
        ),
        (
            503,
            b"Service Unavailable",
            "Snapshot failed: Prometheus answered HTTP 503. Service Unavailable",
        ),
        (200, b"<html>not json</html>", "Snapshot failed: Prometheus's answer was not JSON."),
        (
            200,
            b'{"status":"success","data":{"resultType":"vector","result":[]}}',
            "Snapshot failed: Prometheus's answer was not a range of series. vector",
        ),
    ],
)
def test_a_failed_snapshot_still_raises_the_finding(
    prometheus: StubPrometheus,
    english_api: Api,
    responder: User,
    status: int,
    body: bytes,
    reason: str,
) -> None:
    prometheus.status, prometheus.body = status, body
    review = ok(english_api.post("/reviews", {}), 201)
    found = ok(
        english_api.post(
            f"/reviews/{review['id']}/findings", {"title": "Odd", "snapshot_query": "up"}
        ),
        201,
    )
    assert found["snapshot"]["failed"] == reason
    assert found["snapshot"]["series"] == []
    assert reason.replace("'", "&#x27;") in page_of(responder, review["id"])


def test_prometheus_down_still_raises_the_finding(
    settings: Any, english_api: Api, responder: User
) -> None:
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        settings.KIZUKI_PROMETHEUS_URL = f"http://127.0.0.1:{closed.getsockname()[1]}"
    review = ok(english_api.post("/reviews", {}), 201)
    found = ok(
        english_api.post(
            f"/reviews/{review['id']}/findings", {"title": "Odd", "snapshot_query": "up"}
        ),
        201,
    )
    assert found["snapshot"]["failed"] == "Snapshot failed: Prometheus could not be reached."
    assert "Prometheus could not be reached." in page_of(responder, review["id"])


def test_an_empty_answer_says_there_was_no_data(
    prometheus: StubPrometheus, english_api: Api, responder: User
) -> None:
    prometheus.body = matrix()
    review = ok(english_api.post("/reviews", {}), 201)
    english_api.post(f"/reviews/{review['id']}/findings", {"title": "Odd", "snapshot_query": "up"})
    assert "Prometheus had no data for this query in the range." in page_of(responder, review["id"])


def test_the_web_form_takes_a_query_only_with_prometheus_configured(
    prometheus: StubPrometheus, responder: User, settings: Any
) -> None:
    prometheus.body = matrix(({"__name__": "up"}, [(NOW - 60, "1"), (NOW, "1")]))
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(responder)
    review_url = client.post("/reviews/", {"held_on": "2026-11-25"})["Location"]
    assert "PromQL query (optional)" in client.get(review_url).content.decode()
    client.post(
        f"{review_url}findings/",
        {"title": "Up flaps", "snapshot_query": "up", "snapshot_range": "7d"},
    )
    finding = Finding.objects.get()
    assert (finding.snapshot_query, finding.snapshot_range) == ("up", "7d")
    assert prometheus.requests[0]["params"]["step"] == ["5040"]  # 7 days / 120 points

    settings.KIZUKI_PROMETHEUS_URL = ""
    page = client.get(review_url).content.decode()
    assert "PromQL query (optional)" not in page
    assert page.count("<polyline") == 1  # what was stored is still shown


def test_without_prometheus_the_api_refuses_a_query(english_api: Api, settings: Any) -> None:
    settings.KIZUKI_PROMETHEUS_URL = ""
    review = ok(english_api.post("/reviews", {}), 201)
    before = row_counts(), Finding.objects.count()
    refused = english_api.post(
        f"/reviews/{review['id']}/findings", {"title": "Odd", "snapshot_query": "up"}
    )
    assert refused.status_code == 400
    assert "KIZUKI_PROMETHEUS_URL" in refused.json()["detail"]
    assert (row_counts(), Finding.objects.count()) == before
    bad_range = english_api.post(
        f"/reviews/{review['id']}/findings",
        {"title": "Odd", "snapshot_query": "up", "snapshot_range": "2w"},
    )
    assert bad_range.status_code == 422
    plain = ok(english_api.post(f"/reviews/{review['id']}/findings", {"title": "Odd"}), 201)
    assert plain["snapshot"] is None


def test_nul_in_a_query_or_in_prometheus_answer_is_no_500(
    prometheus: StubPrometheus, english_api: Api
) -> None:
    review = ok(english_api.post("/reviews", {}), 201)
    refused = english_api.post(
        f"/reviews/{review['id']}/findings", {"title": "Odd", "snapshot_query": "up\x00"}
    )
    assert refused.status_code == 400
    prometheus.body = matrix(({"instance": "a\x00b"}, [(NOW, "1")]))
    found = ok(
        english_api.post(
            f"/reviews/{review['id']}/findings", {"title": "Odd", "snapshot_query": "up"}
        ),
        201,
    )
    assert found["snapshot"]["series"][0]["labels"] == {"instance": "ab"}
