"""The production shape on loopback, for the load and fault proof (test_load_faults.py,
test_database_restart.py and bench/production.py): web servers (gunicorn, as `kizuki serve`
starts it) and `kizuki worker` processes; one mail server per worker, all recording into one
Mailbox that can refuse (4xx) or hold a message (so a worker can be killed while it sends); a
Slack stub that can fail; a sender that retries a refused or unanswered webhook on the next
web server, as Alertmanager does; and the tests' load (`Load`) on the services `set_up` makes.

No Django here: the bench imports it too."""

import asyncio
import contextlib
import http.client
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.chat.stub import SlackStub
from tests.core.support import KIZUKI, call, serving, wait_until

MARKER = "LOAD-"  # every paging alert's title carries LOAD-<n>; pages are counted by it
REFUSAL = "451 4.3.0 Try again later"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def markers(text: str) -> set[str]:
    return {word.strip(".,:*[]()") for word in text.split() if word.startswith(MARKER)}


@dataclass
class Mailbox:
    """What the mail servers accepted, by marker (more than one message is a duplicate)."""

    received: Counter[str] = field(default_factory=Counter)
    deliveries: Counter[tuple[str, str]] = field(default_factory=Counter)  # (marker, recipient)
    arrived: dict[str, float] = field(default_factory=dict)
    refusing: threading.Event = field(default_factory=threading.Event)
    refused: int = 0
    # hold(server): the next message that server gets is kept waiting until release().
    hold_server: int | None = None
    held: str = ""
    released: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def hold(self, server: int) -> None:
        self.held, self.hold_server = "", server
        self.released.clear()

    def release(self) -> None:
        self.hold_server = None
        self.released.set()

    def record(self, content: bytes, recipients: list[str]) -> set[str]:
        found = markers(content.decode("utf-8", "replace"))
        with self.lock:
            for marker in found:
                self.arrived.setdefault(marker, time.monotonic())
                self.received[marker] += 1
                self.deliveries.update((marker, to) for to in recipients)
        return found


class _Handler:
    """One mail server's aiosmtpd handler; `index` says which server (which worker) it is."""

    def __init__(self, mailbox: Mailbox, index: int) -> None:
        self.mailbox, self.index = mailbox, index

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, _server: SMTP, _session: Session, envelope: Envelope, address: str, _options: Any
    ) -> str:
        if self.mailbox.refusing.is_set():
            with self.mailbox.lock:
                self.mailbox.refused += 1
            return REFUSAL
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, _server: SMTP, _session: Session, envelope: Envelope
    ) -> str:
        # The server has the whole message: it counts, even if the sender never hears the 250.
        found = self.mailbox.record(envelope.original_content or b"", envelope.rcpt_tos)
        if self.mailbox.hold_server == self.index and not self.mailbox.held:
            self.mailbox.held = min(found, default="?")
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, self.mailbox.released.wait, 60)
        return "250 Message accepted for delivery"


class MailServers:
    """`count` SMTP servers on 127.0.0.1 sharing one Mailbox."""

    def __init__(self, count: int) -> None:
        self.mailbox = Mailbox()
        self.controllers = [
            Controller(_Handler(self.mailbox, n), hostname="127.0.0.1", port=free_port())
            for n in range(count)
        ]
        for controller in self.controllers:
            controller.start()

    def url(self, index: int) -> str:
        return f"smtp://127.0.0.1:{self.controllers[index].port}"

    def stop(self) -> None:
        self.mailbox.release()
        for controller in self.controllers:
            controller.stop()


SLACK_USER = "U0PAGED01"


def slack_stub() -> SlackStub:
    stub = SlackStub().start()
    stub.add_user(SLACK_USER, "paged@example.test", "paged")
    return stub


def slack_failing(stub: SlackStub, failing: bool) -> None:
    """Slack down, or back: opening a DM answers 500 internal_error and 429 ratelimited in
    turn (both mean "try again later")."""
    with stub.lock:
        stub.failures.clear()
    for _ in range(500 if failing else 0):
        stub.fail("conversations.open", "internal_error", times=1, status=500)
        stub.fail("conversations.open", "ratelimited", times=1, status=429)


def slack_calls(stub: SlackStub, method: str) -> int:
    with stub.lock:
        return sum(1 for call in stub.calls if call.method == method)


def slack_posts(stub: SlackStub) -> list[str]:
    """The direct messages Slack accepted (a failed call leaves no message)."""
    with stub.lock:
        return [
            str(message.get("text", ""))
            for channel in stub.channels.values()
            if channel.is_im
            for message in channel.messages
        ]


class Child:
    """A process in its own process group, its output in a file (kill -9 takes the group)."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.argv, self.env, self.log_path = argv, env, log
        self.log: TextIO = log.open("a")
        self.process = subprocess.Popen(
            argv,
            env={**env, "PYTHONUNBUFFERED": "1"},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """kill -9, the whole process group (a gunicorn master and its worker alike)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> int:
        if self.alive():
            self.process.terminate()
        try:
            code = self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.kill()
            code = -9
        self.log.close()
        return code

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")


class Cluster:
    """`webs` gunicorn servers and `workers` `kizuki worker` processes with one environment;
    worker n sends mail through `email_url(n)`. Killed ones are started again by `restart_*`,
    as a process supervisor would."""

    def __init__(
        self,
        env: dict[str, str],
        workdir: Path,
        email_url: Callable[[int], str],
        *,
        webs: int = 2,
        workers: int = 2,
        web_threads: int = 4,
    ) -> None:
        self.env, self.workdir, self.email_url = env, workdir, email_url
        self.web_threads = web_threads
        self.ports = [free_port() for _ in range(webs)]
        self.webs = [self._web(n) for n in range(webs)]
        self.workers = [self._worker(n) for n in range(workers)]

    def _web(self, n: int) -> Child:
        argv = [sys.executable, "-m", "gunicorn", "kizuki.config.wsgi"]
        argv += ["--bind", f"127.0.0.1:{self.ports[n]}", "--workers", "1"]
        argv += ["--threads", str(self.web_threads), "--graceful-timeout", "5"]
        # Several servers on one machine: gunicorn's control socket has one default path.
        argv += ["--no-control-socket"]
        return Child(argv, self.env, self.workdir / f"web{n}.log")

    def _worker(self, n: int) -> Child:
        env = {**self.env, "KIZUKI_EMAIL_URL": self.email_url(n)}
        return Child([KIZUKI, "worker"], env, self.workdir / f"worker{n}.log")

    def _serving(self, n: int) -> bool:
        if not self.webs[n].alive():
            msg = f"web server {n} exited:\n{self.webs[n].output()[-3000:]}"
            raise AssertionError(msg)
        return serving(self.ports[n])

    def wait_serving(self, seconds: float = 90) -> None:
        for n in range(len(self.webs)):
            wait_until(partial(self._serving, n), seconds, f"web server {n} to answer")

    def start_web(self, n: int) -> None:
        """Start web server n again (after a kill); `wait_serving` waits for it."""
        self.webs[n] = self._web(n)

    def restart_worker(self, n: int) -> None:
        self.workers[n] = self._worker(n)

    def stop_workers(self) -> list[int]:
        return [worker.stop() for worker in self.workers]

    def stop(self) -> list[int]:
        return [child.stop() for child in [*self.workers, *self.webs]]


@dataclass
class Outcome:
    status: int  # the last answer; 0: none
    tries: int
    seconds: float  # from the first try to the last answer


class Sender:
    """Posts webhooks round-robin over the web servers. A refused connection, a lost answer,
    429 or 5xx is tried again on the next server after a short pause (Alertmanager does the
    same) until `give_up_after` seconds; only a 2xx counts as accepted."""

    def __init__(self, ports: list[int], give_up_after: float = 60, pause: float = 0.2) -> None:
        self.ports = ports
        self.next = itertools.count()
        self.give_up_after, self.pause = give_up_after, pause
        self.answers: Counter[str] = Counter()
        self.latencies: list[float] = []  # of each try answered 2xx
        self.refusals: dict[int, str] = {}  # the first body of each refusing status
        self.lock = threading.Lock()

    def _try(self, port: int, path: str, body: bytes, headers: dict[str, str]) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("POST", path, body, headers)
            response = connection.getresponse()
            answer = response.read()
        finally:
            connection.close()
        if response.status >= 300:
            with self.lock:
                self.refusals.setdefault(response.status, answer.decode("utf-8", "replace"))
        return response.status

    def post(self, path: str, payload: Any) -> Outcome:
        body = json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"}
        started = time.monotonic()
        tries = 0
        while True:
            tries += 1
            port = self.ports[next(self.next) % len(self.ports)]
            began = time.monotonic()
            try:
                status, what = self._try(port, path, body, headers), ""
            except ConnectionRefusedError:
                status, what = 0, "refused"
            except OSError:
                status, what = 0, "no answer"
            with self.lock:
                self.answers[what or str(status)] += 1
                if 200 <= status < 300:
                    self.latencies.append(time.monotonic() - began)
            if 200 <= status < 300 or (400 <= status < 500 and status != 429):
                return Outcome(status, tries, time.monotonic() - started)
            if time.monotonic() - started > self.give_up_after:
                return Outcome(status, tries, time.monotonic() - started)
            time.sleep(self.pause)  # a sender's back-off before its retry, not a test's wait

    def post_while_killed(
        self, path: str, payload: Any, port: int, kill: Callable[[], None]
    ) -> tuple[bool, int]:
        """Send to `port` and kill that server before it answers (mid-ingestion), then retry
        as usual. Returns whether the first try went unanswered, and the final status."""
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("POST", path, json.dumps(payload), {"Content-Type": "application/json"})
        kill()
        try:
            connection.getresponse().read()
            cut_short = False
        except OSError:
            cut_short = True
        finally:
            connection.close()
        with self.lock:
            self.answers["no answer" if cut_short else "answered before the kill"] += 1
        return cut_short, self.post(path, payload).status


def alertmanager(group: str, fingerprints: list[str], title: str) -> dict[str, Any]:
    """An Alertmanager webhook (version 4) firing `fingerprints` in group `group`."""
    return {
        "version": "4",
        "groupKey": f'{{}}:{{alertname="{group}"}}',
        "status": "firing",
        "receiver": "kizuki",
        "groupLabels": {"alertname": group},
        "commonLabels": {"alertname": group},
        "commonAnnotations": {},
        "externalURL": "http://127.0.0.1:9093",
        "alerts": [
            {
                "status": "firing",
                "fingerprint": fingerprint,
                "labels": {"alertname": group, "instance": fingerprint, "severity": "critical"},
                "annotations": {"summary": title},
                "startsAt": "2026-11-25T00:00:00Z",
                "endsAt": "0001-01-01T00:00:00Z",
                "generatorURL": "http://127.0.0.1:9090/graph",
            }
            for fingerprint in fingerprints
        ],
    }


PAGING_EVERY = 4  # one webhook in four opens a new group that pages someone


def set_up(port: int, token: str, *, slack: bool = True, person: str = "paged") -> tuple[str, str]:
    """Through the API: `person` is reached by e-mail (and Slack, at once); service Checkout
    pages them, service Storm pages nobody. Returns both Alertmanager paths."""
    rules = [{"method": "email", "address": "paged@example.test", "delay_minutes": 0}]
    if slack:
        rules.append({"method": "slack", "address": SLACK_USER, "delay_minutes": 0})
    for rule in rules:
        answer = call(port, "POST", f"/api/v1/users/{person}/notification-rules", rule, token)
        assert answer.status == 201, answer.body
    steps = [{"targets": [{"type": "user", "id": person}], "wait_minutes": 30}]
    policy = call(
        port,
        "POST",
        "/api/v1/escalation-policies",
        {"name": "P", "repeat": 0, "steps": steps},
        token,
    )
    assert policy.status == 201, policy.body
    paths = []
    for name, chosen in (("Checkout", policy.body["id"]), ("Storm", None)):
        body = {"name": name, "team": None, "escalation_policy": chosen}
        service = call(port, "POST", "/api/v1/services", body, token)
        assert service.status == 201, service.body
        kind = {"kind": "alertmanager", "name": "am", "rate_limit_per_minute": 1_000_000}
        url = f"/api/v1/services/{service.body['id']}/integrations"
        integration = call(port, "POST", url, kind, token)
        assert integration.status == 201, integration.body
        paths.append(urlsplit(str(integration.body["url"])).path)
    return paths[0], paths[1]


class Load:
    """Senders posting until stopped: every PAGING_EVERY-th webhook a new paging group
    LOAD-<n> (two alerts), the others repeats into five storm groups."""

    def __init__(self, sender: Sender, paging: str, storm: str) -> None:
        self.sender, self.paging, self.storm = sender, paging, storm
        self.accepted: Counter[str] = Counter()  # fingerprint: webhooks answered 2xx
        self.paging_groups: list[str] = []
        self.unaccepted: list[int] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, args=(n,)) for n in range(2)]
        for thread in self.threads:
            thread.start()

    def payload(self, n: int) -> tuple[str, dict[str, Any], str]:
        if n % PAGING_EVERY == 0:
            group = f"{MARKER}{n}"
            return self.paging, alertmanager(group, [f"{group}-a", f"{group}-b"], group), group
        group = f"storm{n % 5}"
        fingerprints = [f"{group}-{(n * 3 + k) % 40}" for k in range(3)]
        return self.storm, alertmanager(group, fingerprints, f"Storm {n % 5}"), ""

    def send(self, n: int) -> int:
        path, payload, paging_group = self.payload(n)
        outcome = self.sender.post(path, payload)
        with self.lock:
            if 200 <= outcome.status < 300:
                self.accepted.update(alert["fingerprint"] for alert in payload["alerts"])
                if paging_group:
                    self.paging_groups.append(paging_group)
            else:
                self.unaccepted.append(n)
        return outcome.status

    def _run(self, thread: int) -> None:
        for n in range(thread * 100_000, thread * 100_000 + 2_000):
            self.send(n)
            if self.stop.wait(0.05):  # pacing the sender, not waiting for anything
                return

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)

    def count(self) -> int:
        with self.lock:
            return sum(self.accepted.values())
