"""A failing action holds up none of the others, is tried again after a growing pause (the
clock moves, no sleeping), and a retry never repeats the actions that already succeeded. The
timeline tells each failure and the later success."""

from typing import Any

import pytest

from tests.automation.support import automation_lines, declared, make_rule, runs, worker_text
from tests.conftest import Api, MovableClock
from tests.jobs import run_worker
from tests.notify.support import webhook_server

pytestmark = pytest.mark.django_db


def actions_of(api: Api, rule: dict[str, Any]) -> list[tuple[str, str, int]]:
    [run] = runs(api, rule["id"])
    return [(a["action"], a["status"], a["attempts"]) for a in run["actions"]]


def test_a_failing_webhook_is_retried_until_it_succeeds(
    admin_api: Api, responder_api: Api, frozen_clock: MovableClock, loopback_allowed: None
) -> None:
    with webhook_server(status=500) as (port, received):
        rule = make_rule(
            admin_api,
            "declared",
            [
                {"kind": "create_followup", "title": "Check the dashboards"},
                {"kind": "webhook", "url": f"http://127.0.0.1:{port}/hook"},
                {"kind": "stakeholder_update", "text": "We are on it."},
            ],
            name="Tell the status tool",
        )
        ref = declared(responder_api, severity=2)
        assert actions_of(admin_api, rule) == [
            ("create_followup", "succeeded", 1),
            ("webhook", "pending", 1),
            ("stakeholder_update", "succeeded", 1),
        ]
        frozen_clock.advance(seconds=30)
        run_worker()  # not due yet: the first pause is a minute
        assert len(received.requests) == 1
        frozen_clock.advance(seconds=31)
        run_worker()  # second attempt, still 500
        assert len(received.requests) == 2
        received.status = 200
        frozen_clock.advance(minutes=2, seconds=1)
        run_worker()  # third attempt succeeds
        frozen_clock.advance(hours=1)
        run_worker()  # nothing left to do
    assert len(received.requests) == 3
    assert [r["json"]["attempt"] for r in received.requests] == [1, 2, 3]
    assert actions_of(admin_api, rule) == [
        ("create_followup", "succeeded", 1),
        ("webhook", "succeeded", 3),
        ("stakeholder_update", "succeeded", 1),
    ]
    assert runs(admin_api, rule["id"])[0]["finished_at"] is not None
    # The other actions ran once.
    assert len(responder_api.get(f"/incidents/{ref}/followups").json()) == 1
    updates = responder_api.get(f"/incidents/{ref}/status-updates").json()
    assert len(updates) == 1
    name = "Rule “Tell the status tool”"
    assert automation_lines(responder_api, ref)[1:] == [
        f"{name}: Create a follow-up done: follow-up “Check the dashboards”.",
        f"{name}: Call a webhook failed (attempt 1) and will be tried again: "
        + worker_text("The webhook answered %(status)s.", status=500),
        f"{name}: Send a stakeholder update done.",
        f"{name}: Call a webhook failed (attempt 2) and will be tried again: "
        + worker_text("The webhook answered %(status)s.", status=500),
        f"{name}: Call a webhook succeeded on attempt 3: the webhook answered 200.",
    ]


def test_a_webhook_failing_for_good_gives_up(
    admin_api: Api, responder_api: Api, frozen_clock: MovableClock, loopback_allowed: None
) -> None:
    with webhook_server(status=503) as (port, received):
        hook = {"kind": "webhook", "url": f"http://127.0.0.1:{port}/hook"}
        rule = make_rule(admin_api, "declared", [hook], name="Flaky")
        ref = declared(responder_api)
        for _attempt in range(8):
            frozen_clock.advance(hours=1)
            run_worker()
    assert len(received.requests) == 6
    assert actions_of(admin_api, rule) == [("webhook", "failed", 6)]
    assert automation_lines(responder_api, ref)[-1] == (
        "Rule “Flaky”: Call a webhook failed and will not be tried again (attempt 6): "
        + worker_text("The webhook answered %(status)s.", status=503)
    )
