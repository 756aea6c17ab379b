"""The escalation engine's steps, driven by the movable clock and the worker's own jobs:
when each step runs, whom it pages, repeats, exhaustion, acknowledgement and snapshots."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core import mail

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.oncall import actions, engine
from kizuki.oncall.models import Escalation, EscalationPolicy
from kizuki.schedules.actions import LayerInput, add_override, create_schedule
from tests.conftest import Api, MovableClock, make_user
from tests.notify.support import (
    add_rule,
    create_policy,
    kinds,
    paged,
    pages,
    put,
    run_worker,
    step,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db: None) -> dict[str, User]:
    return {name: make_user(name, "responder") for name in ("sam", "tom")}


def start(policy: dict[str, Any], title: str = "Checkout is down") -> Escalation:
    return actions.start_escalation(
        EscalationPolicy.objects.get(pk=policy["id"]),
        title,
        summary="HTTP 500 on /pay",
        link="http://kizuki.test/alerts/1",
    )


def fresh(escalation: Escalation) -> Escalation:
    return Escalation.objects.get(pk=escalation.pk)


def test_the_first_step_runs_at_once_and_the_next_after_its_wait_not_before(
    admin_api: Api, people: dict[str, User], frozen_clock: MovableClock
) -> None:
    policy = create_policy(
        admin_api, "Checkout", [step(("user", "sam"), wait=10), step(("user", "tom"))]
    )
    escalation = start(policy)
    assert kinds(escalation) == ["triggered"]

    run_worker()
    assert paged(escalation) == [("sam", "email", 1)]
    assert [m.to for m in mail.outbox] == [["sam@example.test"]]
    assert "Checkout is down" in mail.outbox[0].subject
    assert "http://kizuki.test/alerts/1" in mail.outbox[0].body

    frozen_clock.advance(minutes=9, seconds=59)
    assert run_worker() == 0
    assert paged(escalation) == [("sam", "email", 1)]

    frozen_clock.advance(seconds=1)
    run_worker()
    assert paged(escalation) == [("sam", "email", 1), ("tom", "email", 2)]
    assert fresh(escalation).status == "exhausted"
    assert kinds(escalation) == ["triggered", "step", "sent", "step", "exhausted", "sent"]


def test_the_policy_repeats_k_times_then_is_exhausted(
    admin_api: Api, people: dict[str, User], frozen_clock: MovableClock
) -> None:
    policy = create_policy(admin_api, "Loop", [step(("user", "sam"), wait=5)], repeat=2)
    escalation = start(policy)
    for _ in range(5):
        run_worker()
        frozen_clock.advance(minutes=5)
    # The first run and two repeats, five minutes apart; then nothing more.
    assert [p.repetition for p in pages(escalation, status="sent")] == [0, 1, 2]
    assert len(mail.outbox) == 3
    assert fresh(escalation).status == "exhausted"
    assert fresh(escalation).next_due_at is None
    assert kinds(escalation).count("repeated") == 2
    assert kinds(escalation).count("exhausted") == 1


@pytest.mark.usefixtures("loopback_allowed")
def test_acknowledging_stops_the_steps_and_cancels_pages_not_yet_sent(
    admin_api: Api, people: dict[str, User], frozen_clock: MovableClock
) -> None:
    sam = people["sam"]
    add_rule(admin_api, sam, "email")
    add_rule(admin_api, sam, "apprise", "json://127.0.0.1:9/", delay=3)
    policy = create_policy(admin_api, "Ack", [step(("user", "sam")), step(("user", "tom"))])
    escalation = start(policy)
    run_worker()
    assert paged(escalation) == [("sam", "email", 1)]
    assert paged(escalation, "pending") == [("sam", "apprise", 1)]

    actions.acknowledge_escalation(escalation, sam)
    escalation = fresh(escalation)
    assert escalation.status == "acknowledged"
    assert escalation.acknowledged_by == sam
    assert escalation.next_due_at is None
    assert escalation.token == 1
    assert paged(escalation, "cancelled") == [("sam", "apprise", 1)]

    frozen_clock.advance(minutes=30)
    assert run_worker() == 0
    assert len(mail.outbox) == 1
    assert kinds(escalation)[-1] == "acknowledged"
    last = escalation.events.last()
    assert last is not None
    assert last.data == {"cancelled": 1}

    # A second acknowledgement, or one arriving after resolution, changes nothing.
    actions.acknowledge_escalation(escalation, people["tom"])
    assert fresh(escalation).acknowledged_by == sam
    actions.resolve_escalation(escalation, None)
    actions.resolve_escalation(escalation, None)
    assert fresh(escalation).status == "resolved"
    assert kinds(escalation).count("resolved") == 1


def test_a_policy_edited_after_the_trigger_does_not_change_the_running_escalation(
    admin_api: Api, people: dict[str, User], frozen_clock: MovableClock
) -> None:
    make_user("uma", "responder")
    policy = create_policy(admin_api, "Snap", [step(("user", "sam")), step(("user", "tom"))])
    escalation = start(policy)
    edited = put(
        admin_api,
        f"/escalation-policies/{policy['id']}",
        {"name": "Snap", "steps": [step(("user", "uma"))], "repeat": 3},
    )
    assert edited.status_code == 200, edited.json()
    later = start(edited.json())

    run_worker()
    frozen_clock.advance(minutes=5)
    run_worker()
    assert paged(escalation) == [("sam", "email", 1), ("tom", "email", 2)]
    assert fresh(escalation).status == "exhausted"
    assert paged(later) == [("uma", "email", 1), ("uma", "email", 1)]  # the new policy repeats

    # Even deleting the policy leaves a running escalation its steps.
    third = start(edited.json())
    assert admin_api.delete(f"/escalation-policies/{policy['id']}").status_code == 204
    run_worker()
    assert fresh(third).policy is None
    assert paged(third) == [("uma", "email", 1)]


def test_each_rule_waits_for_its_own_delay(
    admin_api: Api, people: dict[str, User], frozen_clock: MovableClock
) -> None:
    sam = people["sam"]
    add_rule(admin_api, sam, "email", delay=0)
    add_rule(admin_api, sam, "email", "sam.phone@example.test", delay=2)
    escalation = start(create_policy(admin_api, "Delays", [step(("user", "sam"), wait=30)]))
    run_worker()
    assert [m.to for m in mail.outbox] == [["sam@example.test"]]
    frozen_clock.advance(minutes=1, seconds=59)
    run_worker()
    assert len(mail.outbox) == 1
    frozen_clock.advance(seconds=1)
    run_worker()
    assert [m.to for m in mail.outbox] == [["sam@example.test"], ["sam.phone@example.test"]]
    keys = [p.key for p in pages(escalation)]
    user = sam.pk
    assert keys == [f"{escalation.pk}:0:0:{user}:email:0", f"{escalation.pk}:0:0:{user}:email:1"]


def test_teams_everyone_and_people_without_a_way_to_reach_them(
    admin_api: Api, viewer: User, people: dict[str, User], frozen_clock: MovableClock
) -> None:
    team = accounts.create_team("payments", "Payments")
    accounts.add_member(team, people["sam"])
    accounts.add_member(team, viewer)
    ghost = accounts.create_user("ghost", "responder")  # no e-mail, no rules
    policy = create_policy(
        admin_api,
        "Wide",
        [step(("team", "payments"), ("user", "sam"), wait=1), step(("everyone", None))],
    )
    escalation = start(policy)
    run_worker()
    # A person named twice in one step is paged once.
    assert paged(escalation) == [("sam", "email", 1), ("vera", "email", 1)]
    frozen_clock.advance(minutes=1)
    run_worker()
    second = sorted(name for name, _method, number in paged(escalation) if number == 2)
    # Everyone means the key people: responders and admins, not viewers.
    assert second == ["aki", "sam", "tom"]
    nobody = escalation.events.filter(kind="nobody")
    assert [(e.user, e.data["reason"]) for e in nobody] == [(ghost, "no_contact")]


def test_schedule_targets_page_whoever_is_on_call_when_the_step_runs(
    admin_api: Api, people: dict[str, User], frozen_clock: MovableClock
) -> None:
    schedule = create_schedule(
        None,
        "Primary",
        "Asia/Tokyo",
        [LayerInput(users=["sam"], shift_length="1w", start="2026-11-01")],
    )
    starts = frozen_clock.now + timedelta(minutes=4)
    add_override(None, schedule, people["tom"], starts, starts + timedelta(hours=1))
    policy = create_policy(admin_api, "Rota", [step(("schedule", "Primary"), wait=5)], repeat=1)
    escalation = start(policy)
    run_worker()
    frozen_clock.advance(minutes=5)
    run_worker()
    assert paged(escalation) == [("sam", "email", 1), ("tom", "email", 1)]


def test_an_empty_schedule_and_a_channel_are_recorded_not_lost(
    admin_api: Api, people: dict[str, User], frozen_clock: MovableClock
) -> None:
    # A rotation that only starts next month: nobody is on call yet.
    later = LayerInput(users=["sam"], shift_length="1d", start="2026-12-01")
    create_schedule(None, "Empty", "Asia/Tokyo", [later])
    policy = create_policy(
        admin_api, "Quiet", [step(("schedule", "Empty")), step(("channel", "#ops"))]
    )
    escalation = start(policy)
    run_worker()
    assert escalation.events.get(kind="nobody").data == {
        "step": 1,
        "reason": "no_one_on_call",
    }
    frozen_clock.advance(minutes=5)
    run_worker()
    failed = escalation.events.get(kind="failed")
    assert failed.data["error"] == "Slack is not configured"
    assert paged(escalation, "failed") == [("#ops", "slack", 2)]
    assert pages(escalation)[0].attempts == 1  # not worth retrying


def test_escalations_due_later_wait_and_stopped_ones_never_run(
    admin_api: Api, people: dict[str, User], frozen_clock: MovableClock
) -> None:
    policy = create_policy(admin_api, "Two", [step(("user", "sam"))])
    first, second = start(policy), start(policy)
    actions.resolve_escalation(second)
    assert engine.run_due_escalations() == 1
    assert fresh(first).step_index == 0
    assert fresh(first).status == "exhausted"
    assert not pages(second)
    assert fresh(second).stopped_at == datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
