"""The rules API: admins create, change and delete rules; responders read them and their runs;
bad input is a 400 naming the problem, and nothing is saved."""

from typing import Any

import pytest

from kizuki.automation.models import Rule
from kizuki.core.models import AuditEntry
from tests.automation.support import make_rule
from tests.conftest import Api
from tests.incidents.support import assert_error, english
from tests.notify.support import create_policy, step

pytestmark = pytest.mark.django_db


def test_new_installations_start_with_the_seed_rules_disabled(responder_api: Api) -> None:
    rules = english(responder_api).get("/automation-rules").json()
    assert [(r["key"], r["event"], r["enabled"]) for r in rules] == [
        ("key-people-out-of-hours", "declared", False),
        ("channel-and-guide", "declared", False),
        ("retrospective-on-resolve", "resolved", False),
    ]
    first = rules[0]
    assert first["name"] == "SEV1/SEV2 declared out of business hours: page all key people"
    assert (first["severities"], first["business_hours"]) == ([1, 2], "out")
    assert first["actions"] == [{"kind": "page_key_people"}]


def test_admin_creates_changes_and_deletes_a_rule(admin_api: Api, service: Any) -> None:
    rule = make_rule(
        admin_api,
        "resolved",
        [{"kind": "create_followup", "title": "Review alerts"}],
        name="Resolved checkout",
        services=["checkout"],
        teams=["payments"],
        severities=[2, 1, 2],
        drill="no",
        business_hours="in",
        holidays="except",
    )
    assert rule["severities"] == [1, 2]
    assert (rule["services"], rule["teams"], rule["drill"]) == (["checkout"], ["payments"], "no")
    assert rule["enabled"] is True
    assert rule["position"] > 3  # after the default rules

    changed = admin_api.patch(
        f"/automation-rules/{rule['id']}", {"enabled": False, "holidays": "any"}
    )
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["enabled"], changed.json()["holidays"]) == (False, "any")
    assert changed.json()["services"] == ["checkout"]  # untouched

    assert admin_api.get(f"/automation-rules/{rule['id']}").json()["name"] == "Resolved checkout"
    assert admin_api.get(f"/automation-rules/{rule['id']}/runs").json()["items"] == []
    assert admin_api.delete(f"/automation-rules/{rule['id']}").status_code == 204
    assert admin_api.get(f"/automation-rules/{rule['id']}").status_code == 404
    actions = AuditEntry.objects.filter(action__startswith="automation_rule.").values_list(
        "action", flat=True
    )
    assert list(actions.order_by("id")) == [
        "automation_rule.create",
        "automation_rule.update",
        "automation_rule.delete",
    ]


def test_responders_read_but_do_not_change_rules(
    responder_api: Api, viewer_api: Api, anonymous_api: Api, admin_api: Api
) -> None:
    rule = make_rule(admin_api, "declared", [{"kind": "require_retrospective"}])
    assert responder_api.get("/automation-rules").status_code == 200
    assert responder_api.get(f"/automation-rules/{rule['id']}/runs").status_code == 200
    body = {"name": "x", "event": "declared", "actions": [{"kind": "open_channel"}]}
    assert responder_api.post("/automation-rules", body).status_code == 403
    assert (
        responder_api.patch(f"/automation-rules/{rule['id']}", {"enabled": False}).status_code
        == 403
    )
    assert responder_api.delete(f"/automation-rules/{rule['id']}").status_code == 403
    assert viewer_api.get("/automation-rules").status_code == 403
    assert viewer_api.get(f"/automation-rules/{rule['id']}").status_code == 403
    assert anonymous_api.get("/automation-rules").status_code == 401
    assert Rule.objects.get(pk=rule["id"]).enabled


BAD: list[tuple[dict[str, Any], str]] = [
    ({"event": "exploded"}, "Unknown event exploded"),
    ({"actions": [{"kind": "launch_rocket"}]}, "Unknown action launch_rocket"),
    ({"actions": []}, "at least one action"),
    ({"actions": [{"kind": "page_policy"}]}, "needs policy"),
    ({"actions": [{"kind": "page_policy", "policy": 999}]}, "999"),
    ({"actions": [{"kind": "page_policy", "policy": "abc"}]}, "must be a number"),
    ({"actions": [{"kind": "open_channel", "channel": "#x"}]}, "takes no channel"),
    ({"actions": [{"kind": "create_followup", "title": "  "}]}, "needs some text"),
    ({"actions": [{"kind": "assign_role", "role": "boss", "schedule": 1}]}, "role must be one of"),
    ({"actions": [{"kind": "webhook", "url": "ftp://example.test/x"}]}, "http://"),
    ({"actions": [{"kind": "webhook", "url": "http://127.0.0.1:9/hook"}]}, "not a public address"),
    ({"actions": ["page"]}, "valid dictionary"),
    ({"severities": [9]}, "Unknown severity 9"),
    ({"services": ["nope"]}, "nope"),
    ({"teams": ["nobody"]}, "Unknown team nobody"),
    ({"drill": "maybe"}, "drill must be one of"),
    ({"business_hours": "lunch"}, "business_hours must be one of"),
    ({"holidays": "always"}, "holidays must be one of"),
    ({"name": "   "}, "needs a name"),
]


@pytest.mark.parametrize(("fields", "fragment"), BAD)
def test_bad_rules_are_refused_and_nothing_is_saved(
    admin_api: Api, fields: dict[str, Any], fragment: str
) -> None:
    before = Rule.objects.count()
    body = {"name": "Rule", "event": "declared", "actions": [{"kind": "open_channel"}], **fields}
    status = 422 if fields.get("actions") == ["page"] else 400
    code = "outbound_refused" if "public" in fragment else "invalid"
    assert_error(english(admin_api).post("/automation-rules", body), status, code, fragment)
    assert Rule.objects.count() == before
    rule = Rule.objects.first()
    assert rule is not None
    answer = english(admin_api).patch(f"/automation-rules/{rule.pk}", fields)
    assert_error(answer, status, code, fragment)
    assert not Rule.objects.filter(name="Rule").exists()


def test_a_rule_pages_an_existing_policy(admin_api: Api) -> None:
    paging = create_policy(admin_api, "Paging", [step(("user", "aki"))])
    action = {"kind": "page_policy", "policy": paging["id"]}
    rule = make_rule(admin_api, "reported", [action])
    assert rule["actions"] == [action]


def test_unknown_rules_are_404(admin_api: Api) -> None:
    assert admin_api.get("/automation-rules/4242").status_code == 404
    assert admin_api.get("/automation-rules/4242/runs").status_code == 404
    assert admin_api.patch("/automation-rules/4242", {"enabled": True}).status_code == 404
    assert admin_api.delete("/automation-rules/4242").status_code == 404
