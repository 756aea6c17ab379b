"""Real faults on loopback for the fault tests: a TCP proxy in front of PostgreSQL that the
test cuts and restores, `kizuki` processes with their output captured, and polling with a
deadline instead of sleeping."""

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

KIZUKI = str(Path(sys.executable).parent / "kizuki")


def wait_until(check: Callable[[], Any], seconds: float = 60, what: str = "") -> Any:
    """Poll `check` until it returns something truthy; fail the test after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            msg = f"gave up after {seconds} s waiting for {what or check}"
            raise AssertionError(msg)
        time.sleep(0.05)  # a poll interval, not a wait for something to happen


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a target. `cut()` closes every connection and refuses
    new ones, as a database restart looks to its clients; `restore()` lets them in again."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.open = True
        self.refused = 0
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            if not self.open:
                self.refused += 1
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets |= {client, upstream}
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                self._close(end)

    def _close(self, end: socket.socket) -> None:
        with self.lock:
            self.sockets.discard(end)
        with contextlib.suppress(OSError):
            end.shutdown(socket.SHUT_RDWR)
        end.close()

    def cut(self) -> None:
        self.open = False
        with self.lock:
            ends = list(self.sockets)
        for end in ends:
            self._close(end)

    def restore(self) -> None:
        self.open = True

    def close(self) -> None:
        self.cut()
        self.listener.close()


class Process:
    """A `kizuki` command in its own process (and process group), its output collected."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            [KIZUKI, *argv],
            env={**env, "PYTHONUNBUFFERED": "1"},
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> int:
        if self.alive():
            self.process.terminate()
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)
            return self.process.wait()


def kizuki_env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("KIZUKI_")},
        "KIZUKI_DATABASE_URL": database_url,
        "KIZUKI_LANGUAGE": "en",
        **extra,
    }


def run_kizuki(env: dict[str, str], cwd: Path, *argv: str) -> str:
    done = subprocess.run(
        [KIZUKI, *argv], env=env, cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: Any


def call(port: int, method: str, path: str, body: Any = None, token: str = "") -> Answer:
    """One HTTP request to a server on 127.0.0.1, as a sender or an API client makes it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json", "Accept-Language": "en"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        connection.request(method, path, json.dumps(body) if body is not None else None, headers)
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    try:
        parsed = json.loads(data) if data else None
    except ValueError:
        parsed = data.decode("utf-8", "replace")
    return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, parsed)


def serving(port: int) -> bool:
    """The server answers and its worker beats (the health check says paging runs)."""
    try:
        return call(port, "GET", "/api/v1/health").status == 200
    except OSError:
        return False


def paging_setup(port: int, token: str, email: str) -> str:
    """Through the API: a policy paging user `bench`-style by e-mail, a service using it and
    an Alertmanager integration. Returns the integration's full URL."""
    username = "paged"
    rule = {"method": "email", "address": email, "delay_minutes": 0}
    answer = call(port, "POST", f"/api/v1/users/{username}/notification-rules", rule, token)
    assert answer.status == 201, answer.body
    steps = [{"targets": [{"type": "user", "id": username}], "wait_minutes": 30}]
    policy = {"name": "Primary", "repeat": 0, "steps": steps}
    answer = call(port, "POST", "/api/v1/escalation-policies", policy, token)
    assert answer.status == 201, answer.body
    service = {"name": "Checkout", "team": None, "escalation_policy": answer.body["id"]}
    answer = call(port, "POST", "/api/v1/services", service, token)
    assert answer.status == 201, answer.body
    kind = {"kind": "alertmanager", "name": "am"}
    answer = call(port, "POST", f"/api/v1/services/{answer.body['id']}/integrations", kind, token)
    assert answer.status == 201, answer.body
    return str(answer.body["url"])


def alert(fingerprint: str) -> dict[str, Any]:
    """An Alertmanager webhook with one firing alert; the fingerprint shows in the page."""
    return {
        "version": "4",
        "groupKey": f'{{}}:{{alertname="Fault{fingerprint}"}}',
        "status": "firing",
        "receiver": "kizuki",
        "groupLabels": {"alertname": f"Fault{fingerprint}"},
        "commonLabels": {},
        "commonAnnotations": {},
        "externalURL": "http://127.0.0.1:9093",
        "alerts": [
            {
                "status": "firing",
                "fingerprint": fingerprint,
                "labels": {"alertname": f"Fault{fingerprint}", "severity": "critical"},
                "annotations": {"summary": f"Fault test {fingerprint}"},
                "startsAt": "2026-11-25T00:00:00Z",
                "endsAt": "0001-01-01T00:00:00Z",
                "generatorURL": "http://127.0.0.1:9090/graph",
            }
        ],
    }
