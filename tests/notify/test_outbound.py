"""Outbound URLs people choose cannot reach loopback, link-local or private networks unless
KIZUKI_OUTBOUND_ALLOW says so: refused when saved, and again when sent."""

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from kizuki.accounts.models import User
from kizuki.notify.models import NotificationRule
from kizuki.oncall import actions
from kizuki.oncall.models import Escalation, EscalationPolicy
from kizuki.stakeholders.models import Subscription
from tests.conftest import Api, MovableClock
from tests.incidents.support import assert_error, english
from tests.notify.support import add_rule, create_policy, pages, run_worker, step, webhook_server

pytestmark = pytest.mark.django_db

RULES = "/users/rei/notification-rules"


def start(api: Api, username: str) -> Escalation:
    policy = create_policy(api, "Checkout", [step(("user", username))])
    return actions.start_escalation(
        EscalationPolicy.objects.get(pk=policy["id"]), "Checkout is down", summary="HTTP 500"
    )


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("json://127.0.0.1:9/x", "127.0.0.1 is not a public address (loopback)"),
        ("json://localhost:9/x", "(loopback)"),
        ("json://2130706433/x", "resolves to 127.0.0.1"),  # 127.0.0.1 written as a number
        ("json://[::1]:8080/", "::1 is not a public address (loopback)"),
        ("jsons://10.0.0.5/x", "(private network)"),
        ("form://192.168.1.1/", "(private network)"),
        ("xml://0.0.0.0/", "(unspecified)"),
        ("json://169.254.169.254/latest/meta-data", "(link-local)"),  # cloud metadata
        ("mmost://172.16.0.1/tokenabc", "(private network)"),
        ("gotify://100.64.1.1/token", "(not globally routable)"),
        ("mailtos://user:pw@93.184.215.14?smtp=127.0.0.1&to=a@example.test", "(loopback)"),
    ],
)
def test_a_rule_to_a_private_address_is_refused_and_nothing_is_stored(
    responder_api: Api, url: str, fragment: str
) -> None:
    body = {"method": "apprise", "address": url, "delay_minutes": 0}
    response = english(responder_api).post(RULES, body)
    assert_error(response, 400, "outbound_refused", fragment, "KIZUKI_OUTBOUND_ALLOW")
    assert not NotificationRule.objects.exists()


def test_services_with_their_own_servers_are_not_checked_by_their_tokens(
    responder_api: Api, responder: User
) -> None:
    # The "host" of these URLs is a bot token or webhook id; they post to the service itself.
    for url in ("tgram://123456:SECRET/987", "discord://1234/abcd", "ntfy://mytopic"):
        add_rule(responder_api, responder, "apprise", url)
    assert NotificationRule.objects.count() == 3


def test_an_allowed_address_is_saved_and_receives_the_page(
    admin_api: Api, responder: User, settings: Any
) -> None:
    settings.KIZUKI_OUTBOUND_ALLOW = "127.0.0.1"
    with webhook_server() as (port, hook):
        add_rule(admin_api, responder, "apprise", f"json://127.0.0.1:{port}/pager")
        escalation = start(admin_api, "rei")
        run_worker()
    [request] = hook.requests
    assert request["path"] == "/pager"
    assert "Checkout is down" in request["json"]["title"]
    assert [page.status for page in pages(escalation)] == ["sent"]


def test_an_allowance_can_name_a_network_or_one_port(
    responder_api: Api, responder: User, settings: Any
) -> None:
    settings.KIZUKI_OUTBOUND_ALLOW = "10.0.0.0/8, 127.0.0.1:8080"
    add_rule(responder_api, responder, "apprise", "jsons://10.1.2.3/x")
    add_rule(responder_api, responder, "apprise", "json://127.0.0.1:8080/x")
    refused = responder_api.post(
        RULES, {"method": "apprise", "address": "json://127.0.0.1:8081/x", "delay_minutes": 0}
    )
    assert_error(refused, 400, "outbound_refused")
    assert NotificationRule.objects.count() == 2


def test_the_address_is_checked_again_when_the_page_is_sent(
    admin_api: Api, responder: User, settings: Any, frozen_clock: MovableClock
) -> None:
    with webhook_server() as (port, hook):
        settings.KIZUKI_OUTBOUND_ALLOW = "127.0.0.1"
        add_rule(admin_api, responder, "apprise", f"json://127.0.0.1:{port}/pager")
        add_rule(admin_api, responder, "email", delay=10)
        # Allowed when saved; by the time it is sent, no longer (DNS answers can change too).
        settings.KIZUKI_OUTBOUND_ALLOW = ""
        escalation = start(admin_api, "rei")
        run_worker()
    assert hook.requests == []
    apprise, email = pages(escalation)
    # Refused for good at once (no retries), and the next rule is tried now, not in 10 min.
    assert (apprise.status, apprise.attempts) == ("failed", 1)
    assert "127.0.0.1" in apprise.last_error
    assert "KIZUKI_OUTBOUND_ALLOW" in apprise.last_error
    assert email.status == "sent"


def test_an_admin_cannot_subscribe_stakeholders_to_a_private_address(
    admin_api: Api, settings: Any
) -> None:
    body = {"kind": "apprise", "address": "json://127.0.0.1:9/x"}
    assert_error(english(admin_api).post("/subscriptions", body), 400, "outbound_refused")
    assert not Subscription.objects.exists()

    settings.KIZUKI_OUTBOUND_ALLOW = "127.0.0.1"
    assert admin_api.post("/subscriptions", body).status_code == 201


def test_a_mistyped_allowance_fails_the_system_check(settings: Any) -> None:
    settings.KIZUKI_OUTBOUND_ALLOW = "10.0.0.0/8, host:notaport:1"
    with pytest.raises(SystemCheckError, match="KIZUKI_OUTBOUND_ALLOW"):
        call_command("check")
