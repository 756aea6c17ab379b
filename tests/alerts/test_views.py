"""The alert pages as a browser uses them: lists, buttons that POST and redirect back, the
one-click acknowledge link from a page, services with their integrations, and SOS."""

import re

import pytest
from django.core import mail
from django.test import Client

from kizuki.accounts.models import User
from kizuki.alerts import links
from kizuki.alerts.models import AlertGroup, Integration
from kizuki.catalog.models import Service
from kizuki.oncall.engine import deliver_due_pages, run_due_escalations
from tests.alerts.support import accepted, alertmanager, am_alert, group, integration, policy
from tests.conftest import Api, MovableClock, make_user

pytestmark = pytest.mark.django_db


def browser(user: User | None = None) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def paging_service(
    admin_api: Api, service: Service, responder: User, frozen_clock: MovableClock
) -> str:
    admin_api.patch(
        f"/services/{service.pk}", {"escalation_policy": policy(admin_api, "Primary", "rei")["id"]}
    )
    return integration(admin_api, service.pk, "alertmanager")[1]


@pytest.fixture
def group_id(paging_service: str) -> int:
    (found,) = accepted(paging_service, alertmanager(am_alert("a"), am_alert("b")))["groups"]
    return int(found)


def test_list_and_detail(viewer: User, group_id: int) -> None:
    page = browser(viewer).get("/alerts/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "High error rate" in html
    assert f'href="/alerts/{group_id}/"' in html
    detail = browser(viewer).get(f"/alerts/{group_id}/").content.decode()
    assert detail.count("Labels and raw payload") == 2
    assert "runbook_url" in detail
    filtered = browser(viewer).get("/alerts/", {"status": "resolved"}).content.decode()
    assert "High error rate" not in filtered


def test_pages_need_login(group_id: int) -> None:
    for path in ("/alerts/", f"/alerts/{group_id}/", "/services/", "/sos/"):
        response = browser().get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_buttons_acknowledge_silence_resolve(responder: User, group_id: int) -> None:
    client = browser(responder)
    response = client.post(f"/alerts/{group_id}/acknowledge/", {"next": "/alerts/"})
    assert response.status_code == 302
    assert response["Location"] == "/alerts/"
    assert AlertGroup.objects.get(pk=group_id).status == "acknowledged"
    response = client.post(f"/alerts/{group_id}/silence/", {"minutes": "60"}, follow=True)
    assert "Silenced until" in response.content.decode()
    client.post(f"/alerts/{group_id}/resolve/", {"next": "https://evil.example/"})
    assert AlertGroup.objects.get(pk=group_id).status == "resolved"


def test_a_viewer_pressing_resolve_is_told_no(viewer: User, group_id: int) -> None:
    response = browser(viewer).post(f"/alerts/{group_id}/resolve/", follow=True)
    assert "This needs the Responder role." in response.content.decode()
    assert AlertGroup.objects.get(pk=group_id).status == "firing"


def test_ack_link_from_the_email_confirms_before_acknowledging(
    responder: User, group_id: int
) -> None:
    while run_due_escalations() + deliver_due_pages():
        pass
    (message,) = mail.outbox
    link = re.search(r"http://\S+/alerts/ack/\S+/", str(message.body))
    assert link is not None
    path = link.group(0).split("8000", 1)[1]
    # A link scanner or a preview fetching the link changes nothing, logged in or not.
    assert browser().get(path).status_code == 302
    page = browser(responder).get(path)
    assert page.status_code == 200
    assert "Acknowledge this alert?" in page.content.decode()
    assert AlertGroup.objects.get(pk=group_id).status == "firing"
    response = browser(responder).post(path)
    assert response["Location"] == f"/alerts/{group_id}/"
    assert AlertGroup.objects.get(pk=group_id).acknowledged_by == responder


def test_ack_link_forged_or_expired(
    responder: User, group_id: int, frozen_clock: MovableClock
) -> None:
    path = links.ack_url(group_id).split("8000", 1)[1]
    assert browser(responder).get(path[:-3] + "xx/").status_code == 404
    frozen_clock.advance(days=links.ACK_LINK_DAYS, seconds=1)
    expired = browser(responder).get(path)
    assert expired.status_code == 404
    assert "expired" in expired.content.decode()


def test_service_pages_show_the_new_url_once(admin: User, service: Service) -> None:
    client = browser(admin)
    assert "Checkout" in client.get("/services/").content.decode()
    response = client.post(
        f"/services/{service.pk}/integrations/", {"kind": "grafana", "name": "Grafana prod"}
    )
    html = response.content.decode()
    url = re.search(r"http://127\.0\.0\.1:8000/api/v1/integrations/(kzi_\S+)/grafana", html)
    assert url is not None
    again = client.get(f"/services/{service.pk}/").content.decode()
    assert "Grafana prod" in again
    assert url.group(1) not in again
    assert Integration.objects.get(name="Grafana prod").token_prefix in again
    client.post(
        f"/services/{service.pk}/routing-rules/",
        {"name": "db", "match_labels": "team=db, severity=critical", "declare_severity": "2"},
    )
    assert "team=db" in client.get(f"/services/{service.pk}/").content.decode()


def test_service_forms_refuse_bad_input_and_non_admins(
    admin: User, responder: User, service: Service
) -> None:
    bad = browser(admin).post(f"/services/{service.pk}/routing-rules/", {"match_labels": "nope"})
    assert "name=value" in bad.content.decode()
    refused = browser(responder).post(
        f"/services/{service.pk}/integrations/", {"kind": "webhook", "name": "x"}
    )
    assert refused.status_code == 403
    assert not Integration.objects.exists()


def test_admin_adds_a_service_on_the_list_page(admin: User, service: Service) -> None:
    response = browser(admin).post(
        "/services/", {"name": "Point card", "team": "payments"}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith("/services/")
    assert Service.objects.get(name="Point card").slug == "point-card"


def test_sos_pages_the_services_on_call(
    paging_service: str, service: Service, viewer_api: Api, frozen_clock: MovableClock
) -> None:
    staff = make_user("hana", "viewer")
    client = browser(staff)
    assert 'href="/sos/"' in client.get("/").content.decode()  # one click from the header
    response = client.post(
        "/sos/",
        {"service": service.pk, "problem": "Customers cannot pay at the counter\nSince 10:05"},
        follow=True,
    )
    html = response.content.decode()
    assert "Paging the on-call engineers for Checkout now:" in html
    assert "<strong>rei</strong>" in html  # who is reached, by name
    (group_id,) = AlertGroup.objects.filter(integration__name="SOS").values_list("pk", flat=True)
    shown = group(viewer_api, group_id)
    assert shown["title"] == "SOS: Customers cannot pay at the counter"
    assert shown["alerts"][0]["labels"] == {
        "source": "sos",
        "reported_by": "hana",
        "severity": "critical",
    }
    while run_due_escalations() + deliver_due_pages():
        pass
    assert [m.to for m in mail.outbox] == [["rei@example.test"]]
    # The internal SOS integration is made once and reused.
    client.post("/sos/", {"service": service.pk, "problem": "Still broken"})
    assert Integration.objects.filter(name="SOS").count() == 1
    assert AlertGroup.objects.filter(integration__name="SOS").count() == 2


def test_sos_without_on_call_says_so(service: Service, admin: User) -> None:
    client = browser(make_user("hana", "viewer"))
    html = client.post(
        "/sos/", {"service": service.pk, "problem": "Shop down"}, follow=True
    ).content.decode()
    assert "help is on the way" not in html
    assert "Nobody is on call for Checkout, so nobody has been paged." in html
    assert f'href="mailto:{admin.email}"' in html  # the fallback: an admin to contact
    blank = client.post("/sos/", {"service": service.pk, "problem": "  "})
    assert blank.status_code == 200
    assert AlertGroup.objects.count() == 1


def test_detail_shows_paging_and_the_incident(
    admin_api: Api, service: Service, responder: User, frozen_clock: MovableClock
) -> None:
    policy(admin_api, "Primary", "rei")
    admin_api.post(
        f"/services/{service.pk}/routing-rules",
        {"name": "Everything", "escalation_policy": "Primary", "declare_severity": 2},
    )
    path = integration(admin_api, service.pk, "webhook")[1]
    (group_id,) = accepted(path, {"title": "Payments failing"})["groups"]
    while run_due_escalations() + deliver_due_pages():
        pass
    html = browser(responder).get(f"/alerts/{group_id}/").content.decode()
    ref = group(admin_api, group_id)["incident"]
    assert f'href="/incidents/{ref}/"' in html
    assert "Notification sent" in html
    assert "rei" in html


def test_a_silence_of_an_odd_length_is_refused(responder: User, group_id: int) -> None:
    response = browser(responder).post(
        f"/alerts/{group_id}/silence/", {"minutes": "7"}, follow=True
    )
    html = response.content.decode()
    assert "Silence for" in html
    assert "Saved." not in html
    assert AlertGroup.objects.get(pk=group_id).silenced_until is None


def test_service_forms_are_shown_only_to_those_who_may_use_them(
    admin: User, viewer: User, service: Service
) -> None:
    assert "Add integration" in browser(admin).get(f"/services/{service.pk}/").content.decode()
    html = browser(viewer).get(f"/services/{service.pk}/").content.decode()
    assert "Add integration" not in html
    assert "Add rule" not in html
