"""Input the database or the date arithmetic cannot take is a 4xx with a detail, never a 500:
ids past the integer column, a webhook that is not an issues event, a severity whose policy is
millions of days, text with NUL, a due date that is not a date."""

import hashlib
import hmac
from typing import Any

import pytest
from django.test import Client

from kizuki.followups import tracker_actions
from kizuki.followups.models import TrackerConfig
from tests.conftest import Api
from tests.followups.support import english, ok, resolved_incident, row_counts, write
from tests.incidents.support import assert_error

HUGE = 2**63


@pytest.fixture
def api(responder_api: Api) -> Api:
    return english(responder_api)


def test_ids_past_the_column_are_not_found(api: Api, admin_api: Api) -> None:
    assert_error(api.get(f"/followups/{HUGE}"), 404, "not_found")
    assert_error(api.patch(f"/followups/{HUGE}", {"title": "x"}), 404, "not_found")
    assert_error(english(admin_api).patch(f"/followup-quality-rules/{HUGE}", {}), 404, "not_found")
    assert (
        Client()
        .post(f"/api/v1/followup-trackers/{HUGE}/github", b"{}", "application/json")
        .status_code
        == 404
    )


def test_bad_fields_are_refused_and_nothing_is_stored(api: Api) -> None:
    ref = resolved_incident(api)
    before = row_counts()
    for body in (
        {"title": "x", "due_date": "tomorrow"},
        {"title": "x", "kind": "fix"},
        {"title": "x" * 201},
        {"title": "x", "milestones": [{"title": ""}]},
    ):
        assert api.post(f"/incidents/{ref}/followups", body).status_code in {400, 422}, body
    assert_error(api.post(f"/incidents/{ref}/followups", {"title": "a\x00b"}), 400, "invalid")
    assert row_counts() == before


def test_a_policy_of_millions_of_days_is_no_limit(api: Api, admin_api: Api) -> None:
    ok(english(admin_api).patch("/severities/2", {"follow_up_due_days": 2_000_000_000}))
    ref = resolved_incident(api)
    followup = write(api, ref, "Add an alert on queue depth", owner="rei")
    assert followup["due_date"] == "9999-12-31"
    assert followup["quality"] == []


def test_a_webhook_that_is_not_an_issues_event(service: Any, settings: Any) -> None:
    settings.KIZUKI_OUTBOUND_ALLOW = "127.0.0.1"
    config: TrackerConfig = tracker_actions.save_tracker(
        None,
        service.team,
        {
            "kind": "github",
            "base_url": "http://127.0.0.1:9",
            "project": "a/b",
            "token": "t",
            "webhook_secret": "s",
        },
    )
    url = f"/api/v1/followup-trackers/{config.pk}/github"
    for raw in (b"[1]", b'{"action": "closed", "issue": {"number": 1e400}}', b"not json"):
        digest = hmac.new(b"s", raw, hashlib.sha256).hexdigest()
        headers = {"X-GitHub-Event": "issues", "X-Hub-Signature-256": f"sha256={digest}"}
        response = Client().post(url, raw, "application/json", headers=headers)
        assert response.status_code == 400, raw
        assert response.json()["detail"]
    unsigned = Client().post(url, b"{}", "application/json", headers={"X-GitHub-Event": "issues"})
    assert unsigned.status_code == 403
