"""The incident lifecycle: every allowed move, its milestone stamps, and refused moves."""

import pytest

from kizuki.core.models import AuditEntry
from kizuki.incidents.lifecycle import TRANSITIONS
from tests.conftest import Api, MovableClock
from tests.incidents.support import (
    assert_error,
    english,
    events,
    incident_in,
    look,
    move,
    report,
    row_counts,
)

MILESTONES = ["acknowledged_at", "declared_at", "mitigated_at", "resolved_at", "closed_at"]


def milestones(incident: dict[str, object]) -> dict[str, object]:
    return {field: incident[field] for field in ["reported_at", *MILESTONES]}


def test_the_whole_way_stamps_each_milestone_when_it_happens(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    incident = report(responder_api)
    ref = incident["number"]
    assert incident["status"] == "reported"
    assert milestones(incident) == {"reported_at": "2026-11-25T01:00:00Z"} | dict.fromkeys(
        MILESTONES
    )

    steps = [
        ("acknowledged", {}, "acknowledged", "acknowledged_at", "2026-11-25T01:05:00Z"),
        ("declared", {"severity": 2}, "declared", "declared_at", "2026-11-25T01:10:00Z"),
        ("mitigated", {}, "mitigated", "mitigated_at", "2026-11-25T01:15:00Z"),
        ("resolved", {}, "resolved", "resolved_at", "2026-11-25T01:20:00Z"),
        ("closed", {}, "closed", "closed_at", "2026-11-25T01:25:00Z"),
    ]
    expected = milestones(incident)
    for to, extra, status, field, stamp in steps:
        frozen_clock.advance(minutes=5)
        response = move(responder_api, ref, to, **extra)
        assert response.status_code == 200, response.json()
        expected[field] = stamp
        assert response.json()["status"] == status
        assert milestones(response.json()) == expected
        assert milestones(responder_api.get(f"/incidents/{ref}").json()) == expected

    final = responder_api.get(f"/incidents/{ref}").json()
    assert final["severity"] == 2
    assert events(responder_api, ref) == ["reported"] + ["transition"] * 5
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {f"incident.{to}" for to, *_ in steps} <= actions


def test_reporting_with_a_severity_declares_at_once(
    responder_api: Api, service: object, frozen_clock: MovableClock
) -> None:
    incident = report(responder_api, severity=1, services=["checkout"])
    assert incident["status"] == "declared"
    assert incident["severity"] == 1
    assert incident["severity_label"].startswith("SEV1 ")
    assert incident["reported_at"] == "2026-11-25T01:00:00Z"
    assert incident["acknowledged_at"] == "2026-11-25T01:00:00Z"
    assert incident["declared_at"] == "2026-11-25T01:00:00Z"
    assert incident["team"] == "payments"
    timeline = english(responder_api).get(f"/incidents/{incident['number']}/timeline").json()
    assert [entry["text"] for entry in timeline] == ["Incident reported.", "Declared as SEV1."]


def test_declaring_after_acknowledging_keeps_the_acknowledgement_time(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    ref = incident_in(responder_api, "acknowledged")
    frozen_clock.advance(minutes=7)
    declared = move(responder_api, ref, "declared", severity=3).json()
    assert declared["acknowledged_at"] == "2026-11-25T01:00:00Z"
    assert declared["declared_at"] == "2026-11-25T01:07:00Z"


def test_resolving_without_mitigating_stamps_mitigated_too(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    ref = incident_in(responder_api, "declared")
    frozen_clock.advance(hours=2)
    resolved = move(responder_api, ref, "resolved").json()
    assert resolved["status"] == "resolved"
    assert resolved["mitigated_at"] == "2026-11-25T03:00:00Z"
    assert resolved["resolved_at"] == "2026-11-25T03:00:00Z"


def test_a_report_can_be_dismissed_as_false_alarm(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    ref = incident_in(responder_api, "reported")
    frozen_clock.advance(minutes=3)
    dismissed = move(responder_api, ref, "false_alarm", note="Monitoring glitch").json()
    assert dismissed["status"] == "false_alarm"
    assert dismissed["closed_at"] == "2026-11-25T01:03:00Z"
    assert dismissed["declared_at"] is None
    last = english(responder_api).get(f"/incidents/{ref}/timeline").json()[-1]
    assert last["text"] == "Status changed to False alarm. Note: Monitoring glitch"


def test_a_declared_incident_can_be_demoted_to_false_alarm(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    ref = incident_in(responder_api, "declared")
    frozen_clock.advance(minutes=30)
    demoted = move(responder_api, ref, "false_alarm").json()
    assert demoted["status"] == "false_alarm"
    assert demoted["declared_at"] == "2026-11-25T01:00:00Z"
    assert demoted["closed_at"] == "2026-11-25T01:30:00Z"


def test_reopening_goes_back_to_declared_and_clears_the_later_milestones(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    ref = incident_in(responder_api, "resolved")
    frozen_clock.advance(hours=1)
    reopened = move(responder_api, ref, "reopened").json()
    assert reopened["status"] == "declared"
    assert reopened["declared_at"] == "2026-11-25T01:00:00Z"
    assert reopened["mitigated_at"] is None
    assert reopened["resolved_at"] is None
    assert english(responder_api).get(f"/incidents/{ref}/timeline").json()[-1]["text"] == (
        "Reopened."
    )

    frozen_clock.advance(minutes=10)
    again = move(responder_api, ref, "resolved").json()
    assert again["mitigated_at"] == again["resolved_at"] == "2026-11-25T02:10:00Z"


REFUSED = [
    ("reported", "closed"),
    ("reported", "mitigated"),
    ("reported", "resolved"),
    ("reported", "reopened"),
    ("acknowledged", "acknowledged"),
    ("acknowledged", "resolved"),
    ("declared", "declared"),
    ("declared", "closed"),
    ("declared", "reopened"),
    ("mitigated", "declared"),
    ("mitigated", "false_alarm"),
    ("resolved", "mitigated"),
    ("resolved", "false_alarm"),
    *[("closed", to) for to in TRANSITIONS],
    *[("false_alarm", to) for to in TRANSITIONS],
]


@pytest.mark.parametrize(("status", "to"), REFUSED)
def test_a_move_the_lifecycle_does_not_allow_is_refused_and_changes_nothing(
    responder_api: Api, frozen_clock: MovableClock, status: str, to: str
) -> None:
    api = english(responder_api)
    ref = incident_in(api, status)
    before, counts = look(api, ref), row_counts()
    frozen_clock.advance(minutes=1)

    response = move(api, ref, to, severity=2)

    assert_error(response, 409, "conflict", ref, f"cannot move to {to}")
    assert look(api, ref) == before
    assert row_counts() == counts


def test_a_refusal_names_the_moves_that_are_allowed(responder_api: Api) -> None:
    api = english(responder_api)
    ref = incident_in(api, "declared")
    assert_error(
        move(api, ref, "closed"),
        409,
        "conflict",
        f"{ref} is Declared and cannot move to closed; allowed: mitigated, resolved, false_alarm.",
    )
    closed = incident_in(api, "closed")
    assert_error(move(api, closed, "reopened"), 409, "conflict", "allowed: nothing")


@pytest.mark.parametrize("status", ["reported", "acknowledged"])
def test_declaring_without_any_severity_is_refused(
    viewer_api: Api, responder_api: Api, status: str
) -> None:
    ref = report(viewer_api)["number"]  # viewers report without a severity
    if status == "acknowledged":
        assert move(responder_api, ref, "acknowledged").status_code == 200
    before, counts = look(responder_api, ref), row_counts()

    response = move(english(responder_api), ref, "declared")

    assert_error(response, 400, "invalid", "needs a severity")
    assert look(responder_api, ref) == before
    assert row_counts() == counts


def test_declaring_sets_the_severity_given_with_the_move(responder_api: Api) -> None:
    ref = incident_in(responder_api, "reported")
    declared = move(responder_api, ref, "declared", severity=4).json()
    assert (declared["status"], declared["severity"]) == ("declared", 4)
