"""A storm's steps and pages cost the database a fixed number of queries per batch, not a few
per page: the escalation history, the pages and what the alerts app hears of them are each
written in one query for the whole batch, and each entry still lands on its own incident."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kizuki.accounts.models import OrgRole, User
from kizuki.catalog.models import Service
from kizuki.notify import actions as notify
from kizuki.oncall import actions
from kizuki.oncall.models import EscalationPolicy, Page
from tests.alerts.support import accepted, alertmanager, am_alert, group, integration, policy
from tests.conftest import Api, MovableClock
from tests.incidents.support import english, events, look
from tests.notify.support import run_worker


def storm(policy: EscalationPolicy, count: int) -> int:
    """`count` escalations due at once; the queries the worker takes to page them all."""
    for n in range(count):
        actions.start_escalation(policy, f"Alert {count}-{n}")
    with CaptureQueriesContext(connection) as queries:
        run_worker()
    return len(queries)


pytestmark = pytest.mark.django_db


def test_ten_and_forty_pages_cost_the_same_queries(frozen_clock: MovableClock) -> None:
    person = User.objects.create_user("pat", email="pat@example.test", org_role=OrgRole.RESPONDER)
    notify.add_rule(person, person, "email", "pat@example.test")
    policy = actions.create_policy(
        None, "Storm", steps=[{"targets": [{"type": "user", "id": "pat"}]}]
    )
    assert storm(policy, 10) == storm(policy, 40)
    assert len(mail.outbox) == 50
    assert set(Page.objects.values_list("status", flat=True)) == {"sent"}


def test_a_batch_puts_each_incident_s_paging_on_its_own_timeline(
    admin_api: Api, service: Service, responder: User, frozen_clock: MovableClock
) -> None:
    path = integration(admin_api, service.pk, "alertmanager")[1]
    primary = policy(admin_api, "Primary", "rei")
    response = admin_api.post(
        f"/services/{service.pk}/routing-rules",
        {"name": "All", "escalation_policy": primary["name"], "declare_severity": 2},
    )
    assert response.status_code == 201, response.json()
    refs = []
    for name in ("a", "b", "c"):
        payload = alertmanager(am_alert(name), group_key=f'{{}}:{{alertname="{name}"}}')
        (group_id,) = accepted(path, payload)["groups"]
        refs.append(group(admin_api, group_id)["incident"])
    assert len(set(refs)) == 3
    # One batch of steps and one of pages for the three escalations.
    assert run_worker() == 6
    for ref in refs:
        paging = [e for e in events(admin_api, ref) if e in ("escalated", "page_sent")]
        assert paging == ["escalated", "page_sent"], ref
        texts = [entry["text"] for entry in look(english(admin_api), ref)[1]]
        assert "Paged rei by E-mail." in texts
