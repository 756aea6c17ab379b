"""GET /api/v1/reports/summary: the major incidents with their one-line summaries, the System
Risk Records opened and closed (and a team filter on them), and the previous period."""

from typing import Any

import pytest

from kizuki.catalog.models import Service
from kizuki.risks import actions as risks
from tests.conftest import Api, MovableClock
from tests.retros.domain_support import ok, resolved_incident

pytestmark = pytest.mark.django_db

PERIOD = {"from": "2026-10-01", "to": "2026-12-31"}


def summary(api: Api, **params: str) -> dict[str, Any]:
    body: dict[str, Any] = ok(api.get("/reports/summary", **PERIOD, **params))
    return body


def publish_with_summary(api: Api, ref: str, text: str) -> None:
    ok(api.post(f"/incidents/{ref}/retrospective", {"template": "incident-review"}), 201)
    sections = {"prevention": "Canary every deploy.", "response-reflection": "Paging was fast."}
    ok(api.patch(f"/incidents/{ref}/retrospective", {"sections": sections}))
    ok(api.patch(f"/incidents/{ref}/retrospective", {"stakeholder_summary": text}))
    for to in ("in_review", "published"):
        ok(api.post(f"/incidents/{ref}/retrospective/transitions", {"to": to}))


def test_major_incidents_with_one_line_summaries(
    responder_api: Api, viewer_api: Api, frozen_clock: MovableClock
) -> None:
    described = resolved_incident(
        responder_api,
        frozen_clock,
        severity=1,
        title="Checkout down",
        description="## 決済が止まった。原因は調査中。\n詳細は後で。",
    )
    reviewed = resolved_incident(responder_api, frozen_clock, severity=2, title="Login slow")
    publish_with_summary(
        responder_api, reviewed, "**Logins took 30 s** for an hour.\n\nMore below."
    )
    minor = resolved_incident(responder_api, frozen_clock, severity=3, title="Search slow")
    reported = resolved_incident(responder_api, frozen_clock, severity=4, title="Data leak")
    ok(responder_api.post(f"/incidents/{reported}/regulatory-reports", {"stage": "initial"}), 201)

    majors = {major["incident"]: major for major in summary(viewer_api)["major_incidents"]}
    assert list(majors) == [described, reviewed, reported]  # oldest first; not the SEV3
    assert minor not in majors
    assert majors[described]["summary"] == "決済が止まった。"
    assert majors[described]["severity"] == 1
    assert majors[described]["status"] == "resolved"
    assert majors[described]["time_to_resolve_seconds"] == 42 * 60  # 01:00 → 01:42
    assert majors[reviewed]["summary"] == "Logins took 30 s for an hour."  # no Markdown marks
    assert majors[reported]["regulatory_report"] is True
    assert majors[reported]["summary"] == ""


def test_risks_opened_closed_and_open_at_end(
    responder_api: Api, viewer_api: Api, frozen_clock: MovableClock, service: Service
) -> None:
    assert responder_api.user is not None
    actor = responder_api.user
    frozen_clock.now = frozen_clock.now.replace(month=9)  # 2026-09-25: before the period
    frozen_clock.advance()
    before = risks.create_risk(actor, {"title": "Old risk", "services": [service]})
    frozen_clock.advance(days=30)  # 2026-10-25: in the period
    risks.update_risk(actor, before, {"status": "done", "reason": "Fixed."})
    fresh = risks.create_risk(
        actor, {"title": "Pool size", "services": [service], "potential_impact": 6}
    )
    unowned = risks.create_risk(actor, {"title": "Nobody's service"})
    frozen_clock.advance(days=90)  # 2027-01-23: after the period, no longer counts
    risks.update_risk(actor, fresh, {"status": "done", "reason": "Fixed."})

    body = summary(viewer_api)["risks"]
    assert (body["opened"], body["closed"], body["open_at_end"]) == (2, 1, 2)
    assert [row["risk"] for row in body["opened_list"]] == [fresh.ref, unowned.ref]
    assert body["opened_list"][0]["priority"] == 6
    assert [row["risk"] for row in body["closed_list"]] == [before.ref]
    # The service's team sees its own risks only.
    payments = summary(viewer_api, team="payments")["risks"]
    assert [row["risk"] for row in payments["opened_list"]] == [fresh.ref]
    assert summary(viewer_api, team="nobody")["risks"]["opened"] == 0


def test_the_previous_period_is_in_the_json(
    responder_api: Api, viewer_api: Api, frozen_clock: MovableClock
) -> None:
    resolved_incident(responder_api, frozen_clock)  # 2026-11-25
    period = {"from": "2026-12-01", "to": "2026-12-31"}
    body: dict[str, Any] = ok(viewer_api.get("/reports/summary", **period))
    assert body["incidents"] == 0
    assert body["previous"] == {  # the 31 days before December
        "from": "2026-10-31",
        "to": "2026-11-30",
        "incidents": 1,
        "mtta_seconds": 5 * 60,
        "mttr_seconds": 42 * 60,
    }
