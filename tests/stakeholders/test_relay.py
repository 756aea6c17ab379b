"""Stakeholder updates reach their subscribers in plain language; internal ones never do."""

import io
from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.test import Client

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from kizuki.incidents import queries as incident_queries
from kizuki.incidents import timeline_actions
from kizuki.incidents.models import StatusUpdate
from kizuki.stakeholders import actions, relay_actions
from kizuki.stakeholders.links import unsubscribe_url
from kizuki.stakeholders.models import Kind, Subscription
from tests.conftest import Api, MovableClock
from tests.incidents.support import assert_error, report
from tests.jobs import run_queued_jobs as run_jobs
from tests.notify.support import webhook_server
from tests.stakeholders.conftest import subscribe
from tests.stakeholders.support import (
    delivered,
    failed_jobs,
    post_update,
    relay_jobs,
    subscription_counts,
    tell_stakeholders,
)

TECHNICAL = "p99 of /v1/charges at 30s; connection pool on pg-primary exhausted; rolling back"
PLAIN = "Some card payments fail. Customers can pay by bank transfer meanwhile."


def mails_to(outbox: list[EmailMessage], address: str) -> list[EmailMessage]:
    return [mail for mail in outbox if address in mail.to]


def test_a_stakeholder_update_reaches_an_email_subscriber_in_plain_words(
    frozen_clock: MovableClock, api: Api, sev2: str, service: Service, mailoutbox: Any
) -> None:
    subscription = subscribe("sales@example.test", language="en")

    update = tell_stakeholders(api, sev2, TECHNICAL, plain_text=PLAIN)

    assert (update["audience"], update["plain_text"]) == ("stakeholders", PLAIN)
    # The job was committed with the update; nothing is sent until the worker runs it.
    assert relay_jobs() == [update["id"]]
    assert mailoutbox == []
    run_jobs()
    assert failed_jobs() == []
    [mail] = mailoutbox
    assert mail.to == ["sales@example.test"]
    assert mail.subject == "[We are investigating] Card payments time out"
    assert PLAIN in mail.body
    assert "pg-primary" not in mail.body
    assert "Affected services: Checkout" in mail.body
    assert "Severity: SEV2" in mail.body
    # 01:00 UTC is 10:00 in KIZUKI_TIME_ZONE.
    assert "Updated at: 2026-11-25 10:00 (Asia/Tokyo)" in mail.body
    assert "http://127.0.0.1:8000/status/" in mail.body
    assert unsubscribe_url(subscription.pk) in mail.body
    assert delivered() == [("sales@example.test", "sent", "")]


def test_without_a_plain_version_stakeholders_read_the_text_in_the_sites_language(
    api: Api, sev2: str, mailoutbox: Any
) -> None:
    subscribe("eigyo@example.test")  # no language: KIZUKI_LANGUAGE, Japanese by default

    tell_stakeholders(api, sev2, "Payments are failing for some customers")
    run_jobs()

    [mail] = mailoutbox
    assert mail.subject == "[調査中です] Card payments time out"
    assert "Payments are failing for some customers" in mail.body
    assert "影響のあるサービス：Checkout" in mail.body
    assert "配信停止：http://127.0.0.1:8000/status/unsubscribe/" in mail.body


def test_the_plain_status_follows_the_incident(api: Api, sev2: str, mailoutbox: Any) -> None:
    subscribe("sales@example.test", language="en")
    api.post(f"/incidents/{sev2}/transitions", {"to": "mitigated"})
    tell_stakeholders(api, sev2, "Pool resized", plain_text="Payments work again; we watch.")
    api.post(f"/incidents/{sev2}/transitions", {"to": "resolved"})
    tell_stakeholders(api, sev2, "Root cause: pool size", plain_text="All fixed.")
    run_jobs()

    assert [mail.subject for mail in mailoutbox] == [
        "[The problem is mitigated] Card payments time out",
        "[Resolved] Card payments time out",
    ]


def test_an_internal_update_is_not_relayed(api: Api, sev2: str, mailoutbox: Any) -> None:
    subscribe("sales@example.test")

    update = post_update(api, sev2, TECHNICAL)

    assert (update["audience"], update["plain_text"]) == ("internal", "")
    assert relay_jobs() == []
    run_jobs()
    assert mailoutbox == []
    assert delivered() == []


def test_service_subscribers_hear_only_about_their_services(
    api: Api, service: Service, search: Service, mailoutbox: Any
) -> None:
    subscribe("everything@example.test")
    subscribe("checkout-owner@example.test", service)
    subscribe("search-owner@example.test", search)
    # Subscribed to everything and to checkout: one message, not two.
    subscribe("twice@example.test")
    subscribe("twice@example.test", service)
    checkout = report(api, "Checkout down", severity=2, services=[service.slug])["number"]
    search_down = report(api, "Search slow", severity=3, services=[search.slug])["number"]
    nowhere = report(api, "Office Wi-Fi down", severity=4)["number"]

    for ref in (checkout, search_down, nowhere):
        tell_stakeholders(api, ref, f"Update on {ref}")
    run_jobs()

    def subjects(address: str) -> list[str]:
        return sorted(str(mail.subject) for mail in mails_to(mailoutbox, address))

    assert subjects("everything@example.test") == [
        "[調査中です] Checkout down",
        "[調査中です] Office Wi-Fi down",
        "[調査中です] Search slow",
    ]
    assert subjects("checkout-owner@example.test") == ["[調査中です] Checkout down"]
    assert subjects("search-owner@example.test") == ["[調査中です] Search slow"]
    assert len(subjects("twice@example.test")) == 3
    assert len(mailoutbox) == 8


@pytest.mark.usefixtures("loopback_allowed")
def test_an_apprise_subscriber_is_delivered_over_http(api: Api, sev2: str, admin: User) -> None:
    with webhook_server() as (port, received):
        url = f"json://127.0.0.1:{port}/business"
        actions.subscribe(admin, Kind.APPRISE, url, language="en")
        tell_stakeholders(api, sev2, TECHNICAL, plain_text=PLAIN)
        run_jobs()

    [request] = received.requests
    assert request["path"] == "/business"
    assert request["json"]["title"] == "[We are investigating] Card payments time out"
    assert PLAIN in request["json"]["message"]
    assert "pg-primary" not in request["json"]["message"]
    assert "Affected services: Checkout" in request["json"]["message"]
    assert delivered() == [(url, "sent", "")]


@pytest.mark.usefixtures("loopback_allowed")
def test_failures_are_recorded_not_raised_and_only_what_failed_is_retried(
    frozen_clock: MovableClock, api: Api, sev2: str, admin: User, mailoutbox: Any
) -> None:
    subscribe("sales@example.test")
    subscribe("#biz-status", kind=Kind.SLACK_CHANNEL)
    with webhook_server(status=500) as (port, received):
        url = f"json://127.0.0.1:{port}/down"
        actions.subscribe(admin, Kind.APPRISE, url)
        update = tell_stakeholders(api, sev2, "Investigating", plain_text=PLAIN)
        run_jobs()
        assert len(received.requests) == 1

    # The job itself succeeded: each failure is a visible row, and the e-mail still went out.
    assert failed_jobs() == []
    assert len(mailoutbox) == 1
    outcomes = delivered()
    assert [(address, outcome) for address, outcome, _error in outcomes] == [
        ("#biz-status", "failed"),  # permanent: not retried
        (url, "pending"),  # the webhook's 500 may pass: tried again in a minute
        ("sales@example.test", "sent"),
    ]
    assert outcomes[0][2] == "Slack is not configured"
    assert "500" in outcomes[1][2]

    # Relaying again sends nothing early; the retry sends only what failed.
    with webhook_server() as (port2, received2):
        Subscription.objects.filter(kind=Kind.APPRISE).update(
            address=f"json://127.0.0.1:{port2}/up"
        )
        assert relay_actions.relay_update(update["id"]) == 0
        frozen_clock.advance(minutes=1)
        assert relay_actions.deliver_due() == 1
        assert len(received2.requests) == 1
    assert len(mailoutbox) == 1
    assert [outcome for _address, outcome, _error in delivered()] == ["failed", "sent", "sent"]


@pytest.mark.usefixtures("loopback_allowed")
def test_responders_see_the_delivery_results(
    api: Api, sev2: str, viewer_api: Api, admin: User
) -> None:
    subscribe("sales@example.test")
    actions.subscribe(admin, Kind.APPRISE, "json://127.0.0.1:9/secret-token")
    tell_stakeholders(api, sev2, "Investigating")
    run_jobs()

    listed = api.get(f"/incidents/{sev2}/stakeholder-deliveries").json()
    assert sorted((d["kind"], d["address"], d["outcome"]) for d in listed) == [
        ("apprise", "json://127.0.0.1:9/***", "pending"),  # the token stays on the server
        ("email", "sales@example.test", "sent"),
    ]
    response = viewer_api.get(f"/incidents/{sev2}/stakeholder-deliveries")
    assert_error(response, 403, "forbidden")


def test_drills_are_never_relayed(api: Api, service: Service, mailoutbox: Any) -> None:
    subscribe("sales@example.test")
    ref = report(api, "Practice: checkout down", severity=2, is_drill=True)["number"]

    tell_stakeholders(api, ref, "Practice update")
    run_jobs()

    assert mailoutbox == []
    assert delivered() == []


def test_other_entry_points_pass_the_audience_by_keyword(
    responder: User, sev2: str, mailoutbox: Any
) -> None:
    """What `/incident status` in Slack calls: the old positional call stays internal."""
    subscribe("sales@example.test", language="en")
    incident = incident_queries.get_incident(sev2)

    timeline_actions.post_status_update(responder, incident, "internal, positional")
    timeline_actions.post_status_update(
        responder, incident, "db failover", audience="stakeholders", plain_text="Recovering."
    )
    run_jobs()

    [mail] = mailoutbox
    assert "Recovering." in mail.body


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({"audience": "everyone"}, 422, "audience"),
        ({"plain_text": "Plain words, but internal"}, 400, "only for updates to stakeholders"),
        ({"audience": "stakeholders", "text": "  "}, 400, "may not be empty"),
    ],
)
def test_a_bad_update_is_refused_and_changes_nothing(
    api: Api, sev2: str, body: dict[str, str], status: int, fragment: str
) -> None:
    before = subscription_counts()
    response = api.post(f"/incidents/{sev2}/status-updates", {"text": "Investigating", **body})
    assert_error(response, status, "invalid", fragment)
    assert subscription_counts() == before


def test_the_web_form_posts_a_stakeholder_update(
    responder: User, sev2: str, mailoutbox: Any
) -> None:
    subscribe("sales@example.test", language="en")
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(responder)

    form = {"text": TECHNICAL, "audience": "stakeholders", "plain_text": PLAIN}
    response = client.post(f"/incidents/{sev2}/status/", form, follow=True)

    html = response.content.decode()
    assert 'data-testid="latest-plain-text">' + PLAIN in html
    assert f"Status update for stakeholders: {TECHNICAL}" in html
    run_jobs()
    [mail] = mailoutbox
    assert PLAIN in mail.body


def test_the_web_form_refuses_plain_words_on_an_internal_update(responder: User, sev2: str) -> None:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(responder)
    before = subscription_counts()

    form = {"text": "Investigating", "audience": "internal", "plain_text": PLAIN}
    response = client.post(f"/incidents/{sev2}/status/", form, follow=True)

    assert "A plain-language version is only for updates to stakeholders." in (
        response.content.decode()
    )
    assert subscription_counts() == before


def test_the_cli_posts_for_stakeholders_on_request(
    responder: User, sev2: str, mailoutbox: Any
) -> None:
    subscribe("sales@example.test", language="en")
    for extra in ([], ["--stakeholders", "--plain", "Card payments work again."]):
        call_command(
            "incident", "status", sev2, "pool resized", *extra, "--as", "rei", stdout=io.StringIO()
        )
    run_jobs()

    [mail] = mailoutbox
    assert "Card payments work again." in mail.body
    assert [u.audience for u in StatusUpdate.objects.order_by("id")] == ["internal", "stakeholders"]
