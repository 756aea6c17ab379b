"""Many requests of one integration at once: repeated fingerprints make one group and one
alert each, counted exactly, and the rate limit refuses exactly what goes over it.

On PostgreSQL the requests run in threads of this process (each with its own connection);
on SQLite, whose test database lives in this process's memory, through `kizuki serve`
(gunicorn, two processes of four threads) on a database file of its own."""

import subprocess
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from kizuki.catalog.models import Service
from tests.alerts.support import alertmanager, am_alert, group, integration, send
from tests.conftest import Api, MovableClock
from tests.core.support import KIZUKI, Process, call, kizuki_env, run_kizuki, serving, wait_until
from tests.notify.support import free_port

POSTGRESQL = "postgresql" in str(settings.DATABASES["default"]["ENGINE"])
SENDERS = 8
HOSTS = 5  # groups, by the `instance` label
FINGERPRINTS = 10  # alerts, two per group

Post = Callable[[dict[str, Any]], tuple[int, dict[str, str], Any]]


def payload(seed: int) -> dict[str, Any]:
    """All the fingerprints, in an order of the sender's own (so requests open and lock the
    same groups in different orders)."""
    alerts = [am_alert(f"fp-{n}", instance=f"host-{n % HOSTS}") for n in range(FINGERPRINTS)]
    alerts = alerts[seed:] + alerts[:seed]
    return alertmanager(*(alerts[::-1] if seed % 2 else alerts))


def at_once(post: Post, payloads: list[dict[str, Any]]) -> list[tuple[int, dict[str, str], Any]]:
    """POST every payload from its own thread, all released together."""
    start = threading.Barrier(len(payloads))
    answers: list[tuple[int, dict[str, str], Any]] = []
    errors: list[BaseException] = []

    def sender(body: dict[str, Any]) -> None:
        try:
            start.wait()
            answers.append(post(body))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender, args=(body,)) for body in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return answers


def assert_one_group_per_host(
    answers: list[tuple[int, dict[str, str], Any]], alerts_of: Callable[[int], list[Any]]
) -> None:
    assert [status for status, _, _ in answers] == [202] * SENDERS, answers
    groups = {pk for _, _, body in answers for pk in body["groups"]}
    assert len(groups) == HOSTS
    seen: dict[str, int] = {}
    for pk in groups:
        for alert in alerts_of(pk):
            assert alert["dedup_key"] not in seen
            seen[alert["dedup_key"]] = alert["received_count"]
    assert seen == {f"fp-{n}": SENDERS for n in range(FINGERPRINTS)}


def assert_limit_exact(answers: list[tuple[int, dict[str, str], Any]], limit: int) -> None:
    """Requests of ten alerts each against `limit`: whole requests fit until the next would
    pass it; the rest are told when to come back."""
    fit = limit // FINGERPRINTS
    assert sorted(status for status, _, _ in answers) == [202] * fit + [429] * (SENDERS - fit)
    for status, headers, body in answers:
        if status == 429:
            assert body["code"] == "rate_limited"
            assert 0 < int(headers["retry-after"]) <= 60


@pytest.mark.skipif(not POSTGRESQL, reason="SQLite runs this through kizuki serve below")
@pytest.mark.django_db(transaction=True)
def test_parallel_requests_on_postgresql_make_one_group_and_count_exactly(
    admin_api: Api, viewer_api: Api, service: Service, frozen_clock: MovableClock
) -> None:
    path = integration(admin_api, service.pk, "alertmanager", grouping_key="instance")[1]

    def post(body: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        response = send(path, body)
        return (
            response.status_code,
            {"retry-after": response.get("Retry-After", "")},
            response.json(),
        )

    answers = at_once(post, [payload(seed) for seed in range(SENDERS)])
    assert_one_group_per_host(answers, lambda pk: group(viewer_api, pk)["alerts"])

    path = integration(admin_api, service.pk, "alertmanager", rate_limit_per_minute=35)[1]
    assert_limit_exact(at_once(post, [payload(seed) for seed in range(SENDERS)]), 35)


@pytest.fixture
def sqlite_server(tmp_path: Path) -> Iterator[tuple[int, str]]:
    """`kizuki serve` on a fresh SQLite file; yields its port and an admin's API token."""
    env = kizuki_env(f"sqlite:///{tmp_path / 'k.sqlite3'}")
    # Longer than run_kizuki allows: every migration on a busy machine can take minutes.
    migrated = subprocess.run(
        [KIZUKI, "migrate", "-v0"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        timeout=900,
        check=False,
    )
    assert migrated.returncode == 0, migrated.stderr
    run_kizuki(env, tmp_path, "user", "create", "ops", "--role", "admin", "--email", "o@x.test")
    token = run_kizuki(env, tmp_path, "token", "create", "ops").strip()
    port = free_port()
    server = Process(["serve", "--port", str(port), "--workers", "2"], env, tmp_path)
    try:
        wait_until(lambda: serving(port), 600, "the server")  # minutes on a busy machine
        yield port, token
    finally:
        server.stop()


def served_integration(port: int, token: str, name: str, **fields: Any) -> str:
    answer = call(port, "POST", "/api/v1/services", {"name": name, "team": None}, token)
    assert answer.status == 201, answer.body
    kind = {"kind": "alertmanager", "name": "am", **fields}
    answer = call(port, "POST", f"/api/v1/services/{answer.body['id']}/integrations", kind, token)
    assert answer.status == 201, answer.body
    return "/api/v1" + str(answer.body["url"]).split("/api/v1", 1)[1]


@pytest.mark.skipif(POSTGRESQL, reason="PostgreSQL runs this in threads above")
def test_parallel_requests_to_kizuki_serve_on_sqlite_make_one_group_and_count_exactly(
    sqlite_server: tuple[int, str],
) -> None:
    port, token = sqlite_server
    path = served_integration(port, token, "Checkout", grouping_key="instance")

    def post(body: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        answer = call(port, "POST", path, body)
        return answer.status, answer.headers, answer.body

    def alerts_of(pk: int) -> list[Any]:
        answer = call(port, "GET", f"/api/v1/alert-groups/{pk}", token=token)
        assert answer.status == 200, answer.body
        return list(answer.body["alerts"])

    answers = at_once(post, [payload(seed) for seed in range(SENDERS)])
    assert_one_group_per_host(answers, alerts_of)

    path = served_integration(port, token, "Billing", rate_limit_per_minute=35)
    # The server counts by its own clock's minute: start well inside one.
    wait_until(lambda: datetime.now(UTC).second < 50, 15, "a fresh minute")
    assert_limit_exact(at_once(post, [payload(seed) for seed in range(SENDERS)]), 35)
