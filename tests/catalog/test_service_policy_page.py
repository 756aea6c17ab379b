"""Choosing who is paged for a service from its page: the escalation policy, set and cleared
by admins and leads of the owning team, with an audit record; nobody else sees the form."""

import re
from html import unescape

import pytest
from django.test import Client

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import Team, User
from kizuki.catalog.models import Service
from kizuki.core.models import AuditEntry
from tests.alerts.support import policy
from tests.conftest import Api

pytestmark = pytest.mark.django_db


def browser(user: User) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def errors_on(html: str) -> list[str]:
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*><li>(.*?)</li>', html)
    return [unescape(text) for text in found]


def test_an_admin_sets_and_clears_the_policy(admin: User, admin_api: Api, service: Service) -> None:
    primary = policy(admin_api, "Primary", "aki")
    client = browser(admin)
    page = client.get(f"/services/{service.pk}/").content.decode()
    assert 'data-testid="policy-form"' in page
    assert "None: nobody is paged" in page
    response = client.post(
        f"/services/{service.pk}/escalation-policy/",
        {"escalation_policy": primary["id"]},
        follow=True,
    )
    assert response.redirect_chain == [(f"/services/{service.pk}/", 302)]
    html = response.content.decode()
    assert "Escalation policy saved." in html
    assert re.search(r'data-testid="service-policy">Escalation policy: Primary<', html)
    assert re.search(rf'<option value="{primary["id"]}" selected>Primary</option>', html)
    service.refresh_from_db()
    assert service.escalation_policy_id == primary["id"]
    audit = AuditEntry.objects.get(action="service.update")
    assert audit.before is not None
    assert audit.after is not None
    assert (audit.before["escalation_policy"], audit.after["escalation_policy"]) == (
        None,
        primary["id"],
    )

    client.post(f"/services/{service.pk}/escalation-policy/", {"escalation_policy": ""})
    service.refresh_from_db()
    assert service.escalation_policy is None
    assert AuditEntry.objects.filter(action="service.update").count() == 2


def test_a_bad_choice_is_shown_once_next_to_the_field(admin: User, service: Service) -> None:
    response = browser(admin).post(
        f"/services/{service.pk}/escalation-policy/", {"escalation_policy": "999"}
    )
    assert response.status_code == 200
    assert errors_on(response.content.decode()) == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    service.refresh_from_db()
    assert service.escalation_policy is None
    assert not AuditEntry.objects.filter(action="service.update").exists()


def test_only_admins_and_team_leads_may_choose(
    viewer: User, responder: User, admin_api: Api, service: Service
) -> None:
    primary = policy(admin_api, "Primary", "aki")
    target = f"/services/{service.pk}/escalation-policy/"
    for user in (viewer, responder):
        client = browser(user)
        assert (
            'data-testid="policy-form"'
            not in client.get(f"/services/{service.pk}/").content.decode()
        )
        assert client.post(target, {"escalation_policy": primary["id"]}).status_code == 403
    service.refresh_from_db()
    assert service.escalation_policy is None
    accounts.add_member(Team.objects.get(slug="payments"), responder, is_lead=True)
    lead = browser(responder)
    assert lead.post(target, {"escalation_policy": primary["id"]}).status_code == 302
    service.refresh_from_db()
    assert service.escalation_policy_id == primary["id"]
