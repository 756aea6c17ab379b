"""On declaration Kizuki proposes who leads each area: the owner if they are not away and can
be paged, else the first deputy in rank order who is; the chain considered (and why anyone
was passed over) is kept, written on the timeline, and the commander may name someone else."""

from typing import Any

import pytest

from kizuki.accounts.models import User
from kizuki.areas.models import AreaLead
from kizuki.core.models import AuditEntry
from tests.areas.support import (
    area_id,
    declare,
    people,
    set_chain,
    timeline_events,
    timeline_texts,
    unreachable_user,
)
from tests.conftest import Api, MovableClock, api_for, make_user
from tests.incidents.support import assert_error, english, move
from tests.notify.support import add_rule

pytestmark = pytest.mark.django_db


@pytest.fixture
def system_chain(admin_api: Api, frozen_clock: MovableClock) -> None:
    """System: owner oto, deputies dai (nothing can page him), ken, mei. oto is on leave from
    the clock's start for two days."""
    people("oto", "ken", "mei")
    unreachable_user("dai")
    set_chain(admin_api, "system", "oto", ["dai", "ken", "mei"])
    response = admin_api.post(
        "/absences",
        {
            "user": "oto",
            "starts_at": "2026-11-25T00:00:00Z",
            "ends_at": "2026-11-27T00:00:00Z",
            "note": "Paid leave",
        },
    )
    assert response.status_code == 201, response.json()


def leads(api: Api, ref: str) -> dict[str, dict[str, Any]]:
    response = api.get(f"/incidents/{ref}/area-leads")
    assert response.status_code == 200, response.json()
    return {item["slug"]: item for item in response.json()}


def test_absent_owner_and_unreachable_first_deputy_are_passed_over(
    responder_api: Api, system_chain: None
) -> None:
    ref = declare(responder_api)
    system = leads(responder_api, ref)["system"]
    assert system["lead"] == "ken"
    assert system["proposed"] == "ken"
    assert [(s["username"], s["rank"], s["state"]) for s in system["chain"]] == [
        ("oto", 0, "absent"),
        ("dai", 1, "unreachable"),
        ("ken", 2, "lead"),
        ("mei", 3, "standby"),
    ]
    # The areas nobody was named for are gaps: no lead, an empty chain.
    assert leads(responder_api, ref)["bridge"]["lead"] is None
    assert timeline_events(responder_api, ref).count("area_leads_proposed") == 1
    text = next(t for t in timeline_texts(responder_api, ref) if t.startswith("Area leads"))
    assert "System: ken (passed over: oto, absent, dai, unreachable)" in text
    assert "Bridge: nobody available" in text


def test_the_owner_leads_again_once_the_absence_is_over(
    responder_api: Api, system_chain: None, frozen_clock: MovableClock
) -> None:
    frozen_clock.advance(days=2)  # 2026-11-27T01:00Z: the leave ended at 00:00
    ref = declare(responder_api)
    system = leads(responder_api, ref)["system"]
    assert system["lead"] == "oto"
    assert [s["state"] for s in system["chain"]] == ["lead", "unreachable", "standby", "standby"]


def test_a_deputy_with_a_notification_rule_can_be_paged(
    responder_api: Api, admin_api: Api, system_chain: None
) -> None:
    add_rule(admin_api, User.objects.get(username="dai"), "email", "dai@example.test")
    ref = declare(responder_api)
    assert leads(responder_api, ref)["system"]["lead"] == "dai"


def test_the_area_list_shows_who_would_lead_now(viewer_api: Api, system_chain: None) -> None:
    system = next(a for a in viewer_api.get("/response-areas").json() if a["slug"] == "system")
    assert system["lead"] == "ken"
    assert [s["state"] for s in system["chain"]] == ["absent", "unreachable", "lead", "standby"]


def test_the_timeline_entry_reads_in_japanese(responder_api: Api, system_chain: None) -> None:
    ref = declare(responder_api)
    texts = [e["text"] for e in responder_api.get(f"/incidents/{ref}/timeline").json()]
    text = next(t for t in texts if "ken" in t)
    # The area is named in the reader's language (the sentence around it is translated by
    # the Japanese catalogue).
    assert "システム" in text
    assert "System" not in text


def test_a_report_without_declaration_proposes_nobody(
    responder_api: Api, system_chain: None
) -> None:
    response = responder_api.post("/incidents", {"title": "Odd numbers"})
    ref = response.json()["number"]
    assert leads(responder_api, ref) == {}
    assert move(responder_api, ref, "declared", severity=3).status_code == 200
    assert leads(responder_api, ref)["system"]["lead"] == "ken"


def test_a_drill_gets_its_area_leads_too(responder_api: Api, system_chain: None) -> None:
    ref = declare(responder_api, is_drill=True)
    assert leads(responder_api, ref)["system"]["lead"] == "ken"


def test_the_commander_names_another_lead_and_it_goes_on_the_timeline(
    responder_api: Api, system_chain: None
) -> None:
    ref = declare(responder_api)
    commander = responder_api.post(
        f"/incidents/{ref}/roles", {"role": "incident_commander", "user": "rei"}
    )
    assert commander.status_code == 201, commander.json()
    system = area_id(responder_api, "system")
    response = responder_api.patch(f"/incidents/{ref}/area-leads/{system}", {"lead": "mei"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["lead"], body["proposed"], body["changed_by"]) == ("mei", "ken", "rei")
    assert "mei now leads System instead of ken." in timeline_texts(responder_api, ref)
    assert AuditEntry.objects.filter(action="area_lead.change").count() == 1
    # Nobody for now is a choice too.
    cleared = responder_api.patch(f"/incidents/{ref}/area-leads/{system}", {"lead": None})
    assert cleared.json()["lead"] is None
    assert "System now has no lead (was mei)." in timeline_texts(responder_api, ref)


def test_an_area_no_lead_was_proposed_for_is_a_404(responder_api: Api, system_chain: None) -> None:
    ref = declare(responder_api)
    for area in ["999", "20812583747983552512"]:  # the second: more than any row id can be
        assert_error(
            english(responder_api).patch(f"/incidents/{ref}/area-leads/{area}", {"lead": None}),
            404,
            "not_found",
            f"no lead proposed for area {area}",
        )


def test_only_the_commander_and_admins_change_a_lead(
    responder_api: Api, admin_api: Api, viewer_api: Api, system_chain: None
) -> None:
    ref = declare(responder_api)
    system = area_id(responder_api, "system")
    responder_api.post(f"/incidents/{ref}/roles", {"role": "incident_commander", "user": "rei"})
    other = api_for(make_user("sho", "responder"))
    before = AreaLead.objects.get(area_id=system).lead_id
    assert_error(
        english(other).patch(f"/incidents/{ref}/area-leads/{system}", {"lead": "mei"}),
        403,
        "forbidden",
        "commander",
    )
    assert_error(
        viewer_api.patch(f"/incidents/{ref}/area-leads/{system}", {"lead": "mei"}), 403, "forbidden"
    )
    assert AreaLead.objects.get(area_id=system).lead_id == before
    assert (
        admin_api.patch(f"/incidents/{ref}/area-leads/{system}", {"lead": "mei"}).status_code == 200
    )


def test_while_nobody_commands_any_responder_changes_a_lead(
    responder_api: Api, system_chain: None
) -> None:
    ref = declare(responder_api)
    other = api_for(make_user("sho", "responder"))
    system = area_id(responder_api, "system")
    response = other.patch(f"/incidents/{ref}/area-leads/{system}", {"lead": "mei"})
    assert response.status_code == 200, response.json()


def test_bad_lead_changes_are_refused(responder_api: Api, system_chain: None) -> None:
    ref = declare(responder_api)
    system = area_id(responder_api, "system")
    assert_error(
        responder_api.patch(f"/incidents/{ref}/area-leads/{system}", {"lead": "ghost"}),
        404,
        "not_found",
    )
    assert_error(
        responder_api.patch(f"/incidents/{ref}/area-leads/999999", {"lead": "mei"}),
        404,
        "not_found",
    )
    assert_error(
        responder_api.patch("/incidents/INC-999/area-leads/1", {"lead": "mei"}), 404, "not_found"
    )
    for step in ("mitigated", "resolved", "closed"):
        assert move(responder_api, ref, step).status_code == 200
    assert_error(
        english(responder_api).patch(f"/incidents/{ref}/area-leads/{system}", {"lead": "mei"}),
        409,
        "conflict",
        "finished",
    )
