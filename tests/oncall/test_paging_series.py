"""Paging's /metrics series, scraped as Prometheus would, while paging goes wrong: a step
left overdue with no worker, a page failing and retrying against a webhook that answers 500,
a Slack page given up on, queued jobs, and the workers' heartbeat."""

from datetime import timedelta

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from kizuki.accounts.models import User
from kizuki.core.workloop import Heartbeat
from kizuki.oncall import actions
from kizuki.oncall.models import EscalationPolicy
from kizuki.stakeholders.tasks import send_confirmation
from tests.conftest import Api, MovableClock, make_user
from tests.notify.support import add_rule, create_policy, run_worker, step, webhook_server

pytestmark = pytest.mark.django_db


def scrape() -> dict[tuple[str, tuple[str, ...]], float]:
    """{(sample name, its label values): value}."""
    response = Client().get("/metrics")
    assert response.status_code == 200
    return {
        (sample.name, tuple(sample.labels.values())): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


@pytest.fixture
def sam(db: None) -> User:
    return make_user("sam", "responder")


def page_sam(api: Api) -> None:
    policy = create_policy(api, "Checkout", [step(("user", "sam"), wait=30)])
    actions.start_escalation(
        EscalationPolicy.objects.get(pk=policy["id"]), "Checkout is down", summary="HTTP 500"
    )


def test_lateness_grows_while_no_worker_runs_and_falls_back_once_one_does(
    admin_api: Api, sam: User, frozen_clock: MovableClock
) -> None:
    add_rule(admin_api, sam, "email")
    assert scrape()[("kizuki_workers_alive", ())] == 0
    assert scrape()[("kizuki_worker_last_heartbeat_timestamp_seconds", ())] == 0
    page_sam(admin_api)
    frozen_clock.advance(seconds=90)
    assert scrape()[("kizuki_escalation_lateness_seconds", ())] == 90

    Heartbeat("worker-1")()
    run_worker()
    values = scrape()
    assert values[("kizuki_escalation_lateness_seconds", ())] == 0
    assert values[("kizuki_workers_alive", ())] == 1
    beat = values[("kizuki_worker_last_heartbeat_timestamp_seconds", ())]
    assert beat == frozen_clock.now.timestamp()
    frozen_clock.advance(seconds=61)
    assert scrape()[("kizuki_workers_alive", ())] == 0


@pytest.mark.usefixtures("loopback_allowed")
def test_failing_notifications_show_as_retrying_then_as_failures(
    admin_api: Api, sam: User, frozen_clock: MovableClock
) -> None:
    add_rule(admin_api, sam, "slack", "U012AB3CD")  # Slack is not configured: fails for good
    with webhook_server(status=500) as (port, _hook):
        add_rule(admin_api, sam, "apprise", f"json://127.0.0.1:{port}/", delay=0)
        page_sam(admin_api)
        run_worker()
        values = scrape()
        assert values[("kizuki_notification_failures_total", ("slack",))] == 1
        assert values[("kizuki_notifications_retrying", ("apprise",))] == 1
        assert ("kizuki_notification_failures_total", ("apprise",)) not in values
        for _attempt in range(2):  # the second and third tries fail too
            frozen_clock.advance(minutes=5)
            run_worker()
    values = scrape()
    assert values[("kizuki_notification_failures_total", ("apprise",))] == 1
    assert ("kizuki_notifications_retrying", ("apprise",)) not in values


def test_queue_depth_and_the_age_of_the_oldest_ready_job(frozen_clock: MovableClock) -> None:
    before = scrape()[("kizuki_queue_jobs", ("ready",))]
    first = send_confirmation.enqueue(0)
    send_confirmation.enqueue(0)
    # The first one has waited 42 s (no worker has run).
    DBTaskResult.objects.filter(pk=first.id).update(
        enqueued_at=frozen_clock.now - timedelta(seconds=42)
    )
    values = scrape()
    assert values[("kizuki_queue_jobs", ("ready",))] == before + 2
    assert values[("kizuki_queue_oldest_ready_age_seconds", ())] == 42
