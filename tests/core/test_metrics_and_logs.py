"""`kizuki serve` with two web processes and KIZUKI_LOG_FORMAT=json: a scrape of /metrics
adds up what every web process counted (requests, alerts taken in), and every log line is
one JSON object, the request's lines carrying the caller's X-Request-ID.

It runs against its own SQLite file, whatever database the rest of the suite uses."""

import http.client
import json
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from tests.core.support import Process, alert, call, kizuki_env, run_kizuki, serving, wait_until
from tests.core.support import paging_setup as set_up_paging
from tests.notify.support import free_port, smtp_server


def scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/metrics")
        text = connection.getresponse().read().decode()
    finally:
        connection.close()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def requests_to(values: dict[tuple[str, tuple[tuple[str, str], ...]], float], route: str) -> float:
    return sum(
        value
        for (name, labels), value in values.items()
        if name == "kizuki_http_request_duration_seconds_count" and ("route", route) in labels
    )


def traced_get(port: int, path: str, request_id: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"X-Request-ID": request_id})
        response = connection.getresponse()
        response.read()
        return str(response.getheader("X-Request-ID"))
    finally:
        connection.close()


def bad_alert_in_japanese(port: int, path: str, request_id: str) -> tuple[int, str, str]:
    """A sender's unreadable webhook, asking for Japanese: status, detail and request id."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"X-Request-ID": request_id, "Accept-Language": "ja"}
    try:
        connection.request("POST", path, "{not json", headers)
        response = connection.getresponse()
        detail = json.loads(response.read())["detail"]
        return response.status, detail, str(response.getheader("X-Request-ID"))
    finally:
        connection.close()


def test_two_web_processes_are_counted_together_and_log_json_lines(tmp_path: Path) -> None:
    database = tmp_path / "k.sqlite3"
    port = free_port()
    with smtp_server() as (smtp_port, _mailbox):
        env = kizuki_env(
            f"sqlite:///{database}",
            KIZUKI_EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
            KIZUKI_LOG_FORMAT="json",
        )
        run_kizuki(env, tmp_path, "migrate", "--no-input")
        run_kizuki(env, tmp_path, "user", "create", "boss", "--role", "admin")
        run_kizuki(env, tmp_path, "user", "create", "paged", "--role", "responder")
        token = run_kizuki(env, tmp_path, "token", "create", "boss").strip()
        serve = Process(["serve", "--port", str(port), "--workers", "2"], env, tmp_path)
        try:
            wait_until(lambda: serving(port), what="kizuki serve to answer healthy")
            before = requests_to(scrape(port), "api/v1/health")
            url = set_up_paging(port, token, "paged@example.test")
            path = url[len(f"http://127.0.0.1:{port}") :]
            for fingerprint in ("A", "B", "C"):
                assert call(port, "POST", path, alert(fingerprint)).status == 202
            # Alert intake skips the pages' middleware but keeps request ids, timing and
            # the sender's language.
            status, detail, echoed = bad_alert_in_japanese(port, path, "trace-intake-0001")
            assert (status, echoed) == (400, "trace-intake-0001")
            assert "JSON" in detail
            assert detail.endswith("。")
            for _ in range(30):
                assert serving(port)
            assert traced_get(port, "/api/v1/health", "trace-4711-abcdef") == "trace-4711-abcdef"
            generated = traced_get(port, "/api/v1/health", "bad id!")
            assert generated != "bad id!"
            assert len(generated) >= 16

            values = scrape(port)
            ingested = values[("kizuki_alerts_ingested_total", (("kind", "alertmanager"),))]
            assert ingested == 3
            # Whichever of the two processes answered each one, all 32 are counted.
            assert requests_to(values, "api/v1/health") == before + 32
            assert requests_to(values, "api/v1/integrations/<token>/<kind>") == 4
            assert values[("kizuki_workers_alive", ())] == 1
        finally:
            serve.stop()

    lines = [line for line in serve.output.splitlines() if line.startswith("{")]
    records = [json.loads(line) for line in lines]
    assert records, serve.output[-2000:]
    # Anything that is not JSON is a line someone else printed (the startup banner).
    assert all({"time", "level", "logger", "message"} <= record.keys() for record in records)
    traced = [record for record in records if record.get("request_id") == "trace-4711-abcdef"]
    assert [record["logger"] for record in traced] == ["gunicorn.access"]
    assert traced[0]["path"] == "/api/v1/health"
    assert traced[0]["status"] == "200"
    assert str(token) not in serve.output
