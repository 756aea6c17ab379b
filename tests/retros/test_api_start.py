"""Starting a retrospective: the three built-in templates, each pre-filled from the incident
(milestones and durations, the timeline with backdated entries and pages, impact on three
axes, roles, linked alerts, status updates), in English and in Japanese."""

from typing import Any

import pytest

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from tests.conftest import Api, MovableClock
from tests.retros.domain_support import (
    BACKDATED_NOTE,
    alerted_incident,
    error,
    give_history,
    in_language,
    ok,
    put,
    resolved_incident,
    section,
    start,
)

pytestmark = pytest.mark.django_db

# For each built-in template: the section that holds each kind of pre-filled text.
WHERE: dict[str, dict[str, str | None]] = {
    "incident-review": {
        "overview": "service",
        "milestones": "timeline",
        "timeline": "timeline",
        "impact": "damage",
        "roles": "response-reflection",
        "alerts": "response-reflection",
        "status_updates": "response-reflection",
    },
    "postmortem": {
        "overview": None,
        "milestones": "impact",
        "timeline": "flow",
        "impact": "impact",
        "roles": "flow",
        "alerts": "flow",
        "status_updates": "flow",
    },
    "response-record": {
        "overview": "what-happened",
        "milestones": "recovery-history",
        "timeline": "recovery-history",
        "impact": "impact",
        "roles": "recovery-history",
        "alerts": "recovery-history",
        "status_updates": "recovery-history",
    },
}


def test_the_three_built_in_templates_follow_the_seeds(viewer_api: Api) -> None:
    english = ok(in_language(viewer_api, "en").get("/retrospective-templates"))
    assert [t["key"] for t in english] == ["incident-review", "postmortem", "response-record"]
    assert all(t["built_in"] and not t["retired"] for t in english)
    review, postmortem, record = english
    assert [s["key"] for s in review["sections"]] == [
        "service",
        "timeline",
        "damage",
        "direct-cause",
        "interim-action",
        "root-cause",
        "permanent-fix",
        "prevention",
        "response-reflection",
    ]
    assert [s["title"] for s in postmortem["sections"]] == [
        "Impact",
        "Background",
        "How it happened and how it was recovered",
        "Cause",
        "Minimising damage and preventing recurrence",
    ]
    assert all(s["asks_evidence"] for s in postmortem["sections"])
    assert section(postmortem, "prevention")["prefill"] == ["phases"]
    assert (
        "By customer (guests, partners), by function, by time"
        in (section(record, "impact")["guidance"])
    )

    japanese = ok(in_language(viewer_api, "ja").get("/retrospective-templates"))
    assert [t["name"] for t in japanese] == [
        "インシデントレビュー",
        "障害振り返り（エビデンス付き）",
        "障害対応記録",
    ]
    assert [s["title"] for s in japanese[2]["sections"]] == [
        "発生事象",
        "経緯・復旧作業の対応履歴",
        "影響範囲",
        "原因調査記録と考察",
        "最終的な原因",
        "再発防止策",
    ]
    assert "エビデンス" in section(japanese[1], "cause")["guidance"]


def _text(retro: dict[str, Any], key: str | None) -> str:
    assert key is not None
    body: str = section(retro, key)["body"]
    return body


@pytest.mark.parametrize("template", list(WHERE))
def test_starting_from_each_template_pre_fills_it_from_the_incident(
    template: str,
    admin_api: Api,
    responder_api: Api,
    responder: User,
    service: Service,
    frozen_clock: MovableClock,
) -> None:
    ref = alerted_incident(admin_api, service, frozen_clock)
    give_history(responder_api, ref, frozen_clock)
    retro = start(in_language(responder_api, "en"), ref, template)

    assert retro["status"] == "draft"
    assert retro["template"] == template
    assert retro["owner"] == "rei"
    assert retro["language"] == "en"
    assert retro["version"] == 1
    where = WHERE[template]
    # Milestones and durations (reported and declared by the alert at 01:00 UTC, shown in
    # Tokyo time; mitigated 01:15, resolved 01:35).
    milestones = _text(retro, where["milestones"])
    assert "| Reported | 2026-11-25 10:00 | 0 min |" in milestones
    assert "- Time to acknowledge: 0 min" in milestones
    assert "- Time to mitigate: 15 min" in milestones
    assert "- Time to resolve: 35 min" in milestones
    assert "- Time to detect (impact start to report): 5 min" in milestones
    # The timeline: the backdated note in its place (before the report), and the page sent.
    timeline = _text(retro, where["timeline"])
    note_at = timeline.index(BACKDATED_NOTE)
    assert note_at < timeline.index("Incident reported.")
    assert "2026-11-25 09:50 " + BACKDATED_NOTE + " (recorded later, at 2026-11-25 10:05)" in (
        timeline
    )
    assert "Paged rei by E-mail." in timeline
    # Impact on three axes and secondary damage.
    impact = _text(retro, where["impact"])
    assert "**Customers**: About 1,200 shoppers could not pay" in impact
    assert "**Functions**: Checkout payment step" in impact
    assert "**Time**: 2026-11-25 09:55 - 2026-11-25 10:40 (45 min)" in impact
    assert "**Secondary damage**: Duplicate refund requests at the support desk" in impact
    # Roles and who held them, the linked alert, the status update.
    assert "- Incident Commander: rei (2026-11-25 10:01 -)" in _text(retro, where["roles"])
    alerts = _text(retro, where["alerts"])
    assert "10:00 Checkout 5xx ratio high (Checkout, 1 alert, Firing)" in alerts
    assert "(Internal only) Payments fail; rolling back" in _text(retro, where["status_updates"])
    if where["overview"]:
        overview = _text(retro, where["overview"])
        assert f"**{ref} Checkout 5xx ratio high**" in overview
        assert "Severity: SEV2" in overview
        assert "Services: Checkout" in overview
    # Sections the template leaves to the writer start empty; none is marked as AI-drafted.
    assert any(not s["body"] for s in retro["sections"])
    assert not any(s["drafted"] for s in retro["sections"])
    assert all(s["guidance"] for s in retro["sections"])
    # It reads back the same.
    assert ok(in_language(responder_api, "en").get(f"/incidents/{ref}/retrospective")) == retro


def test_postmortem_prevention_starts_with_the_three_phases(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    ref = resolved_incident(responder_api, frozen_clock)
    retro = start(in_language(responder_api, "en"), ref, "postmortem")
    prevention = section(retro, "prevention")["body"]
    assert prevention.index("### During development") < prevention.index("### During verification")
    assert "### After release" in prevention
    milestones = section(retro, "impact")["body"]
    assert "- Time to acknowledge: 5 min" in milestones
    assert "- Time to mitigate: 22 min" in milestones
    assert "- Time to resolve: 42 min" in milestones


def test_started_in_japanese_it_is_written_in_japanese(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    ref = resolved_incident(responder_api, frozen_clock)
    retro = start(in_language(responder_api, "ja"), ref, "response-record")
    assert retro["language"] == "ja"
    assert retro["template_name"] == "障害対応記録"
    assert [s["title"] for s in retro["sections"]][:3] == [
        "発生事象",
        "経緯・復旧作業の対応履歴",
        "影響範囲",
    ]
    history = section(retro, "recovery-history")["body"]
    assert "インシデントコマンダー" in history or "rei" in history
    assert "2026-11-25 10:00" in history
    assert "#### タイムライン" in history


def test_the_default_template_is_the_teams_then_the_severitys(
    admin_api: Api, responder_api: Api, service: Service, frozen_clock: MovableClock
) -> None:
    ok(admin_api.patch("/retrospective-policy/severities/2", {"template": "postmortem"}))
    first = resolved_incident(responder_api, frozen_clock)
    assert start(responder_api, first)["template"] == "postmortem"

    ok(put(admin_api, "/retrospective-policy/teams/payments", {"template": "response-record"}))
    second = resolved_incident(responder_api, frozen_clock, services=["checkout"])
    assert start(responder_api, second)["template"] == "response-record"
    policy = ok(admin_api.get("/retrospective-policy"))
    assert policy["teams"] == [{"team": "payments", "template": "response-record"}]


def test_a_second_start_conflicts_and_bad_starts_say_why(
    responder_api: Api, viewer_api: Api, anonymous_api: Api, frozen_clock: MovableClock
) -> None:
    ref = resolved_incident(responder_api, frozen_clock)
    error(responder_api.post(f"/incidents/{ref}/retrospective", {"template": "nope"}), 404, "nope")
    error(viewer_api.post(f"/incidents/{ref}/retrospective", {}), 403)
    assert anonymous_api.post(f"/incidents/{ref}/retrospective", {}).status_code == 401
    error(responder_api.get(f"/incidents/{ref}/retrospective"), 404, ref)
    start(responder_api, ref, "incident-review")
    error(in_language(responder_api, "en").post(f"/incidents/{ref}/retrospective", {}), 409, ref)
    error(responder_api.post("/incidents/INC-999/retrospective", {}), 404)
    response = responder_api.post(f"/incidents/{ref}/retrospective", {"template": 5})
    assert response.status_code == 422, response.json()
