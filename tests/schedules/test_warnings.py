"""Warnings: stretches with nobody on call, and people on call whom a page would not reach."""

import pytest

from kizuki.accounts import actions as accounts
from kizuki.notify.models import Method, NotificationRule
from tests.conftest import Api, MovableClock
from tests.incidents.support import english
from tests.schedules.support import create, layer, people

pytestmark = pytest.mark.django_db


def test_gaps_and_unreachable_people_are_reported(
    viewer_api: Api, responder_api: Api, frozen_clock: MovableClock
) -> None:
    folks = people("ana", "ben")
    accounts.create_user("eri", "viewer")  # no e-mail address either
    NotificationRule.objects.create(user=folks["ben"], method=Method.EMAIL)
    # Nobody until the rotation starts on 11-28 09:00 Tokyo (00:00 UTC); the override on
    # 11-26 covers part of that gap.
    schedule = create(
        responder_api, [layer(["ben", "ana"], "1d", start="2026-11-28")], name="Payments"
    )["id"]
    responder_api.post(
        f"/schedules/{schedule}/overrides",
        {"user": "eri", "starts_at": "2026-11-26T00:00Z", "ends_at": "2026-11-26T12:00Z"},
    )

    body = english(viewer_api).get(f"/schedules/{schedule}/warnings").json()
    assert body["starts_at"] == "2026-11-25T01:00:00Z"
    assert body["ends_at"] == "2026-12-09T01:00:00Z"
    gaps = [w for w in body["warnings"] if w["kind"] == "gap"]
    assert [(g["starts_at"], g["ends_at"]) for g in gaps] == [
        ("2026-11-25T01:00:00Z", "2026-11-26T00:00:00Z"),
        ("2026-11-26T12:00:00Z", "2026-11-28T00:00:00Z"),
    ]
    assert gaps[0]["detail"] == (
        "Nobody is on call from 2026-11-25 10:00 to 2026-11-26 09:00 (Asia/Tokyo)."
    )

    unreachable = {w["user"]: w["detail"] for w in body["warnings"] if w["kind"] == "unreachable"}
    assert set(unreachable) == {"eri", "ana"}  # ben has a notification rule
    assert "no notification rule" in unreachable["ana"]
    assert "only by e-mail to ana@example.test" in unreachable["ana"]
    assert "no e-mail address" in unreachable["eri"]


def test_a_covered_and_reachable_schedule_has_no_warnings(
    viewer_api: Api, responder_api: Api, frozen_clock: MovableClock
) -> None:
    folks = people("ana")
    NotificationRule.objects.create(user=folks["ana"], method=Method.EMAIL)
    schedule = create(responder_api, [layer(["ana"], "1w", start="2026-11-01")])["id"]
    assert viewer_api.get(f"/schedules/{schedule}/warnings").json()["warnings"] == []
