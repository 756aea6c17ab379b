"""The retrospective policy: a resolved SEV2 gets a required retrospective with a due date;
the commander requires one for any incident or records that none is needed; admins set the
policy; overdue retrospectives are listed and reminded (owner, then team), each reminder once;
and, when configured, Close waits for the required retrospective to be published."""

from typing import Any

import pytest
from django.core import mail

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from kizuki.core import periodic
from tests.conftest import Api, MovableClock, api_for, make_user
from tests.incidents.support import move
from tests.retros.domain_support import (
    error,
    in_language,
    ok,
    require,
    requirement,
    resolved_incident,
    start,
)

pytestmark = pytest.mark.django_db


def run_worker_ticks() -> None:
    while periodic.run_once():
        pass


def test_a_resolved_sev2_needs_a_retrospective_due_after_its_policy(
    responder_api: Api, viewer_api: Api, frozen_clock: MovableClock
) -> None:
    ref = resolved_incident(responder_api, frozen_clock)  # resolved at 01:42 UTC
    needed = requirement(viewer_api, ref)
    assert needed == {
        "incident": ref,
        "status": "not_started",
        "required": True,
        "due_at": "2026-12-09T01:42:00Z",  # 14 days, the default
        "overdue": False,
        "not_needed_reason": "",
        "decided_by": None,
    }
    # Starting it keeps the requirement and the date.
    retro = start(responder_api, ref)
    assert (retro["required"], retro["due_at"]) == (True, "2026-12-09T01:42:00Z")


def test_a_sev4_needs_none_unless_the_commander_asks(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    ref = resolved_incident(responder_api, frozen_clock, severity=4)
    assert requirement(responder_api, ref)["required"] is False
    asked = ok(require(responder_api, ref, required=True))
    assert asked["required"] is True
    assert asked["due_at"] == "2026-12-09T01:42:00Z"
    assert asked["decided_by"] == "rei"


def test_required_before_resolving_gets_its_date_when_it_resolves(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    ref = ok(responder_api.post("/incidents", {"title": "Slow search", "severity": 4}), 201)[
        "number"
    ]
    assert ok(require(responder_api, ref, required=True))["due_at"] is None
    frozen_clock.advance(hours=2)
    ok(move(responder_api, ref, "resolved"))
    assert requirement(responder_api, ref)["due_at"] == "2026-12-09T03:00:00Z"


def test_admins_set_the_policy(
    admin_api: Api, responder_api: Api, viewer_api: Api, frozen_clock: MovableClock
) -> None:
    policy = ok(viewer_api.get("/retrospective-policy"))
    assert [(p["level"], p["required"], p["due_days"]) for p in policy["severities"]] == [
        (1, True, 14),
        (2, True, 14),
        (3, True, 14),
        (4, False, 14),
        (5, False, 14),
    ]
    changed = ok(admin_api.patch("/retrospective-policy/severities/2", {"due_days": 7}))
    assert changed["due_days"] == 7
    ok(admin_api.patch("/retrospective-policy/severities/4", {"required": True}))
    # The severity's own setting is the one truth.
    severities = {s["level"]: s for s in ok(viewer_api.get("/severities"))}
    assert severities[4]["retrospective_required"] is True

    sev2 = resolved_incident(responder_api, frozen_clock)
    assert requirement(responder_api, sev2)["due_at"] == "2026-12-02T01:42:00Z"
    sev4 = resolved_incident(responder_api, frozen_clock, severity=4)
    assert requirement(responder_api, sev4)["required"] is True

    error(responder_api.patch("/retrospective-policy/severities/2", {"due_days": 3}), 403)
    assert admin_api.patch("/retrospective-policy/severities/2", {"due_days": 0}).status_code == 422
    error(admin_api.patch("/retrospective-policy/severities/9", {"due_days": 3}), 404)
    error(
        in_language(admin_api, "en").patch(
            "/retrospective-policy/severities/2", {"template": "nope"}
        ),
        404,
        "nope",
    )
    error(admin_api.patch("/retrospective-policy/severities/2", {"required": None}), 400)


def test_the_commander_decides_and_records_why_none_is_needed(
    admin_api: Api, responder_api: Api, frozen_clock: MovableClock
) -> None:
    other = api_for(make_user("ren", "responder"))
    ref = ok(responder_api.post("/incidents", {"title": "Login slow", "severity": 2}), 201)[
        "number"
    ]
    ok(
        responder_api.post(
            f"/incidents/{ref}/roles", {"role": "incident_commander", "user": "rei"}
        ),
        201,
    )
    # Another responder may not decide while there is a commander; an admin may.
    error(require(other, ref, required=False, reason="Known issue"), 403)
    error(require(responder_api, ref, required=False), 400)
    decided = ok(require(responder_api, ref, required=False, reason="A duplicate of INC-1"))
    assert decided["required"] is False
    assert decided["not_needed_reason"] == "A duplicate of INC-1"
    # The policy does not overrule the commander when the incident resolves.
    ok(move(responder_api, ref, "resolved"))
    assert requirement(responder_api, ref)["required"] is False
    # Changing their mind: required after all (the admin may, too).
    again = ok(require(admin_api, ref, required=True, due_at="2026-12-01T09:00:00+09:00"))
    assert (again["required"], again["due_at"], again["not_needed_reason"]) == (
        True,
        "2026-12-01T00:00:00Z",
        "",
    )
    # Once the document is started, "not needed" is refused.
    start(responder_api, ref)
    error(require(responder_api, ref, required=False, reason="Never mind"), 409)


def test_overdue_retrospectives_are_listed_and_reminded_once(
    responder: User,
    responder_api: Api,
    viewer: User,
    viewer_api: Api,
    service: Service,
    frozen_clock: MovableClock,
    settings: Any,
) -> None:
    settings.KIZUKI_RETRO_TEAM_REMINDER_DAYS = 3
    member = make_user("mio", "responder")
    service.team.members.add(member, responder)
    ref = resolved_incident(responder_api, frozen_clock, services=["checkout"])  # due 12-09
    ok(
        responder_api.post(
            f"/incidents/{ref}/roles", {"role": "incident_commander", "user": "rei"}
        ),
        201,
    )
    run_worker_ticks()
    assert mail.outbox == []
    assert ok(viewer_api.get("/retrospectives", overdue="true")) == []

    frozen_clock.advance(days=14, minutes=1)
    listed = ok(viewer_api.get("/retrospectives", overdue="true"))
    assert [(r["incident"], r["status"], r["overdue"]) for r in listed] == [
        (ref, "not_started", True)
    ]
    # Not started, so no owner yet: the incident commander hears first, once.
    run_worker_ticks()
    run_worker_ticks()
    assert [m.to for m in mail.outbox] == [["rei@example.test"]]
    assert ref in mail.outbox[0].subject
    assert "/incidents/" in mail.outbox[0].body

    # A further delay later, the team hears too (once).
    frozen_clock.advance(days=3)
    run_worker_ticks()
    run_worker_ticks()
    assert sorted(m.to[0] for m in mail.outbox[1:]) == ["mio@example.test", "rei@example.test"]
    assert all(ref in m.subject for m in mail.outbox)

    # Published: no longer overdue, and nothing more is sent.
    start(responder_api, ref)
    ok(responder_api.post(f"/incidents/{ref}/retrospective/transitions", {"to": "in_review"}))
    ok(responder_api.post(f"/incidents/{ref}/retrospective/transitions", {"to": "published"}))
    frozen_clock.advance(days=3)
    run_worker_ticks()
    assert len(mail.outbox) == 3
    assert ok(viewer_api.get("/retrospectives", overdue="true")) == []
    assert [r["status"] for r in ok(viewer_api.get("/retrospectives", status="published"))] == [
        "published"
    ]
    error(viewer_api.get("/retrospectives", status="nope"), 400)


def test_a_new_due_date_gets_its_own_reminder(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    ref = resolved_incident(responder_api, frozen_clock)
    start(responder_api, ref)  # rei owns it
    frozen_clock.advance(days=15)
    run_worker_ticks()
    assert len(mail.outbox) == 1
    ok(responder_api.patch(f"/incidents/{ref}/retrospective", {"due_at": "2026-12-12T00:00:00Z"}))
    run_worker_ticks()
    assert len(mail.outbox) == 1  # not overdue any more
    frozen_clock.advance(days=3)
    run_worker_ticks()
    run_worker_ticks()
    assert len(mail.outbox) == 2


def test_close_waits_for_the_published_retrospective_when_configured(
    responder_api: Api, frozen_clock: MovableClock, settings: Any
) -> None:
    settings.KIZUKI_RETRO_BLOCKS_CLOSE = True
    api = in_language(responder_api, "en")
    ref = resolved_incident(api, frozen_clock)
    detail = error(move(api, ref, "closed"), 409, ref, "retrospective", "published")
    assert "Not started" in detail
    incident = ok(api.get(f"/incidents/{ref}"))
    assert (incident["status"], incident["closed_at"]) == ("resolved", None)
    start(api, ref)
    ok(api.post(f"/incidents/{ref}/retrospective/transitions", {"to": "in_review"}))
    error(move(api, ref, "closed"), 409, "In review")
    ok(api.post(f"/incidents/{ref}/retrospective/transitions", {"to": "published"}))
    assert ok(move(api, ref, "closed"))["status"] == "closed"


def test_close_is_free_when_not_configured_or_not_needed(
    responder_api: Api, frozen_clock: MovableClock, settings: Any
) -> None:
    first = resolved_incident(responder_api, frozen_clock)
    assert ok(move(responder_api, first, "closed"))["status"] == "closed"
    settings.KIZUKI_RETRO_BLOCKS_CLOSE = True
    second = resolved_incident(responder_api, frozen_clock)
    ok(require(responder_api, second, required=False, reason="Drill of the paging only"))
    assert ok(move(responder_api, second, "closed"))["status"] == "closed"
    third = resolved_incident(responder_api, frozen_clock, severity=4)
    assert ok(move(responder_api, third, "closed"))["status"] == "closed"


def test_requirement_access(
    responder_api: Api, viewer_api: Api, anonymous_api: Api, frozen_clock: MovableClock
) -> None:
    ref = resolved_incident(responder_api, frozen_clock)
    assert requirement(viewer_api, ref)["required"] is True
    error(require(viewer_api, ref, required=True), 403)
    assert anonymous_api.get(f"/incidents/{ref}/retrospective/requirement").status_code == 401
    assert require(responder_api, ref, required="maybe").status_code == 422
    error(require(responder_api, "INC-404", required=True), 404)
