"""The production shape under load, and with --faults under faults as well.

    .venv/bin/python bench/production.py [--alerts 50000] [--seconds 60] [--faults]
                                         [--fault-seconds 120] [--outage 10]

PostgreSQL (a database of its own, created and dropped), two web servers (gunicorn, as
`kizuki serve` runs it; the sender goes round-robin over both) and two `kizuki worker`
processes, a local mail server per worker and a Slack stub. The load: --alerts alerts in
Alertmanager webhooks of 10 over --seconds; 30% of webhooks open a new group, one in five of
those on a service that pages (step 1: `paged1` by e-mail and Slack; after a minute, step 2:
`paged2` by e-mail); the rest are repeats into 200 storm groups. Meanwhile four simulated
users browse (dashboard, incident list, alert list, the API's incident list) about 4 req/s.

--faults adds, during the load: kill -9 of a worker while it hands a page to the mail server,
kill -9 of a web server with a webhook in flight (senders retry refused or unanswered requests
on the other server, as Alertmanager does; only 2xx counts as accepted), a real PostgreSQL
restart (with --faults the database lives on a PostgreSQL server of the run's own, on
loopback, which crashes (immediate stop) and is started again --outage s later; the machine's
own PostgreSQL is shared and is never restarted), and the mail servers refusing
(451) and Slack failing (500 / 429) for --fault-seconds. Killed processes are started again, as
a supervisor would.

Then it waits until every page is settled and checks: every accepted alert stored (by
fingerprint and count), every page sent, duplicates no more than one per killed lease. It
prints throughput, request p50/p99, alert-to-page times and escalation lateness, and exits 1
when a check fails.
"""

import argparse
import http.client
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
from run import ROOT, drop_database, percentile

sys.path.insert(0, str(ROOT))
from tests.core.load_support import (
    MARKER,
    SLACK_USER,
    Cluster,
    MailServers,
    Sender,
    alertmanager,
    markers,
    slack_failing,
    slack_posts,
    slack_stub,
)
from tests.core.private_postgres import PrivatePostgres
from tests.core.support import KIZUKI, call, kizuki_env

PER_WEBHOOK = 10
STEP_WAIT_MINUTES = 1
PASSWORD = "bench-password-1"  # noqa: S105 - a throwaway account in a throwaway database


def create_database() -> str:
    name = f"kizuki_production_{random.randrange(10**6)}"
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {name}"]
    subprocess.run(psql, check=True)
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def kizuki(env: dict[str, str], *argv: str) -> str:
    done = subprocess.run([KIZUKI, *argv], env=env, check=True, capture_output=True, text=True)
    return done.stdout


def set_up(port: int, token: str) -> tuple[str, str]:
    """Rules, a two-step policy, a paging service and a storm service; the two paths."""

    def post(path: str, body: dict[str, Any]) -> Any:
        answer = call(port, "POST", path, body, token)
        assert answer.status == 201, (path, answer.body)
        return answer.body

    rules = [
        ("paged1", "email", "paged1@example.test"),
        ("paged1", "slack", SLACK_USER),
        ("paged2", "email", "paged2@example.test"),
    ]
    for person, method, address in rules:
        rule = {"method": method, "address": address, "delay_minutes": 0}
        post(f"/api/v1/users/{person}/notification-rules", rule)
    steps = [
        {"targets": [{"type": "user", "id": "paged1"}], "wait_minutes": STEP_WAIT_MINUTES},
        {"targets": [{"type": "user", "id": "paged2"}], "wait_minutes": STEP_WAIT_MINUTES},
    ]
    policy = post("/api/v1/escalation-policies", {"name": "Primary", "repeat": 0, "steps": steps})
    paths = []
    for name, chosen in (("Checkout", policy["id"]), ("Storm", None)):
        service = post(
            "/api/v1/services", {"name": name, "team": None, "escalation_policy": chosen}
        )
        integration = post(
            f"/api/v1/services/{service['id']}/integrations",
            {"kind": "alertmanager", "name": "am", "rate_limit_per_minute": 100_000_000},
        )
        paths.append(urlsplit(str(integration["url"])).path)
    return paths[0], paths[1]


class Load:
    """The alert stream: what was sent, what was accepted (2xx), when paging groups went out."""

    def __init__(self, sender: Sender, paging: str, storm: str, seed: int = 15) -> None:
        self.sender, self.paging, self.storm = sender, paging, storm
        self.rng = random.Random(seed)
        self.accepted: Counter[str] = Counter()
        self.sent_at: dict[str, float] = {}  # paging group: first try
        self.paging_groups: list[str] = []
        self.unaccepted = 0
        self.lock = threading.Lock()

    def payload(self, n: int) -> tuple[str, dict[str, Any], str]:
        draw = self.rng.random()
        if draw < 0.06:  # new group that pages (a fifth of the 30% new groups)
            group = f"{MARKER}{n}"
            fingerprints = [f"{group}-{k}" for k in range(PER_WEBHOOK)]
            return self.paging, alertmanager(group, fingerprints, f"{group} checkout down"), group
        if draw < 0.30:  # new group nobody is paged for
            group = f"new{n}"
            fingerprints = [f"{group}-{k}" for k in range(PER_WEBHOOK)]
            return self.storm, alertmanager(group, fingerprints, f"New {n}"), ""
        group = f"storm{self.rng.randrange(200)}"
        fingerprints = [f"{group}-{self.rng.randrange(50)}" for _ in range(PER_WEBHOOK)]
        return self.storm, alertmanager(group, fingerprints, group), ""

    def send(self, path: str, payload: dict[str, Any], group: str) -> None:
        if group:
            with self.lock:
                self.sent_at[group] = time.monotonic()
        outcome = self.sender.post(path, payload)
        with self.lock:
            if 200 <= outcome.status < 300:
                self.accepted.update(alert["fingerprint"] for alert in payload["alerts"])
                if group:
                    self.paging_groups.append(group)
            else:
                self.unaccepted += 1

    def run(self, webhooks: int, seconds: float) -> float:
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=64) as pool:
            for n in range(webhooks):
                pause = started + n * seconds / webhooks - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                pool.submit(self.send, *self.payload(n))
        return time.monotonic() - started


class Browsing:
    """People using the web app meanwhile: logged-in pages and the API, a request each
    `every` seconds per person."""

    PAGES = ("/", "/incidents/", "/alerts/", "/api/v1/incidents")

    def __init__(self, ports: list[int], token: str, people: int = 4, every: float = 1.0) -> None:
        self.ports, self.token, self.every = ports, token, every
        self.latencies: list[float] = []
        self.answers: Counter[str] = Counter()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._person, args=(n,)) for n in range(people)]
        for thread in self.threads:
            thread.start()

    def _request(self, port: int, path: str, headers: dict[str, str], body: str = "") -> Any:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            method = "POST" if body else "GET"
            connection.request(method, path, body or None, headers)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    def _log_in(self, port: int) -> str:
        _, headers, page = self._request(port, "/login/", {})
        cookie = next(v.split(";")[0] for k, v in headers if k.lower() == "set-cookie")
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert found, "no CSRF token on the login page"
        form = f"username=bench&password={PASSWORD}&csrfmiddlewaretoken={found[1].decode()}"
        form_headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
        status, headers, _ = self._request(port, "/login/", form_headers, form)
        assert status == 302, f"login answered {status}"
        cookies = [v.split(";")[0] for k, v in headers if k.lower() == "set-cookie"]
        return "; ".join(cookies)

    def _person(self, n: int) -> None:
        session = ""
        turn = n
        while not self.stop.wait(self.every):  # a person's pace, not a wait for anything
            turn += 1
            port, path = self.ports[turn % len(self.ports)], self.PAGES[turn % len(self.PAGES)]
            began = time.monotonic()
            try:
                if path.startswith("/api/"):
                    headers = {"Authorization": f"Bearer {self.token}"}
                else:
                    session = session or self._log_in(port)
                    headers = {"Cookie": session}
                status = self._request(port, path, headers)[0]
            except (OSError, AssertionError, StopIteration):
                status = 0
            self.answers[str(status) if status else "no answer"] += 1
            if status == 200:
                self.latencies.append(time.monotonic() - began)

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


class Faults:
    """The faults, one after another, while the load runs; notes what happened."""

    def __init__(
        self, cluster: Cluster, mail: MailServers, slack: Any, postgres: PrivatePostgres, url: str
    ) -> None:
        self.cluster, self.mail, self.slack, self.postgres = cluster, mail, slack, postgres
        self.url = url
        self.log: list[str] = []
        self.killed_leases = 0
        self.killed_group = ""
        self.started = time.monotonic()

    def note(self, text: str) -> None:
        self.log.append(f"{time.monotonic() - self.started:6.1f} s  {text}")

    def kill_worker_mid_send(self) -> None:
        mailbox = self.mail.mailbox
        mailbox.hold(0)
        # Worker 1 may take every batch for a while: wait for worker 0's turn.
        deadline = time.monotonic() + 300
        while not mailbox.held and time.monotonic() < deadline:
            time.sleep(0.05)
        if not mailbox.held:
            self.note("worker 0 sent no page within 300 s: not killed")
            mailbox.release()
            return
        self.cluster.workers[0].kill()
        # The bound on duplicates: every page leased then (the killed worker's batch, some of
        # it maybe sent already, and the other worker's pages in flight, which it records).
        sql = "SELECT count(*) FROM oncall_page WHERE status = 'sending'"
        self.killed_leases = int(query(self.url, sql)[0][0])
        mailbox.release()
        self.note(
            f"kill -9 worker 0 while it sent the page for {mailbox.held};"
            f" {self.killed_leases} page(s) leased at that moment"
        )
        self.cluster.restart_worker(0)

    def kill_web_mid_ingestion(self, sender: Sender, path: str) -> None:
        group = f"{MARKER}killed"
        body = alertmanager(group, [f"{group}-{k}" for k in range(PER_WEBHOOK)], group)
        cut_short, status = sender.post_while_killed(
            path, body, self.cluster.ports[0], self.cluster.webs[0].kill
        )
        unanswered = "unanswered" if cut_short else "answered (the kill came too late)"
        self.note(f"kill -9 web server 0 with a webhook in flight: {unanswered}; retried: {status}")
        self.killed_group = group if 200 <= status < 300 else ""
        self.cluster.start_web(0)
        self.cluster.wait_serving()
        self.note("web server 0 started again and serving")

    def outage(self, seconds: float) -> None:
        self.postgres.crash()
        self.note(f"PostgreSQL crashed (pg_ctl stop -m immediate); starting it in {seconds:g} s")
        time.sleep(seconds)
        self.postgres.start()
        self.note("PostgreSQL started again (crash recovery done)")

    def channels_failing(self, seconds: float) -> None:
        self.mail.mailbox.refusing.set()
        slack_failing(self.slack, True)
        self.note(f"mail servers refuse (451), Slack fails (500/429) for {seconds:g} s")
        time.sleep(seconds)
        self.mail.mailbox.refusing.clear()
        slack_failing(self.slack, False)
        self.note("mail and Slack back")

    def run(self, sender: Sender, path: str, args: argparse.Namespace) -> None:
        """Each fault on its own clock from the start of the load, so they overlap: a slow
        restart of one does not push the others out of the load."""
        plan: list[tuple[float, Any, tuple[Any, ...]]] = [
            (3, self.kill_worker_mid_send, ()),
            (8, self.kill_web_mid_ingestion, (sender, path)),
            (12, self.channels_failing, (args.fault_seconds,)),
            (20, self.outage, (args.outage,)),
        ]
        threads = [
            threading.Timer(at - (time.monotonic() - self.started), fault, arguments)
            for at, fault, arguments in plan
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def query(url: str, sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as db:
        return list(db.execute(sql).fetchall())


def settle(url: str, limit: float) -> float:
    """Until every escalation has run its steps and every page is sent or failed."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        (open_pages,) = query(
            url, "SELECT count(*) FROM oncall_page WHERE status IN ('pending', 'sending')"
        )[0]
        (running,) = query(url, "SELECT count(*) FROM oncall_escalation WHERE status = 'active'")[0]
        if open_pages == 0 and running == 0:
            break
        time.sleep(1)
    return time.monotonic() - started


def lateness(url: str) -> list[float]:
    """Seconds each escalation step ran after it was due. Kizuki records when a step ran (the
    'step' event) but not when it was due: step 1 is due when the escalation starts, step n+1
    the policy's wait after step n ran."""
    rows = query(
        url,
        "SELECT e.id, e.started_at, ev.at, (ev.data->>'step')::int FROM oncall_escalation e"
        " JOIN oncall_escalationevent ev ON ev.escalation_id = e.id AND ev.kind = 'step'"
        " ORDER BY e.id, ev.at",
    )
    late: list[float] = []
    previous: dict[int, datetime] = {}
    for escalation, started, ran, step in rows:
        due = started if step == 1 else previous[escalation] + timedelta(minutes=STEP_WAIT_MINUTES)
        late.append((ran - due).total_seconds())
        previous[escalation] = ran
    return late


def ms(values: list[float]) -> str:
    if not values:
        return "none"
    p50, p99 = statistics.median(values) * 1000, percentile(values, 0.99) * 1000
    return f"p50 {p50:7.0f} ms   p99 {p99:7.0f} ms   max {max(values) * 1000:7.0f} ms"


@dataclass
class Run:
    """Everything one run started, for the checks, the report and the clean-up."""

    args: argparse.Namespace
    url: str
    cluster: Cluster
    mail: MailServers
    slack: Any
    postgres: PrivatePostgres | None  # with --faults: the server that is restarted
    token: str


def start(args: argparse.Namespace) -> Run:
    postgres = PrivatePostgres() if args.faults else None
    if postgres is not None:
        postgres.start()
        url = postgres.create_database("kizuki_production")
    else:
        url = create_database()
    workdir = Path(tempfile.mkdtemp(prefix="kizuki-production-"))
    mail = MailServers(2)
    slack = slack_stub()
    env = kizuki_env(
        url,
        KIZUKI_SLACK_BOT_TOKEN=slack.token,
        KIZUKI_SLACK_SIGNING_SECRET=slack.signing_secret,
        KIZUKI_SLACK_API_URL=slack.url,
    )
    kizuki(env, "migrate", "-v0")
    kizuki(env, "user", "create", "bench", "--role", "admin", "--password", PASSWORD)
    for person in ("paged1", "paged2"):
        email = f"{person}@example.test"
        kizuki(env, "user", "create", person, "--role", "responder", "--email", email)
    token = kizuki(env, "token", "create", "bench").strip()
    cluster = Cluster(env, workdir, mail.url, web_threads=args.web_threads)
    return Run(args, url, cluster, mail, slack, postgres, token)


@dataclass
class Results:
    load: Load
    sender: Sender
    browsing: Browsing
    faults: Faults | None
    took: float = 0.0
    settled: float = 0.0
    failed: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def drive(run: Run) -> Results:
    """The load, the browsing and (with --faults) the faults; then wait for paging to settle."""
    run.cluster.wait_serving()
    paging, storm = set_up(run.cluster.ports[0], run.token)
    sender = Sender(run.cluster.ports, give_up_after=300, pause=1.0)
    faults = (
        Faults(run.cluster, run.mail, run.slack, run.postgres, run.url) if run.postgres else None
    )
    results = Results(
        Load(sender, paging, storm), sender, Browsing(run.cluster.ports, run.token), faults
    )
    fault_thread = None
    if faults is not None:
        fault_thread = threading.Thread(target=faults.run, args=(sender, paging, run.args))
        fault_thread.start()
    try:
        results.took = results.load.run(run.args.alerts // PER_WEBHOOK, run.args.seconds)
    finally:
        results.browsing.finish()
        if fault_thread is not None:
            fault_thread.join()
    results.settled = settle(run.url, limit=600)
    return results


def check(run: Run, results: Results) -> None:
    """Nothing lost, nothing sent twice beyond one per killed lease; the report's lines."""
    load, mailbox, faults = results.load, run.mail.mailbox, results.faults
    stored = dict(query(run.url, "SELECT dedup_key, received_count FROM alerts_alert"))
    missing = [fp for fp, times in load.accepted.items() if stored.get(fp, 0) < times]
    groups = [
        *load.paging_groups,
        *([faults.killed_group] if faults and faults.killed_group else []),
    ]
    pages = dict(query(run.url, "SELECT status, count(*) FROM oncall_page GROUP BY status"))
    due, expected = sum(pages.values()), 3 * len(groups)  # e-mail and Slack, then e-mail
    posted = Counter(m for text in slack_posts(run.slack) for m in markers(text))
    wanted = {(g, f"{who}@example.test") for g in groups for who in ("paged1", "paged2")}
    unsent = sorted(wanted - set(mailbox.deliveries)) + sorted(set(groups) - set(posted))
    duplicates = sum(n - 1 for n in [*mailbox.deliveries.values(), *posted.values()] if n > 1)
    killed = faults.killed_leases if faults else 0
    failed = results.failed
    if load.unaccepted:
        failed.append(f"{load.unaccepted} webhooks never accepted")
    if missing:
        failed.append(f"{len(missing)} accepted alerts not stored, e.g. {missing[:3]}")
    if due != expected or pages.get("sent", 0) != due:
        failed.append(f"pages {pages} for {len(groups)} paging groups (expected {expected})")
    if unsent:
        failed.append(f"{len(unsent)} pages never arrived, e.g. {unsent[:3]}")
    if duplicates > killed:
        failed.append(f"{duplicates} duplicates > {killed} killed lease(s)")
    delays = [
        mailbox.arrived[g] - load.sent_at[g]
        for g in groups
        if g in mailbox.arrived and g in load.sent_at
    ]
    late = lateness(run.url)
    alerts = sum(load.accepted.values())
    webhooks = run.args.alerts // PER_WEBHOOK
    results.lines += [
        f"  load:            {webhooks} webhooks of {PER_WEBHOOK} alerts over {results.took:.0f} s",
        f"  accepted:        {alerts} alerts ({alerts / results.took:.0f}/s);"
        f" {load.unaccepted} webhooks refused for good",
        f"  answers:         {json.dumps(dict(sorted(results.sender.answers.items())))}",
        *(f"  first {code}:       {body[:200]}" for code, body in results.sender.refusals.items()),
        f"  ingest requests: {ms(results.sender.latencies)}",
        f"  browsing:        {ms(results.browsing.latencies)}"
        f"   {json.dumps(dict(sorted(results.browsing.answers.items())))}",
        f"  stored:          {len(stored)} distinct alerts; accepted but missing: {len(missing)}",
        f"  paging groups:   {len(groups)}   pages {due} (expected {expected}) {json.dumps(pages)}",
        f"  delivered:       e-mails {sum(mailbox.deliveries.values())}"
        f"   Slack {sum(posted.values())}   duplicates {duplicates}"
        f" (bound: {killed} leased at the kill)",
        f"  alert to page:   {ms(delays)}   (first message of each paging group)",
        f"  step lateness:   {ms(late)}   ({len(late)} steps, from the step events)",
        f"  settled:         {results.settled:.0f} s after the load and the faults",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--alerts", type=int, default=50_000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--faults", action="store_true")
    parser.add_argument("--fault-seconds", type=float, default=120, help="mail and Slack down")
    parser.add_argument("--outage", type=float, default=10, help="PostgreSQL away (s)")
    parser.add_argument("--web-threads", type=int, default=4)
    args = parser.parse_args()
    run = start(args)
    try:
        results = drive(run)
        check(run, results)
    finally:
        run.cluster.stop()
        run.mail.stop()
        run.slack.stop()
        if run.postgres is not None:
            run.postgres.cleanup()  # its data directory too
        else:
            drop_database(run.url)
    load_average = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(
        f"production shape on PostgreSQL: 2 web servers ({args.web_threads} threads each),"
        f" 2 workers{', with faults' if args.faults else ''}; load average {load_average}"
    )
    print("\n".join(results.lines))
    if results.faults is not None:
        print("  faults:")
        print("\n".join(f"    {line}" for line in results.faults.log))
    print("  checks:          " + ("passed" if not results.failed else "FAILED"))
    print("\n".join(f"    {failure}" for failure in results.failed))
    sys.exit(1 if results.failed else 0)


if __name__ == "__main__":
    main()
