"""Each action kind, through the real apps: paging a policy or the key people, assigning a
role to whoever is on call, opening the chat channel, calling a webhook (a local recording
server), and how each outcome reads on the incident's timeline."""

import json
from typing import Any

import pytest

from kizuki.oncall.models import Page
from tests.automation.support import (
    automation_lines,
    declared,
    make_rule,
    move,
    report,
    worker_text,
)
from tests.conftest import Api, MovableClock, make_user
from tests.incidents.support import english
from tests.jobs import run_worker
from tests.notify.support import create_policy, step, webhook_server
from tests.schedules.support import create, layer, people

pytestmark = pytest.mark.django_db


def paged() -> list[str]:
    names = Page.objects.filter(status="sent").values_list("user__username", flat=True)
    return sorted(set(names))


def test_page_a_policy(admin_api: Api, responder_api: Api, frozen_clock: MovableClock) -> None:
    make_user("kei", "responder")
    policy = create_policy(admin_api, "Database", [step(("user", "kei"))])
    make_rule(admin_api, "reported", [{"kind": "page_policy", "policy": policy["id"]}], name="DB")
    ref = report(responder_api, "Replication lag")
    run_worker()  # the rule runs
    run_worker()  # the escalation it started pages
    assert paged() == ["kei"]
    assert (
        automation_lines(responder_api, ref)[-1]
        == "Rule “DB”: Page an escalation policy done: paged through Database."
    )


def test_page_the_key_people(
    admin_api: Api, responder_api: Api, frozen_clock: MovableClock
) -> None:
    """SEV3 does not page the key people by itself; a rule can make it."""
    make_user("kei", "responder")
    assert admin_api.patch("/paging-settings", {"key_people": ["kei"]}).status_code == 200
    make_rule(admin_api, "declared", [{"kind": "page_key_people"}], name="Everyone", severities=[3])
    ref = declared(responder_api, severity=3)
    run_worker()
    assert paged() == ["kei"]
    assert (
        automation_lines(responder_api, ref)[-1]
        == "Rule “Everyone”: Page the key people done: paged kei."
    )


def test_assign_a_role_to_whoever_is_on_call(
    admin_api: Api, responder_api: Api, frozen_clock: MovableClock
) -> None:
    people("ana", "ben")
    schedule = create(admin_api, [layer(["ana", "ben"])])
    action = {"kind": "assign_role", "role": "incident_commander", "schedule": schedule["id"]}
    make_rule(admin_api, "declared", [action], name="Commander")
    ref = declared(responder_api)
    roles = responder_api.get(f"/incidents/{ref}").json()["roles"]
    holders = [r["user"] for r in roles if r["role"] == "incident_commander"]
    assert len(holders) == 1
    assert holders[0] in {"ana", "ben"}
    assert automation_lines(responder_api, ref)[-1].startswith(
        "Rule “Commander”: Assign a role to whoever is on call done:"
    )


def test_nobody_on_call_fails_without_retrying(
    admin_api: Api, responder_api: Api, frozen_clock: MovableClock
) -> None:
    people("ana")
    schedule = create(admin_api, [layer(["ana"], start="2027-01-01")])
    action = {"kind": "assign_role", "role": "scribe", "schedule": schedule["id"]}
    make_rule(
        admin_api,
        "declared",
        [action, {"kind": "create_followup", "title": "Still runs"}],
        name="Scribe",
    )
    ref = declared(responder_api)
    lines = automation_lines(responder_api, ref)
    assert lines[1] == (
        "Rule “Scribe”: Assign a role to whoever is on call failed and will not be tried"
        " again (attempt 1): "
        + worker_text("Nobody is on call in %(schedule)s now.", schedule="Primary")
    )
    assert lines[2] == "Rule “Scribe”: Create a follow-up done: follow-up “Still runs”."


def test_open_the_channel_without_a_chat_workspace(
    admin_api: Api, responder_api: Api, frozen_clock: MovableClock
) -> None:
    make_rule(admin_api, "reported", [{"kind": "open_channel"}], name="Channel")
    ref = report(responder_api)
    run_worker()
    assert automation_lines(responder_api, ref)[-1] == (
        "Rule “Channel”: Open the chat channel done: no chat workspace is connected, so there is"
        " no channel."
    )


def test_webhook_posts_the_event(
    admin_api: Api, responder_api: Api, frozen_clock: MovableClock, loopback_allowed: None
) -> None:
    with webhook_server() as (port, received):
        url = f"http://127.0.0.1:{port}/hooks/kizuki"
        rule = make_rule(admin_api, "declared", [{"kind": "webhook", "url": url}], name="Hook")
        ref = declared(responder_api, severity=2, is_drill=True)
    [request] = received.requests
    body: dict[str, Any] = request["json"]
    assert request["path"] == "/hooks/kizuki"
    assert body["event"] == "declared"
    assert body["rule"] == {"id": rule["id"], "name": "Hook"}
    assert body["incident"]["number"] == ref
    assert (body["incident"]["severity"], body["incident"]["is_drill"]) == (2, True)
    assert body["incident"]["url"].endswith(f"/incidents/{ref}/")
    assert (body["incident"]["title"], body["incident"]["private"]) == ("Checkout fails", False)
    assert automation_lines(responder_api, ref)[-1] == (
        "Rule “Hook”: Call a webhook done: the webhook answered 200."
    )


def test_a_webhook_names_a_private_incident_by_number_only(
    admin_api: Api, responder_api: Api, frozen_clock: MovableClock, loopback_allowed: None
) -> None:
    with webhook_server() as (port, received):
        url = f"http://127.0.0.1:{port}/hooks/kizuki"
        make_rule(admin_api, "declared", [{"kind": "webhook", "url": url}], name="Hook")
        ref = declared(responder_api, title="社外秘の障害", private=True)
    [request] = received.requests
    body: dict[str, Any] = request["json"]
    assert "社外秘" not in json.dumps(body, ensure_ascii=False)
    assert body["subject"] == ref
    assert (body["incident"]["number"], body["incident"]["title"]) == (ref, None)
    assert body["incident"]["private"] is True


def test_a_webhook_refusing_is_not_retried(
    admin_api: Api, responder_api: Api, frozen_clock: MovableClock, loopback_allowed: None
) -> None:
    with webhook_server(status=404) as (port, received):
        url = f"http://127.0.0.1:{port}/gone"
        make_rule(admin_api, "declared", [{"kind": "webhook", "url": url}], name="Hook")
        ref = declared(responder_api)
        frozen_clock.advance(hours=2)
        run_worker()
    assert len(received.requests) == 1
    assert automation_lines(responder_api, ref)[-1] == (
        "Rule “Hook”: Call a webhook failed and will not be tried again (attempt 1): "
        + worker_text("The webhook answered %(status)s.", status=404)
    )


def test_post_a_checklist(admin_api: Api, responder_api: Api, frozen_clock: MovableClock) -> None:
    """Posted on the report already; declaring (which posts the start-up) does not repeat it."""
    action = {"kind": "post_checklist", "checklist": "commander-start-up"}
    make_rule(admin_api, "reported", [action], name="Start-up early")
    ref = report(responder_api)
    run_worker()
    assert automation_lines(responder_api, ref)[-1] == (
        "Rule “Start-up early”: Post a checklist done: checklist “Commander's start-up”."
    )
    move(responder_api, ref, "declared", severity=3)
    run_worker()
    checklists = english(responder_api).get(f"/incidents/{ref}/checklists").json()
    assert [c["name"] for c in checklists].count("Commander's start-up") == 1


def test_an_unknown_checklist_is_refused(admin_api: Api) -> None:
    action = {"kind": "post_checklist", "checklist": "no-such-list"}
    body = {"name": "x", "event": "declared", "actions": [action]}
    answer = admin_api.post("/automation-rules", body)
    assert answer.status_code == 400
    assert "no-such-list" in answer.json()["detail"]
