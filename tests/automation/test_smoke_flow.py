"""A rule on "declared" runs in the worker after the declaration committed, and says on the
incident's timeline what ran, why it matched and how each action went."""

import pytest

from tests.automation.support import automation_lines, declared, make_rule, runs
from tests.conftest import Api, MovableClock

pytestmark = pytest.mark.django_db


def test_a_matching_rule_runs_its_actions_and_writes_the_timeline(
    admin_api: Api, responder_api: Api, frozen_clock: MovableClock
) -> None:
    rule = make_rule(
        admin_api,
        "declared",
        [
            {"kind": "require_retrospective"},
            {"kind": "create_followup", "title": "Check the runbook"},
            {"kind": "stakeholder_update", "text": "We are looking into it."},
        ],
        name="Big ones",
        severities=[1, 2],
    )
    ref = declared(responder_api, severity=2)
    lines = automation_lines(responder_api, ref)
    assert lines[0] == (
        "Automation rule “Big ones” ran on “Declared” (severity SEV2): Require the"
        " retrospective, Create a follow-up, Send a stakeholder update."
    )
    assert lines[1:] == [
        "Rule “Big ones”: Require the retrospective done.",
        "Rule “Big ones”: Create a follow-up done: follow-up “Check the runbook”.",
        "Rule “Big ones”: Send a stakeholder update done.",
    ]
    assert responder_api.get(f"/incidents/{ref}/retrospective/requirement").json()["required"]
    followups = responder_api.get(f"/incidents/{ref}/followups").json()
    assert [f["title"] for f in followups] == ["Check the runbook"]
    [run] = runs(responder_api, rule["id"])
    assert run["incident"] == ref
    assert [a["status"] for a in run["actions"]] == ["succeeded"] * 3
