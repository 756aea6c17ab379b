"""Notification rules over the API: each person manages their own, admins anyone's."""

from typing import Any

import pytest
from django.test import Client

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.core.models import AuditEntry
from kizuki.notify.models import NotificationRule
from tests.conftest import Api
from tests.incidents.support import assert_error, call, english
from tests.notify.support import add_rule, put

pytestmark = pytest.mark.django_db

RULES = "/users/rei/notification-rules"


def counts() -> tuple[int, int]:
    return NotificationRule.objects.count(), AuditEntry.objects.count()


@pytest.mark.usefixtures("loopback_allowed")
def test_people_add_list_reorder_and_remove_their_own_rules(
    responder_api: Api, responder: User
) -> None:
    first = add_rule(responder_api, responder, "email")
    second = add_rule(responder_api, responder, "apprise", "json://127.0.0.1:9/hook", delay=5)
    third = add_rule(responder_api, responder, "email", "rei.phone@example.test", delay=10)
    assert first == {
        "id": first["id"],
        "position": 0,
        "method": "email",
        "address": "",
        "delay_minutes": 0,
    }
    assert [r["position"] for r in (first, second, third)] == [0, 1, 2]
    assert responder_api.get(RULES).json() == [first, second, third]

    reordered = put(
        responder_api, f"{RULES}/order", {"ids": [third["id"], first["id"], second["id"]]}
    )
    assert reordered.status_code == 200, reordered.json()
    assert [(r["id"], r["position"]) for r in reordered.json()] == [
        (third["id"], 0),
        (first["id"], 1),
        (second["id"], 2),
    ]
    assert responder_api.delete(f"{RULES}/{first['id']}").status_code == 204
    assert [r["id"] for r in responder_api.get(RULES).json()] == [third["id"], second["id"]]
    # A rule added later goes last, whatever gaps removals left.
    assert add_rule(responder_api, responder, "email")["position"] == 3


def test_rule_changes_are_audited_without_apprise_secrets(
    responder_api: Api, responder: User
) -> None:
    rule = add_rule(responder_api, responder, "apprise", "tgram://123456:SECRET/987")
    responder_api.delete(f"{RULES}/{rule['id']}")
    added = AuditEntry.objects.get(action="notification_rule.add")
    removed = AuditEntry.objects.get(action="notification_rule.remove")
    assert added.actor == responder
    assert added.after is not None
    assert removed.before is not None
    assert added.after["address"] == removed.before["address"] == "tgram://…"
    assert "SECRET" not in str(added.after)


BAD_RULES: list[tuple[dict[str, Any], int, str]] = [
    ({"method": "email", "address": "not-an-address"}, 400, "not an e-mail address"),
    ({"method": "apprise", "address": "https://"}, 400, "Apprise does not accept"),
    ({"method": "apprise", "address": "nosuchscheme://x"}, 400, "Apprise does not accept"),
    ({"method": "apprise", "address": ""}, 400, "Apprise does not accept"),
    ({"method": "slack", "address": "rei"}, 400, "Slack user ID"),
    ({"method": "pigeon", "address": ""}, 400, "Unknown method pigeon"),
    ({"method": "email", "delay_minutes": -1}, 422, "delay_minutes"),
    ({"method": "email", "delay_minutes": 1441}, 422, "delay_minutes"),
    ({"method": "email", "address": "x" * 501}, 422, "address"),
]


@pytest.mark.parametrize(("body", "status", "fragment"), BAD_RULES)
def test_bad_rules_are_refused_and_nothing_changes(
    responder_api: Api, body: dict[str, Any], status: int, fragment: str
) -> None:
    before = counts()
    assert_error(english(responder_api).post(RULES, body), status, "invalid", fragment)
    assert counts() == before


def test_an_empty_e_mail_address_needs_an_account_address(admin_api: Api) -> None:
    accounts.create_user("mute", "responder")
    response = english(admin_api).post("/users/mute/notification-rules", {"method": "email"})
    assert_error(response, 400, "invalid", "no account e-mail address")
    assert not NotificationRule.objects.exists()


def test_reordering_must_name_each_rule_once(responder_api: Api, responder: User) -> None:
    rule = add_rule(responder_api, responder, "email")
    other = add_rule(responder_api, responder, "email", "x@example.test")
    for ids in ([rule["id"]], [rule["id"], rule["id"]], [rule["id"], other["id"], 999]):
        response = put(english(responder_api), f"{RULES}/order", {"ids": ids})
        assert_error(response, 400, "invalid", "exactly once")
    assert [r["id"] for r in responder_api.get(RULES).json()] == [rule["id"], other["id"]]


ENDPOINTS: list[tuple[str, str, dict[str, Any]]] = [
    ("get", RULES, {}),
    ("post", RULES, {"method": "email"}),
    ("put", f"{RULES}/order", {"ids": []}),
    ("delete", RULES + "/{id}", {}),
]


def request(api: Api, method: str, path: str, body: dict[str, Any]) -> Any:
    return put(api, path, body) if method == "put" else call(api, method, path, body)


@pytest.fixture
def reis_rule(responder_api: Api, responder: User) -> dict[str, Any]:
    rule: dict[str, Any] = add_rule(responder_api, responder, "email")
    return rule


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_others_rules_are_off_limits_except_to_admins(
    viewer_api: Api, reis_rule: dict[str, Any], method: str, path: str, body: dict[str, Any]
) -> None:
    before = counts()
    path = path.format(id=reis_rule["id"])
    assert_error(request(english(viewer_api), method, path, body), 403, "forbidden", "your own")
    anonymous = Api(Client(), "")
    assert_error(request(anonymous, method, path, body), 401, "unauthenticated")
    assert counts() == before


def test_admins_manage_anyones_rules(admin_api: Api, reis_rule: dict[str, Any]) -> None:
    assert admin_api.get(RULES).json() == [reis_rule]
    assert admin_api.post(RULES, {"method": "email", "delay_minutes": 3}).status_code == 201
    assert admin_api.delete(f"{RULES}/{reis_rule['id']}").status_code == 204
    removed = AuditEntry.objects.get(action="notification_rule.remove")
    assert removed.actor == User.objects.get(username="aki")
    assert_error(admin_api.get("/users/nobody/notification-rules"), 404, "not_found")


def test_a_rule_is_only_reachable_under_its_owner(
    viewer_api: Api, viewer: User, reis_rule: dict[str, Any]
) -> None:
    path = f"/users/vera/notification-rules/{reis_rule['id']}"
    assert_error(viewer_api.delete(path), 404, "not_found")
    assert NotificationRule.objects.filter(pk=reis_rule["id"]).exists()


@pytest.mark.usefixtures("loopback_allowed")
def test_apprise_urls_are_listed_masked_and_kept_whole(
    responder_api: Api, admin_api: Api, responder: User
) -> None:
    added = add_rule(responder_api, responder, "apprise", "json://127.0.0.1:9/hook?token=s3cret")
    add_rule(responder_api, responder, "apprise", "tgram://123456:SECRET/987", delay=5)
    add_rule(responder_api, responder, "email", "rei.phone@example.test", delay=10)
    assert added["address"] == "json://127.0.0.1:9/***"
    shown = ["json://127.0.0.1:9/***", "tgram://…/***", "rei.phone@example.test"]
    for api in (responder_api, admin_api):  # the owner and an admin see the same
        listed = api.get(RULES)
        assert [rule["address"] for rule in listed.json()] == shown
        assert "s3cret" not in listed.content.decode()
        assert "SECRET" not in listed.content.decode()

    # Reordering answers masked too, and the stored URLs stay whole.
    ids = [rule["id"] for rule in responder_api.get(RULES).json()]
    reordered = put(responder_api, f"{RULES}/order", {"ids": ids[::-1]})
    assert [rule["address"] for rule in reordered.json()] == shown[::-1]
    assert list(NotificationRule.objects.order_by("id").values_list("address", flat=True)) == [
        "json://127.0.0.1:9/hook?token=s3cret",
        "tgram://123456:SECRET/987",
        "rei.phone@example.test",
    ]
