"""Paging throughput and alert-to-page latency, with real `kizuki worker` processes, a real
database and a local SMTP server on loopback.

    .venv/bin/python bench/paging.py drain   --database sqlite|postgresql [--pages 3000]
                                             [--workers 1]
    .venv/bin/python bench/paging.py latency [--workers 1 2 4] [--rate 200] [--seconds 10]
                                             [--database postgresql] [--senders 8]

drain:   N escalations, all due at once, each paging one person by e-mail (what an alert
         storm where every alert opens a new group leaves behind), then --workers worker
         processes run the steps and send the pages. Prints pages/s from the first message the
         mail server receives to the last (worker start-up is not counted), and duplicates.
latency: `kizuki serve` (web and one worker) plus workers up to --workers; --rate new alert
         groups per second for --seconds, each paging one person by e-mail, offered by
         --senders threads (each its own keep-alive connection) on one shared schedule.
         Prints the rate achieved and p50/p99 from the POST of the alert to the mail server
         receiving the page, once per worker count.

Both print `uptime`'s load average beside the figures: the machine is shared, so compare
figures from the same run.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

from aiosmtpd.controller import Controller
from run import (
    KIZUKI,
    MailRecorder,
    Senders,
    Server,
    database_url,
    drop_database,
    free_port,
    paging_policy,
    percentile,
    setup_service,
)


def load() -> str:
    """The load average over 1, 5 and 15 minutes, as `uptime` shows it."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def seed(count: int) -> None:
    """In a child process with the bench's database: a person with an e-mail rule and
    `count` escalations due now, each paging that person."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuki.config.settings")
    import django  # noqa: PLC0415 - Django is set up for this child process only

    django.setup()
    from django.db import transaction  # noqa: PLC0415

    from kizuki.accounts.models import OrgRole, User  # noqa: PLC0415
    from kizuki.notify.actions import add_rule  # noqa: PLC0415
    from kizuki.oncall import actions  # noqa: PLC0415

    with transaction.atomic():
        person = User.objects.create_user(
            "pager", email="pager@example.test", org_role=OrgRole.RESPONDER
        )
        add_rule(person, person, "email", "pager@example.test", 0)
        policy = actions.create_policy(
            None, "Drain", steps=[{"targets": [{"type": "user", "id": "pager"}]}]
        )
        for n in range(count):
            actions.start_escalation(policy, f"BENCH-{n} drain")


def workers(count: int, env: dict[str, str]) -> list[subprocess.Popen[bytes]]:
    return [
        subprocess.Popen(
            [KIZUKI, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for _ in range(count)
    ]


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=30)


def bench_drain(args: argparse.Namespace) -> None:
    recorder = MailRecorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    workdir = tempfile.mkdtemp(prefix="kizuki-bench-")
    env = {
        **os.environ,
        "KIZUKI_DATABASE_URL": database_url(args.database, workdir),
        "KIZUKI_EMAIL_URL": f"smtp://127.0.0.1:{controller.port}",
        "KIZUKI_LANGUAGE": "en",
    }
    running: list[subprocess.Popen[bytes]] = []
    try:
        subprocess.run([KIZUKI, "migrate", "-v0"], env=env, check=True)
        subprocess.run(
            [sys.executable, __file__, "_seed", "--pages", str(args.pages)], env=env, check=True
        )
        running = workers(args.workers, env)
        deadline = time.monotonic() + 30 + args.pages / 10
        while len(recorder.arrived) < args.pages and time.monotonic() < deadline:
            time.sleep(0.1)
        times = sorted(recorder.arrived.values())
        print(
            f"drain on {args.database}: {args.pages} due escalations, one e-mail page each, "
            f"{args.workers} worker process(es); load {load()}"
        )
        print(f"  delivered {len(times)}/{args.pages}, duplicates {duplicates(recorder)}")
        if len(times) > 1:
            rate = (len(times) - 1) / (times[-1] - times[0])
            print(f"  {rate:8.0f} pages/s")
    finally:
        stop(running)
        controller.stop()
        drop_database(env["KIZUKI_DATABASE_URL"])


def duplicates(recorder: MailRecorder) -> int:
    return sum(count - 1 for count in recorder.received.values())


def latency_once(args: argparse.Namespace, count: int) -> None:
    recorder = MailRecorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    server = Server(args.database, email_url=f"smtp://127.0.0.1:{controller.port}")
    extra: list[subprocess.Popen[bytes]] = []
    try:
        path = setup_service(server, paging_policy(server, "Bench", wait_minutes=30))
        extra = workers(count - 1, server.env)
        # Let the extra workers start before the clock runs.
        time.sleep(3)
        total = int(args.rate * args.seconds)
        senders = Senders(server.port, path, args.rate, total, args.senders)
        achieved = senders.run()
        sent = senders.sent
        deadline = time.monotonic() + 60
        while len(recorder.arrived) < len(sent) and time.monotonic() < deadline:
            time.sleep(0.2)
        delays = [recorder.arrived[m] - t for m, t in sent.items() if m in recorder.arrived]
        print(
            f"alert to page on {args.database}, {count} worker(s): {total} new alert groups "
            f"offered at {achieved:.0f}/s (asked {args.rate:g}/s, {args.senders} senders), "
            f"{senders.refused} refused; load {load()}"
        )
        print(f"  delivered {len(delays)}/{len(sent)}, duplicates {duplicates(recorder)}")
        if delays:
            print(
                f"  p50 {statistics.median(delays) * 1000:7.0f} ms   "
                f"p99 {percentile(delays, 0.99) * 1000:7.0f} ms   max {max(delays) * 1000:7.0f} ms"
            )
    finally:
        stop(extra)
        server.stop()
        controller.stop()


def bench_latency(args: argparse.Namespace) -> None:
    for count in args.workers:
        latency_once(args, count)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("which", choices=["drain", "latency", "_seed"])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default=None)
    parser.add_argument("--pages", type=int, default=3000, help="drain: due escalations")
    parser.add_argument("--workers", type=int, nargs="+", default=None)
    parser.add_argument("--rate", type=float, default=200, help="latency: new groups per second")
    parser.add_argument("--seconds", type=float, default=10, help="latency: how long")
    parser.add_argument(
        "--senders", type=int, default=8, help="latency: sending threads, one connection each"
    )
    args: Any = parser.parse_args()
    if args.which == "_seed":
        seed(args.pages)
    elif args.which == "drain":
        args.database = args.database or "sqlite"
        args.workers = (args.workers or [1])[0]
        bench_drain(args)
    else:
        args.database = args.database or "postgresql"
        args.workers = args.workers or [1, 2, 4]
        bench_latency(args)


if __name__ == "__main__":
    main()
