"""Subscribing and unsubscribing, over the API, the status page and the link in each e-mail."""

import re
from typing import Any

import pytest
from django.test import Client

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from kizuki.stakeholders.links import unsubscribe_token
from kizuki.stakeholders.models import Subscription
from tests.conftest import Api
from tests.incidents.support import assert_error, english
from tests.jobs import run_queued_jobs as run_jobs
from tests.stakeholders.conftest import subscribe
from tests.stakeholders.support import subscription_counts, tell_stakeholders

pytestmark = pytest.mark.django_db


def browser(user: User | None = None) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def active() -> list[tuple[str, str, str | None]]:
    rows = Subscription.objects.filter(is_active=True).select_related("service")
    return sorted((s.kind, s.address, s.service.slug if s.service else None) for s in rows)


# --- API ---------------------------------------------------------------------------------


def test_a_viewer_subscribes_an_address_once_and_unsubscribes(
    viewer_api: Api, service: Service
) -> None:
    body = {"address": "Sales@Example.test", "service": "checkout", "language": "en"}
    first = viewer_api.post("/subscriptions", body)
    assert first.status_code == 201, first.json()
    assert first.json() | {"id": 0, "created_at": ""} == {
        "id": 0,
        "kind": "email",
        "address": "sales@example.test",
        "service": "checkout",
        "language": "en",
        "created_by": "vera",
        "created_at": "",
    }
    again = viewer_api.post("/subscriptions", body)
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    listed = viewer_api.get("/subscriptions").json()
    assert (listed["count"], listed["items"][0]["id"]) == (1, first.json()["id"])

    assert viewer_api.delete(f"/subscriptions/{first.json()['id']}").status_code == 204
    assert active() == []
    assert viewer_api.get("/subscriptions").json()["count"] == 0
    # Subscribing again brings the same subscription (and its history) back.
    back = viewer_api.post("/subscriptions", body)
    assert (back.status_code, back.json()["id"]) == (201, first.json()["id"])


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({"address": "not-an-address"}, 400, "is not an e-mail address"),
        ({"address": ""}, 400, "is not an e-mail address"),
        ({"address": "a@" + "b" * 250 + ".test"}, 400, "is not an e-mail address"),
        ({"address": "x" * 501}, 422, "address"),
        ({"kind": "fax", "address": "0312345678"}, 422, "kind"),
        ({"address": "sales@example.test", "language": "fr"}, 422, "language"),
        ({"address": "sales@example.test", "service": "nope"}, 404, "No service nope"),
        ({"kind": "apprise", "address": "nope://whatever"}, 400, "Apprise does not accept"),
        ({"kind": "apprise", "address": ""}, 400, "Apprise does not accept"),
        ({"kind": "slack_channel", "address": ""}, 400, "Slack channel"),
        ({"kind": "slack_channel", "address": "two words"}, 400, "Slack channel"),
    ],
)
def test_bad_input_is_refused_and_saves_nothing(
    admin_api: Api, service: Service, body: dict[str, Any], status: int, fragment: str
) -> None:
    before = subscription_counts()
    response = english(admin_api).post("/subscriptions", body)
    code = {400: "invalid", 404: "not_found", 422: "invalid"}[status]
    assert_error(response, status, code, fragment)
    assert subscription_counts() == before


@pytest.mark.usefixtures("loopback_allowed")
def test_channels_are_configuration_for_admins(
    viewer_api: Api, responder_api: Api, admin_api: Api
) -> None:
    slack = {"kind": "slack_channel", "address": "#biz-status"}
    apprise = {"kind": "apprise", "address": "json://127.0.0.1:9/hook?token=s3cret"}
    for api in (viewer_api, responder_api):
        for body in (slack, apprise):
            assert_error(api.post("/subscriptions", body), 403, "forbidden")
    assert active() == []

    assert admin_api.post("/subscriptions", slack).status_code == 201
    created = admin_api.post("/subscriptions", apprise)
    assert created.status_code == 201
    assert created.json()["address"] == "json://127.0.0.1:9/***"  # the secret stays here
    assert [kind for kind, _address, _service in active()] == ["apprise", "slack_channel"]


@pytest.mark.usefixtures("loopback_allowed")
def test_admin_pages_show_apprise_urls_masked(admin_api: Api, admin: User) -> None:
    body = {"kind": "apprise", "address": "json://127.0.0.1:9/hook?token=s3cret"}
    created = admin_api.post("/subscriptions", body).json()
    subscribe("sales@example.test")
    web = browser(admin)
    listed = web.get("/admin/stakeholders/subscription/")
    detail = web.get(f"/admin/stakeholders/subscription/{created['id']}/change/")
    for page in (listed, detail):
        assert page.status_code == 200
        assert "json://127.0.0.1:9/***" in page.content.decode()
        assert "s3cret" not in page.content.decode()
    assert "sales@example.test" in listed.content.decode()  # e-mail addresses stay visible
    listed_api = admin_api.get("/subscriptions").json()["items"]
    assert sorted(item["address"] for item in listed_api) == [
        "json://127.0.0.1:9/***",
        "sales@example.test",
    ]


@pytest.mark.usefixtures("loopback_allowed")
def test_the_unsubscribe_page_shows_an_apprise_url_masked(admin_api: Api) -> None:
    # Its link travels with every update, to wherever the URL posts them.
    body = {"kind": "apprise", "address": "json://127.0.0.1:9/hook?token=s3cret"}
    created = admin_api.post("/subscriptions", body).json()
    page = browser().get(f"/status/unsubscribe/{unsubscribe_token(created['id'])}/")
    assert page.status_code == 200
    assert "json://127.0.0.1:9/***" in page.content.decode()
    assert "s3cret" not in page.content.decode()


def test_people_stop_only_their_own_subscriptions(
    viewer_api: Api, responder_api: Api, admin_api: Api, viewer: User
) -> None:
    theirs = subscribe("someone@example.test")
    mine = subscribe(viewer.email)  # made by someone else, but to my address

    assert_error(viewer_api.delete(f"/subscriptions/{theirs.pk}"), 403, "forbidden")
    assert_error(responder_api.delete(f"/subscriptions/{theirs.pk}"), 403, "forbidden")
    assert viewer_api.delete(f"/subscriptions/{mine.pk}").status_code == 204
    assert admin_api.delete(f"/subscriptions/{theirs.pk}").status_code == 204
    assert active() == []
    assert_error(admin_api.delete("/subscriptions/999"), 404, "not_found")


def test_admins_list_every_subscription_others_their_own(
    viewer_api: Api, admin_api: Api, viewer: User
) -> None:
    subscribe("someone@example.test")
    subscribe(viewer.email)
    viewer_api.post("/subscriptions", {"address": "team-list@example.test"})

    def addresses(api: Api) -> list[str]:
        return sorted(item["address"] for item in api.get("/subscriptions").json()["items"])

    assert addresses(viewer_api) == ["team-list@example.test", "vera@example.test"]
    assert addresses(admin_api) == [
        "someone@example.test",
        "team-list@example.test",
        "vera@example.test",
    ]


def test_anonymous_api_calls_are_refused(anonymous_api: Api, settings: Any) -> None:
    settings.KIZUKI_STATUS_PAGE_PUBLIC = True  # public reading does not open writing
    before = subscription_counts()
    assert anonymous_api.post("/subscriptions", {"address": "a@example.test"}).status_code == 401
    assert anonymous_api.get("/subscriptions").status_code == 401
    assert subscription_counts() == before


# --- the status page's forms -----------------------------------------------------------------


def test_a_logged_in_user_subscribes_to_a_service_from_the_status_page(
    viewer: User, service: Service
) -> None:
    client = browser(viewer)
    page = client.get("/status/").content.decode()
    assert 'value="vera@example.test"' in page  # their address, prefilled

    response = client.post(
        "/status/subscribe/", {"email": "vera@example.test", "service": "checkout"}, follow=True
    )

    assert response.redirect_chain == [("/status/", 302)]
    html = response.content.decode()
    assert "vera@example.test will receive updates on Checkout." in html
    assert "Sent to vera@example.test" in html
    assert active() == [("email", "vera@example.test", "checkout")]
    assert Subscription.objects.get().language == "en"  # the page's language

    subscription = Subscription.objects.get()
    response = client.post(f"/status/subscriptions/{subscription.pk}/unsubscribe/", follow=True)
    assert "Unsubscribed." in response.content.decode()
    assert active() == []


@pytest.mark.parametrize(
    ("form", "status", "fragment"),
    [
        ({"email": "not-an-address", "service": "checkout"}, 400, "Enter a valid email address."),
        ({"email": "", "service": "checkout"}, 400, "This field is required."),
        ({"email": "a@example.test", "service": "nope"}, 404, "No service nope"),
    ],
)
def test_a_bad_subscription_form_is_refused_and_saves_nothing(
    viewer: User, service: Service, form: dict[str, str], status: int, fragment: str
) -> None:
    before = subscription_counts()
    response = browser(viewer).post("/status/subscribe/", form)
    assert response.status_code == status
    assert fragment in response.content.decode()
    assert subscription_counts() == before


def test_someone_elses_subscription_cannot_be_stopped_from_the_page(viewer: User) -> None:
    theirs = subscribe("someone@example.test")
    response = browser(viewer).post(f"/status/subscriptions/{theirs.pk}/unsubscribe/")
    assert response.status_code == 403
    assert active() == [("email", "someone@example.test", None)]


def test_anonymous_visitors_subscribe_only_when_the_page_is_public(
    service: Service, settings: Any
) -> None:
    form = {"email": "guest@example.test", "service": "checkout"}
    response = browser().post("/status/subscribe/", form)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert active() == []

    settings.KIZUKI_STATUS_PAGE_PUBLIC = True
    page = browser().get("/status/").content.decode()
    assert 'name="email" value=""' in page
    assert browser().post("/status/subscribe/", form).status_code == 302
    # Stored, but nothing is sent until the address confirms (test_anonymous_opt_in.py).
    assert active() == []
    pending = Subscription.objects.get()
    assert (pending.address, pending.created_by, pending.confirmed_at) == (
        "guest@example.test",
        None,
        None,
    )


# --- the unsubscribe link in each e-mail ---------------------------------------------------------


def test_the_link_in_the_email_unsubscribes_without_logging_in(
    api: Api, sev2: str, mailoutbox: Any
) -> None:
    subscribe("sales@example.test", language="en")
    tell_stakeholders(api, sev2, "Investigating")
    run_jobs()
    [mail] = mailoutbox
    found = re.search(r"Unsubscribe: http://127\.0\.0\.1:8000(/status/unsubscribe/\S+/)", mail.body)
    assert found
    link = found.group(1)

    # Opening the link only asks (mail scanners open links too).
    page = browser().get(link)
    assert page.status_code == 200
    assert "Stop these updates" in page.content.decode()
    assert active() == [("email", "sales@example.test", None)]

    done = browser().post(link).content.decode()
    assert "You are unsubscribed" in done
    assert active() == []


@pytest.mark.parametrize("token", ["1", "1:forged", "abc:def", "999:x"])
def test_a_forged_unsubscribe_link_is_a_404(token: str) -> None:
    subscription = subscribe("sales@example.test")
    response = browser().post(f"/status/unsubscribe/{token}/")
    assert response.status_code == 404
    assert Subscription.objects.get(pk=subscription.pk).is_active
