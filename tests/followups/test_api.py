"""Follow-ups through the API: written from a published retrospective with due dates from the
incident's severity policy, edited (a moved due date needs a reason), moved through their
statuses, listed and filtered, with the quality findings in every answer."""

from datetime import date

import pytest

from tests.conftest import Api, MovableClock
from tests.followups.support import (
    codes,
    english,
    ok,
    publish_retrospective,
    resolved_incident,
    row_counts,
    write,
)
from tests.incidents.support import assert_error, incident_in

pytestmark = pytest.mark.usefixtures("frozen_clock")

# The frozen clock starts at 2026-11-25 01:00 UTC, 10:00 in Tokyo: "today" is 2026-11-25.
TODAY = date(2026, 11, 25)


@pytest.fixture
def api(responder_api: Api) -> Api:
    return english(responder_api)


def test_from_a_published_retrospective_a_sev2_gets_due_dates_by_its_policy(api: Api) -> None:
    ref = resolved_incident(api, severity=2)
    publish_retrospective(api, ref)
    first = write(
        api,
        ref,
        "Add a CI check that rejects migrations without EXPLAIN output",
        owner="rei",
        section="permanent-fix",
        kind="prevent",
        category="bug_fix",
        phase="development",
    )
    second = write(api, ref, "Alert on the checkout error rate seen by users", section="prevention")
    # SEV2: follow-ups due within 30 days of the resolve time (today).
    assert first["due_date"] == second["due_date"] == "2026-12-25"
    assert first["policy_due_date"] == "2026-12-25"
    assert first["section"] == "permanent-fix"
    assert (first["kind"], first["category"], first["phase"]) == (
        "prevent",
        "bug_fix",
        "development",
    )
    assert first["quality"] == []  # a mechanism, an owner, a date within the policy
    assert codes(second) == ["no_owner"]
    listed = ok(api.get(f"/incidents/{ref}/followups"))
    assert [f["title"] for f in listed] == [first["title"], second["title"]]


def test_a_sev1_is_due_sooner_and_an_unknown_section_is_refused(api: Api) -> None:
    ref = resolved_incident(api, severity=1)
    publish_retrospective(api, ref)
    assert (
        write(api, ref, "Add a runbook step for failover", owner="rei")["due_date"] == "2026-12-09"
    )
    response = api.post(f"/incidents/{ref}/followups", {"title": "X", "section": "nope"})
    assert_error(response, 400, "invalid", "nope", "permanent-fix")


def test_without_a_retrospective_a_section_cannot_be_named(api: Api) -> None:
    ref = resolved_incident(api, severity=3)
    response = api.post(f"/incidents/{ref}/followups", {"title": "Fix it", "section": "prevention"})
    assert_error(response, 400, "invalid", ref)


def test_the_policy_counts_from_today_until_the_incident_is_resolved(
    api: Api, frozen_clock: MovableClock
) -> None:
    ref = incident_in(api, "declared")  # SEV3: 60 days
    frozen_clock.advance(days=2)
    assert write(api, ref, "Add an index", owner="rei")["due_date"] == "2027-01-26"
    unclassified = incident_in(api, "reported")
    followup = write(api, unclassified, "Add an index", owner="rei")
    assert followup["due_date"] is None
    assert codes(followup) == ["no_due_date"]


def test_moving_the_due_date_needs_a_reason_which_is_kept(api: Api) -> None:
    ref = resolved_incident(api)
    followup = write(api, ref, "Add a regression test for the timezone bug", owner="rei")
    path = f"/followups/{followup['id']}"
    before = row_counts()
    assert_error(api.patch(path, {"due_date": "2027-01-10"}), 400, "invalid", "due_date_reason")
    assert row_counts() == before
    moved = ok(
        api.patch(path, {"due_date": "2027-01-10", "due_date_reason": "Waits for the DB upgrade"})
    )
    assert moved["due_date"] == "2027-01-10"
    # Later than the SEV2 policy allows: a warning, the change is saved all the same.
    assert codes(moved) == ["due_past_policy"]
    assert "2026-12-25" in moved["quality"][0]["message"]
    history = ok(api.get(f"{path}/history"))
    assert history[-1]["event"] == "due_date"
    assert history[-1]["reason"] == "Waits for the DB upgrade"
    assert history[-1]["data"] == {"previous": "2026-12-25", "due_date": "2027-01-10"}
    assert history[-1]["actor"] == "rei"


def test_statuses_and_wont_do_needs_a_reason(api: Api) -> None:
    ref = resolved_incident(api)
    path = f"/followups/{write(api, ref, 'Add an index', owner='rei')['id']}"
    assert ok(api.patch(path, {"status": "in_progress"}))["status"] == "in_progress"
    assert_error(api.patch(path, {"status": "wont_do"}), 400, "invalid", "status_reason")
    wont = ok(api.patch(path, {"status": "wont_do", "status_reason": "The table is retired"}))
    assert (wont["status"], wont["status_reason"]) == ("wont_do", "The table is retired")
    done = ok(api.patch(path, {"status": "done"}))
    assert (done["status"], done["status_reason"]) == ("done", "")
    assert done["done_at"] is not None
    assert_error(api.patch(path, {"status": "finished"}), 422, "invalid", "status")


def test_edits_and_milestones(api: Api) -> None:
    ref = resolved_incident(api)
    followup = write(
        api,
        ref,
        "Move reports off the primary",
        milestones=[{"title": "Replica in place", "due_date": "2026-12-10"}],
    )
    path = f"/followups/{followup['id']}"
    assert [m["title"] for m in followup["milestones"]] == ["Replica in place"]
    edited = ok(
        api.patch(
            path,
            {
                "owner": "rei",
                "team": None,
                "description": "Reports read a replica",
                "milestones": [
                    {"title": "Replica in place", "due_date": "2026-12-10", "status": "done"},
                    {"title": "Reports switched", "due_date": "2026-12-20"},
                ],
            },
        )
    )
    assert edited["owner"] == "rei"
    assert [(m["title"], m["status"]) for m in edited["milestones"]] == [
        ("Replica in place", "done"),
        ("Reports switched", "open"),
    ]
    assert ok(api.get(f"{path}/history"))[-1]["data"]["fields"] == [
        "description",
        "owner",
        "milestones",
    ]
    assert_error(api.patch(path, {"owner": "nobody"}), 400, "invalid", "nobody")
    assert_error(api.patch(path, {"title": ""}), 400, "invalid", "title")


def test_the_list_filters_by_status_team_and_overdue(
    api: Api, frozen_clock: MovableClock, service: object
) -> None:
    ref = resolved_incident(api, severity=1, services=["checkout"])  # the payments team's
    soon = write(api, ref, "Add an alert on queue depth", owner="rei")
    later = write(api, ref, "Add a contract test", owner="rei", due_date="2027-03-01")
    done = write(api, ref, "Fix the rounding bug", owner="rei")
    ok(api.patch(f"/followups/{done['id']}", {"status": "done"}))
    frozen_clock.advance(days=20)  # past the SEV1 policy's 14 days
    overdue = ok(api.get("/followups", overdue="true"))
    assert [f["id"] for f in overdue["items"]] == [soon["id"]]
    assert overdue["items"][0]["overdue"] is True
    assert overdue["count"] == 1
    team = ok(api.get("/followups", team="payments"))
    assert {f["id"] for f in team["items"]} == {soon["id"], later["id"], done["id"]}
    assert [f["id"] for f in ok(api.get("/followups", status="done"))["items"]] == [done["id"]]
    assert ok(api.get("/followups", team="nobody"))["count"] == 0
    assert_error(api.get("/followups", status="finished"), 400, "invalid", "finished")
    paged = ok(api.get("/followups", page_size=1, page=2))
    assert (paged["count"], paged["pages"], len(paged["items"])) == (3, 3, 1)
