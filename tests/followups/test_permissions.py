"""Who may call which follow-up endpoint: nobody without logging in; viewers read and check;
responders write; a viewer who owns a follow-up may change that one; admins set the rules
and trackers. A refusal changes nothing."""

import json
from typing import Any

import pytest

from kizuki.accounts.models import User
from tests.conftest import Api, api_for, make_user
from tests.followups.support import english, ok, resolved_incident, row_counts, write
from tests.incidents.support import assert_error, call

ENDPOINTS: list[tuple[str, str, dict[str, Any]]] = [
    ("get", "/incidents/INC-1/followups", {}),
    ("post", "/incidents/INC-1/followups", {"title": "Add an alert"}),
    ("get", "/followups", {}),
    ("get", "/followups/{id}", {}),
    ("patch", "/followups/{id}", {"title": "Renamed"}),
    ("get", "/followups/{id}/history", {}),
    ("post", "/followups/{id}/export", {}),
    ("post", "/followups/check", {"title": "Be careful"}),
    ("get", "/followup-quality-rules", {}),
    (
        "post",
        "/followup-quality-rules",
        {"code": "x", "pattern": "x", "message_en": "x", "message_ja": "x"},
    ),
    ("get", "/followup-trackers", {}),
    (
        "put",
        "/followup-trackers/payments",
        {"kind": "github", "base_url": "https://api.github.com", "project": "a/b", "token": "t"},
    ),
]
READS = ["/incidents/INC-1/followups", "/followups", "/followups/{id}", "/followups/{id}/history"]


@pytest.fixture
def existing(responder_api: Api, service: object) -> dict[str, Any]:
    """INC-1 (the payments team's) with follow-up 1, owned by rei."""
    api = english(responder_api)
    ref = resolved_incident(api, services=["checkout"])
    return write(api, ref, "Add an alert on queue depth", owner="rei")


def _put(api: Api, path: str, body: dict[str, Any]) -> Any:
    return api.client.put(
        "/api/v1" + path, json.dumps(body), "application/json", headers=api._headers()
    )


def _call(api: Api, method: str, path: str, body: dict[str, Any]) -> Any:
    return _put(api, path, body) if method == "put" else call(api, method, path, body)


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_anonymous_callers_are_turned_away(
    anonymous_api: Api, existing: dict[str, Any], method: str, path: str, body: dict[str, Any]
) -> None:
    before = row_counts()
    path = path.format(id=existing["id"])
    assert_error(_call(english(anonymous_api), method, path, body), 401, "unauthenticated")
    assert row_counts() == before


@pytest.mark.parametrize("path", READS)
def test_viewers_read(viewer_api: Api, existing: dict[str, Any], path: str) -> None:
    assert viewer_api.get(path.format(id=existing["id"])).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [e for e in ENDPOINTS if e[0] != "get" and e[1] != "/followups/check"],
)
def test_viewers_change_nothing(
    viewer_api: Api, existing: dict[str, Any], method: str, path: str, body: dict[str, Any]
) -> None:
    before = row_counts()
    path = path.format(id=existing["id"])
    assert_error(_call(english(viewer_api), method, path, body), 403, "forbidden")
    assert row_counts() == before
    assert (
        ok(viewer_api.get(f"/followups/{existing['id']}"))["title"] == "Add an alert on queue depth"
    )


def test_a_viewer_who_owns_a_follow_up_may_change_it(
    existing: dict[str, Any], responder_api: Api
) -> None:
    owner: User = make_user("oto", "viewer")
    path = f"/followups/{existing['id']}"
    ok(english(responder_api).patch(path, {"owner": "oto"}))
    api = english(api_for(owner))
    assert ok(api.patch(path, {"status": "in_progress"}))["status"] == "in_progress"
    # ...but not write new ones, nor change another's.
    assert_error(api.post("/incidents/INC-1/followups", {"title": "Mine"}), 403, "forbidden")
    other = write(english(responder_api), "INC-1", "Someone else's", owner="rei")
    assert_error(api.patch(f"/followups/{other['id']}", {"title": "Taken"}), 403, "forbidden")


def test_responders_cannot_set_rules_or_trackers(
    responder_api: Api, existing: dict[str, Any]
) -> None:
    api = english(responder_api)
    for method, path, body in ENDPOINTS[-4:]:
        assert_error(_call(api, method, path, body), 403, "forbidden")


def test_unknown_things_are_404(viewer_api: Api, existing: dict[str, Any]) -> None:
    api = english(viewer_api)
    assert_error(api.get("/followups/999"), 404, "not_found", "999")
    assert_error(api.get("/incidents/INC-999/followups"), 404, "not_found")
    assert_error(api.get("/followups/999/history"), 404, "not_found")
