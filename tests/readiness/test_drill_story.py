"""Issue 14's story through the API, on the injectable clock: a drill started from a scenario
pages the on-call, proposes the area leads (the absent owner passed over) and the severity's
formation, carries its checklists, runs the automation rule (the run on the timeline), reminds
its responders to take a break once the clock has moved past the set time, ends with a
retrospective and stays out of the summary report; the team's readiness shows its real gaps
and the drill as the last one."""

from typing import Any

import pytest
from django.core import mail

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from tests.conftest import Api, MovableClock
from tests.jobs import run_worker
from tests.notify.support import put
from tests.readiness.story_support import (
    RULE_NAME,
    SCENARIO_TITLE,
    STANDARD_POSITIONS,
    move,
    ok,
    prepare,
    texts,
)
from tests.readiness.support import timeline

pytestmark = pytest.mark.django_db


def test_a_drill_runs_the_whole_readiness_flow_and_stays_out_of_the_metrics(
    admin_api: Api,
    responder_api: Api,
    responder: User,
    service: Service,
    frozen_clock: MovableClock,
    settings: Any,
) -> None:
    settings.LANGUAGE_CODE = "en"  # pages speak the site's language
    story = prepare(admin_api, service, responder)
    real = ok(responder_api.post("/incidents", {"title": "Real outage", "severity": 3}), 201)

    # Start the drill (Wednesday 10:00 in Tokyo) and let the worker do its part.
    drill = ok(responder_api.post("/drills", {"scenario": story.scenario}), 201)
    ref = drill["number"]
    incident = ok(responder_api.get(f"/incidents/{ref}"))
    assert (incident["is_drill"], incident["status"], incident["severity"]) == (
        True,
        "declared",
        2,
    )
    run_worker()
    lines = texts(responder_api, ref)

    # The on-call was paged through the service's policy, marked as a drill; key people not.
    assert "Paged the on-call of Checkout (policy Checkout on-call): aoi." in lines
    assert "Key people were not paged: this is a drill." in lines
    drill_pages = [m for m in mail.outbox if f"[Drill] {ref} {SCENARIO_TITLE}" in m.subject]
    assert [m.to for m in drill_pages] == [["aoi@example.test"]]

    # Area leads: oto is on leave, so ken leads System; nobody owns the customer areas.
    leads = {lead["slug"]: lead for lead in ok(responder_api.get(f"/incidents/{ref}/area-leads"))}
    assert leads["system"]["lead"] == "ken"
    assert [(p["username"], p["state"]) for p in leads["system"]["chain"]] == [
        ("oto", "absent"),
        ("ken", "lead"),
        ("mei", "standby"),
    ]
    assert leads["bridge"]["lead"] == "mei"
    assert leads["customers-guests"]["lead"] is None
    assert (
        "Area leads proposed: Customers — guests: nobody available; Customers — partners: nobody"
        " available; System: ken (passed over: oto, absent); Bridge: mei." in lines
    )

    # The formation SEV2 picks, copied onto the drill; the rule filled the scribe.
    [formation] = [f for f in ok(responder_api.get("/formations")) if 2 in f["severities"]]
    assert [p["name_en"] for p in formation["positions"]] == STANDARD_POSITIONS
    positions = {p["name_en"]: p for p in ok(responder_api.get(f"/incidents/{ref}/positions"))}
    assert list(positions) == STANDARD_POSITIONS
    assert positions["Scribe"]["users"] == ["aoi"]
    assert [name for name, p in positions.items() if not p["filled"]] == [
        name for name in STANDARD_POSITIONS if name != "Scribe"
    ]
    # rei takes command and names ken investigator, from the positions.
    path = f"/incidents/{ref}/positions"
    ok(put(responder_api, f"{path}/{positions['Commander']['id']}", {"users": ["rei"]}))
    ok(put(responder_api, f"{path}/{positions['Investigator']['id']}", {"users": ["ken"]}))

    # The automation rule ran once, for this drill, and said so on the timeline.
    [run] = ok(responder_api.get(f"/automation-rules/{story.rule}/runs"))["items"]
    assert (run["incident"], run["why_text"]) == (ref, "severity SEV2, a drill")
    assert [(a["action"], a["status"]) for a in run["actions"]] == [
        ("assign_role", "succeeded"),
        ("create_followup", "succeeded"),
    ]
    lines = texts(responder_api, ref)
    assert (
        f"Automation rule “{RULE_NAME}” ran on “Declared” (severity SEV2,"
        " a drill): Assign a role to whoever is on call, Create a follow-up." in lines
    )
    assert (
        f"Rule “{RULE_NAME}”: Assign a role to whoever is on call done:"
        " aoi is now Scribe (on call in payments primary)." in lines
    )
    assert "ken assigned as Investigator." in lines
    followups = ok(responder_api.get(f"/incidents/{ref}/followups"))
    assert [f["title"] for f in followups] == ["Review how the drill paged"]

    # The checklists of the severity are on the drill; a tick goes on the timeline.
    checklists = ok(responder_api.get(f"/incidents/{ref}/checklists"))
    assert [c["name"] for c in checklists] == ["Commander's start-up", "How the commander works"]
    start_up = checklists[0]
    first = start_up["items"][0]
    ticked = ok(
        responder_api.post(f"/incidents/{ref}/checklists/{start_up['id']}/items/{first['id']}/tick")
    )
    assert (ticked["ticked"], ticked["ticked_by"]) == (True, "rei")
    assert "Ticked on Commander's start-up: Declare the incident" in texts(responder_api, ref)

    # The scenario's timed event comes when the clock reaches it.
    assert "Drill: fake alert “5xx rate above 5% on checkout”." in lines
    frozen_clock.advance(minutes=10)
    run_worker()
    assert "Drill: Customers report failed payments." in texts(responder_api, ref)

    # A break reminder once the drill has run for the set 90 minutes, not before.
    frozen_clock.advance(minutes=79)
    run_worker()
    assert not [line for line in texts(responder_api, ref) if line.startswith("Running for")]
    frozen_clock.advance(minutes=1)
    run_worker()
    [reminder] = [e for e in timeline(responder_api, ref) if e["event"] == "break_reminder"]
    assert reminder["text"].startswith("Running for 1 h 30 min: ")
    assert "reminded to take a break and a meal" in reminder["text"]
    for name in ("rei", "ken", "aoi"):
        assert name in reminder["text"].split(":")[1]
    assert "Proposed hand-off of the commander role: aoi (on call)." in reminder["text"]
    state = ok(responder_api.get(f"/incidents/{ref}/care"))
    assert state["handoff"] == {"user": "aoi", "source": "on_call"}

    # The drill ends: resolved, its retrospective required and drafted as a drill.
    move(responder_api, ref, "mitigated", "resolved")
    move(responder_api, real["number"], "mitigated", "resolved")
    run_worker()
    assert ok(responder_api.get(f"/incidents/{ref}/retrospective/requirement"))["required"]
    retro = ok(responder_api.post(f"/incidents/{ref}/retrospective", {}), 201)
    assert "This was a drill." in retro["sections"][0]["body"]

    # The summary report counts the real incident only: the drill is set apart.
    period = {"from": "2026-11-25", "to": "2026-11-25"}
    summary = ok(admin_api.get("/reports/summary", **period))
    assert (summary["incidents"], summary["drills"]) == (1, 1)
    assert summary["time_to_resolve"]["count"] == 1
    assert summary["retrospectives"]["required"] == 1  # the real SEV3's, not the drill's
    assert summary["followups"]["open"] == 0
    assert all(load["pages"] == 0 for load in summary["responder_load"]), summary["responder_load"]
    csv = admin_api.get("/reports/summary", format="csv", **period)
    assert [line.split(",")[0] for line in csv.content.decode().splitlines()[1:]] == [
        real["number"]
    ]

    # The team's readiness: real gaps, and the drill as its last one.
    body = ok(admin_api.get("/readiness", team="payments"))
    found = [
        (gap["code"], gap.get("user") or gap.get("area") or gap.get("schedule"))
        for gap in body["gaps"]
    ]
    assert ("oncall_unreachable", "ana") in found
    assert ("schedule_gap", "payments secondary") in found
    assert ("area_without_deputies", "bridge") in found
    assert ("area_without_owner", "customers-guests") in found
    assert ("no_recent_test_page", None) in found
    assert ("area_without_deputies", "system") not in found
    assert all(code != "no_recent_drill" for code, _ in found)
    assert all(who != "aoi" for _, who in found)
    assert (body["last_drill"]["incident"], body["last_drill"]["title"]) == (
        ref,
        SCENARIO_TITLE,
    )
