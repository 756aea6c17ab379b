"""Each condition kind narrows a rule: severities, services, teams, drills, business hours and
Japanese public holidays (the injectable clock sets the day and hour). A rule runs only on
its own event, only when enabled, and says why it matched."""

from datetime import UTC, datetime
from typing import Any

import pytest

from kizuki.catalog.models import Service
from tests.automation.support import declared, make_rule, move, report, runs
from tests.conftest import Api, MovableClock
from tests.jobs import run_worker
from tests.schedules.support import set_clock

pytestmark = pytest.mark.django_db

FOLLOW_UP = [{"kind": "create_followup", "title": "Look again"}]
# Wednesday 25 November 2026, 10:00 in Tokyo: business hours.
WEDNESDAY_MORNING = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
# The same day at 21:00 in Tokyo: outside business hours.
WEDNESDAY_NIGHT = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
# Monday 23 November 2026 (Labour Thanksgiving Day), 10:00 in Tokyo: a holiday.
HOLIDAY_MORNING = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def matched(api: Api, rule: dict[str, Any]) -> list[str]:
    """The incidents the rule ran on, oldest first."""
    return [run["incident"] for run in reversed(runs(api, rule["id"]))]


def test_severities(admin_api: Api, responder_api: Api, frozen_clock: MovableClock) -> None:
    rule = make_rule(admin_api, "declared", FOLLOW_UP, severities=[1, 2])
    minor = declared(responder_api, severity=3)
    major = declared(responder_api, severity=2)
    assert matched(admin_api, rule) == [major]
    assert minor != major
    assert runs(admin_api, rule["id"])[0]["why"] == [["severity", 2]]
    assert runs(admin_api, rule["id"])[0]["why_text"]


def test_services_and_teams(
    admin_api: Api, responder_api: Api, service: Service, frozen_clock: MovableClock
) -> None:
    by_service = make_rule(admin_api, "reported", FOLLOW_UP, services=["checkout"])
    by_team = make_rule(admin_api, "reported", FOLLOW_UP, teams=["payments"])
    report(responder_api, "Elsewhere")
    on_checkout = report(responder_api, "Checkout down", services=["checkout"])
    payments = report(responder_api, "Payments slow", team="payments")
    run_worker()
    assert matched(admin_api, by_service) == [on_checkout]
    # An incident on checkout belongs to checkout's team, payments.
    assert matched(admin_api, by_team) == [on_checkout, payments]
    assert runs(admin_api, by_service["id"])[0]["why"] == [["services", ["checkout"]]]


def test_drills(admin_api: Api, responder_api: Api, frozen_clock: MovableClock) -> None:
    drills_only = make_rule(admin_api, "reported", FOLLOW_UP, drill="yes")
    real_only = make_rule(admin_api, "reported", FOLLOW_UP, drill="no")
    drill = report(responder_api, "Practice", is_drill=True)
    real = report(responder_api, "Real")
    run_worker()
    assert matched(admin_api, drills_only) == [drill]
    assert matched(admin_api, real_only) == [real]


def test_business_hours(admin_api: Api, responder_api: Api, frozen_clock: MovableClock) -> None:
    out_of_hours = make_rule(admin_api, "reported", FOLLOW_UP, business_hours="out")
    in_hours = make_rule(admin_api, "reported", FOLLOW_UP, business_hours="in")
    set_clock(frozen_clock, WEDNESDAY_MORNING)
    morning = report(responder_api, "Morning")
    run_worker()
    set_clock(frozen_clock, WEDNESDAY_NIGHT)
    night = report(responder_api, "Night")
    run_worker()
    assert matched(admin_api, in_hours) == [morning]
    assert matched(admin_api, out_of_hours) == [night]


def test_japanese_holidays(admin_api: Api, responder_api: Api, frozen_clock: MovableClock) -> None:
    holidays_only = make_rule(admin_api, "reported", FOLLOW_UP, holidays="only")
    not_holidays = make_rule(admin_api, "reported", FOLLOW_UP, holidays="except")
    out_of_hours = make_rule(admin_api, "reported", FOLLOW_UP, business_hours="out")
    set_clock(frozen_clock, HOLIDAY_MORNING)
    holiday = report(responder_api, "On the holiday")
    run_worker()
    set_clock(frozen_clock, WEDNESDAY_MORNING)
    weekday = report(responder_api, "On a weekday")
    run_worker()
    assert matched(admin_api, holidays_only) == [holiday]
    assert matched(admin_api, not_holidays) == [weekday]
    # A holiday morning is outside business hours, as the paging settings count them.
    assert matched(admin_api, out_of_hours) == [holiday]


def test_only_its_own_event_and_only_when_enabled(
    admin_api: Api, responder_api: Api, frozen_clock: MovableClock
) -> None:
    on_mitigated = make_rule(admin_api, "mitigated", FOLLOW_UP)
    on_resolved = make_rule(admin_api, "resolved", FOLLOW_UP, enabled=False)
    on_severity = make_rule(admin_api, "severity_changed", FOLLOW_UP, severities=[1])
    ref = declared(responder_api, severity=3)
    move(responder_api, ref, "mitigated")
    move(responder_api, ref, "resolved")
    run_worker()
    assert matched(admin_api, on_mitigated) == [ref]
    assert matched(admin_api, on_resolved) == []
    other = declared(responder_api, severity=3)
    assert responder_api.patch(f"/incidents/{other}", {"severity": 1}).status_code == 200
    run_worker()
    assert matched(admin_api, on_severity) == [other]
