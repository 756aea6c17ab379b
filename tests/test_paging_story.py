"""The paging story end to end, as issue 3 tells it: an Alertmanager webhook reaches Kizuki,
pages whoever is on call by e-mail through a real (local) SMTP server, escalates to the next
step when nobody acknowledges, stops when someone does, and the whole history shows on the
alert group and on the incident the routing rule declared."""

from typing import Any

import pytest

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from tests.alerts.support import accepted, alertmanager, am_alert, group, integration
from tests.conftest import Api, MovableClock, api_for, make_user
from tests.incidents.support import english, look
from tests.notify.support import run_worker, smtp_server

pytestmark = pytest.mark.django_db


def test_alert_pages_the_on_call_escalates_and_stops_on_acknowledge(
    admin_api: Api,
    responder: User,
    service: Service,
    frozen_clock: MovableClock,
    settings: Any,
) -> None:
    backup = make_user("ken", "responder")
    schedule = admin_api.post(
        "/schedules",
        {
            "name": "Payments primary",
            "time_zone": "Asia/Tokyo",
            "layers": [
                {
                    "users": ["rei"],
                    "shift_length": "1w",
                    "handoff_time": "09:00",
                    "start": "2026-11-01",
                }
            ],
        },
    ).json()
    steps = [
        {"targets": [{"type": "schedule", "id": schedule["id"]}], "wait_minutes": 5},
        {"targets": [{"type": "user", "id": backup.username}], "wait_minutes": 5},
    ]
    policy = admin_api.post("/escalation-policies", {"name": "Payments", "steps": steps}).json()
    admin_api.patch(f"/services/{service.pk}", {"escalation_policy": policy["id"]})
    rule = {"match_labels": {"severity": "critical"}, "declare_severity": 2}
    assert admin_api.post(f"/services/{service.pk}/routing-rules", rule).status_code == 201
    path = integration(admin_api, service.pk, "alertmanager")[1]

    with smtp_server() as (port, mailbox):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port

        (group_id,) = accepted(path, alertmanager(am_alert("fp1")))["groups"]
        run_worker()
        assert [to for to, _ in mailbox.messages] == [["rei@example.test"]]
        assert "High error rate" in mailbox.messages[0][1]["Subject"]

        frozen_clock.advance(minutes=4)
        run_worker()
        assert len(mailbox.messages) == 1  # step 2 is not due yet
        frozen_clock.advance(minutes=1)
        run_worker()
        assert [to for to, _ in mailbox.messages][1] == ["ken@example.test"]

        acknowledged = api_for(backup).post(f"/alert-groups/{group_id}/acknowledge")
        assert acknowledged.status_code == 200, acknowledged.json()
        frozen_clock.advance(minutes=60)
        run_worker()
        assert len(mailbox.messages) == 2  # nobody is paged after the acknowledgement

    shown = group(admin_api, group_id)
    assert shown["status"] == "acknowledged"
    assert [(p["user"], p["method"], p["status"]) for p in shown["notifications"]] == [
        ("rei", "email", "sent"),
        ("ken", "email", "sent"),
    ]
    history = [event["kind"] for event in shown["escalation_history"]]
    assert history[0] == "triggered"
    assert history[-1] == "acknowledged"
    assert history.count("step") == 2

    texts = [entry["text"] for entry in look(english(admin_api), shown["incident"])[1]]
    assert "Paged rei by E-mail." in texts
    assert "Paged ken by E-mail." in texts
    assert texts[-1] == "ken acknowledged the page."
