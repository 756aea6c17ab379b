"""Starting a drill from a scenario through the API: a declared drill incident of the
scenario's severity and services, the on-call paged with "[Drill]", the fake alert on the
timeline at once and the timed events when the clock reaches them, and none of it in the
summary report."""

from typing import Any

import pytest
from django.core import mail

from kizuki.catalog.models import Service
from kizuki.oncall.models import Page
from tests.areas.support import set_chain
from tests.conftest import Api, MovableClock
from tests.drills.support import create_scenario, on_call_for_checkout, start, timeline
from tests.incidents.support import assert_error, english
from tests.jobs import run_worker

pytestmark = pytest.mark.django_db


def test_a_drill_runs_through_the_real_flow_and_its_events_come_when_due(
    admin_api: Api,
    responder_api: Api,
    service: Service,
    frozen_clock: MovableClock,
    settings: Any,
) -> None:
    settings.LANGUAGE_CODE = "en"  # pages speak the site's language
    on_call_for_checkout(admin_api, service)
    scenario = create_scenario(admin_api)
    assert [event["offset_minutes"] for event in scenario["events"]] == [10, 20]

    drill = start(responder_api, scenario["id"])
    ref = drill["number"]
    assert ref.startswith("INC-")
    incident = responder_api.get(f"/incidents/{ref}").json()
    assert incident["is_drill"] is True
    assert incident["status"] == "declared"
    assert incident["severity"] == 2
    assert drill["started_by"] == "rei"
    assert [(event["kind"], event["done_at"] is not None) for event in drill["injected"]] == [
        ("alert", True),
        ("note", False),
        ("severity", False),
    ]

    run_worker()
    sent = Page.objects.filter(status="sent")
    assert sorted(set(sent.values_list("user__username", flat=True))) == ["aoi"]
    assert mail.outbox[0].subject.endswith(f"[Drill] {ref} Checkout payments fail")
    texts = timeline(responder_api, ref)
    assert "Drill: fake alert “5xx rate above 5% on checkout”." in texts
    assert "Drill: Customers report failed payments on X." not in texts

    frozen_clock.advance(minutes=9)
    run_worker()
    assert "Drill: Customers report failed payments on X." not in timeline(responder_api, ref)

    frozen_clock.advance(minutes=1)
    run_worker()
    assert "Drill: Customers report failed payments on X." in timeline(responder_api, ref)

    frozen_clock.advance(minutes=10)
    run_worker()
    texts = timeline(responder_api, ref)
    assert "Severity changed from SEV2 to SEV1." in texts
    assert "Drill: the scenario changes the severity to SEV1." in texts
    assert responder_api.get(f"/incidents/{ref}").json()["severity"] == 1
    shown = responder_api.get(f"/drills/{drill['id']}").json()
    assert all(event["outcome"] == "done" for event in shown["injected"])
    assert shown["injected"][2]["done_at"] == "2026-11-25T01:20:00Z"


def test_events_due_after_the_drill_is_over_are_skipped(
    admin_api: Api, responder_api: Api, service: Service, frozen_clock: MovableClock
) -> None:
    scenario = create_scenario(admin_api, services=[], fake_alerts=[])
    drill = start(responder_api, scenario["id"])
    ref = drill["number"]
    for to in ("mitigated", "resolved"):
        moved = responder_api.post(f"/incidents/{ref}/transitions", {"to": to})
        assert moved.status_code == 200, moved.json()
    frozen_clock.advance(minutes=30)
    run_worker()
    shown = responder_api.get(f"/drills/{drill['id']}").json()
    assert [event["outcome"] for event in shown["injected"]] == ["skipped", "skipped"]
    assert "Drill: Customers report failed payments on X." not in timeline(responder_api, ref)


def summary_refs(api: Api) -> list[str]:
    response = api.get("/reports/summary", format="csv")
    assert response.status_code == 200, response.content
    return [line.split(",")[0] for line in response.content.decode().splitlines()[1:]]


def test_drills_stay_out_of_the_summary_report(
    admin_api: Api, responder_api: Api, service: Service, frozen_clock: MovableClock
) -> None:
    real = responder_api.post("/incidents", {"title": "Real outage", "severity": 2})
    assert real.status_code == 201, real.json()
    scenario = create_scenario(admin_api)
    drill = start(responder_api, scenario["id"])
    frozen_clock.advance(hours=1)
    for ref in (real.json()["number"], drill["number"]):
        for to in ("mitigated", "resolved"):
            moved = responder_api.post(f"/incidents/{ref}/transitions", {"to": to})
            assert moved.status_code == 200, moved.json()
    body = admin_api.get("/reports/summary").json()
    assert (body["incidents"], body["drills"]) == (1, 1), body
    assert summary_refs(admin_api) == [real.json()["number"]]


def test_who_may_write_scenarios_and_start_drills(
    admin_api: Api, responder_api: Api, viewer_api: Api, service: Service
) -> None:
    assert_error(
        responder_api.post("/drill-scenarios", {"title": "x", "severity": 3}), 403, "forbidden"
    )
    scenario = create_scenario(admin_api)
    assert viewer_api.get("/drill-scenarios").json()[0]["title"] == "Checkout payments fail"
    assert_error(viewer_api.post("/drills", {"scenario": scenario["id"]}), 403, "forbidden")
    assert_error(english(responder_api).post("/drills", {"scenario": 999999}), 404, "not_found")
    patch = responder_api.patch(f"/drill-scenarios/{scenario['id']}", {"title": "y"})
    assert_error(patch, 403, "forbidden")


def test_an_admin_changes_and_removes_a_scenario_and_bad_ones_are_refused(
    admin_api: Api, service: Service
) -> None:
    scenario = create_scenario(admin_api)
    changed = admin_api.patch(
        f"/drill-scenarios/{scenario['id']}", {"title": "Login fails", "services": []}
    )
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["title"], changed.json()["services"]) == ("Login fails", [])
    assert changed.json()["severity"] == 2
    api = english(admin_api)
    assert_error(api.post("/drill-scenarios", {"title": "x", "severity": 9}), 400, "invalid", "9")
    bad_service = {"title": "x", "severity": 3, "services": ["nope"]}
    assert_error(api.post("/drill-scenarios", bad_service), 400, "invalid", "nope")
    no_text = {"title": "x", "severity": 3, "events": [{"offset_minutes": 1, "kind": "note"}]}
    assert_error(api.post("/drill-scenarios", no_text), 400, "invalid", "text")
    blank = {"title": "  ", "severity": 3}
    assert_error(api.post("/drill-scenarios", blank), 400, "invalid", "title")
    null = api.patch(f"/drill-scenarios/{scenario['id']}", {"severity": None})
    assert_error(null, 400, "invalid", "severity")
    assert api.delete(f"/drill-scenarios/{scenario['id']}").status_code == 204
    assert api.get("/drill-scenarios").json() == []


def test_a_drill_goes_through_the_other_apps_like_any_declaration(
    admin_api: Api, responder_api: Api, service: Service, frozen_clock: MovableClock
) -> None:
    """Area leads are proposed on declaration (the areas app's own subscription), and the
    resolved drill gets its retrospective like any incident."""
    on_call_for_checkout(admin_api, service)
    set_chain(admin_api, "system", "aoi", [])
    drill = start(responder_api, create_scenario(admin_api)["id"])
    ref = drill["number"]
    run_worker()
    events = [entry["event"] for entry in responder_api.get(f"/incidents/{ref}/timeline").json()]
    assert "area_leads_proposed" in events
    leads = responder_api.get(f"/incidents/{ref}/area-leads").json()
    assert [lead["lead"] for lead in leads if lead["lead"]] == ["aoi"]

    frozen_clock.advance(hours=2)
    for to in ("mitigated", "resolved"):
        moved = responder_api.post(f"/incidents/{ref}/transitions", {"to": to})
        assert moved.status_code == 200, moved.json()
    run_worker()
    retro = responder_api.post(f"/incidents/{ref}/retrospective", {})
    assert retro.status_code == 201, retro.json()
    assert responder_api.get(f"/incidents/{ref}/retrospective").status_code == 200
