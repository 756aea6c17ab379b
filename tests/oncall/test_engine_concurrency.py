"""Several workers, one set of due rows: every step runs once and every page goes out once."""

import threading
from collections.abc import Callable

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection

from kizuki.accounts.models import User
from kizuki.oncall import actions, engine
from kizuki.oncall.models import Escalation, EscalationEvent, EscalationPolicy, Page
from tests.conftest import Api, MovableClock, make_user
from tests.notify.support import create_policy, paged, run_worker, step

POSTGRESQL = "postgresql" in str(settings.DATABASES["default"]["ENGINE"])


def people(count: int) -> list[User]:
    return [make_user(f"person{n}", "responder") for n in range(count)]


def start_many(api: Api, users: list[User], count: int) -> list[Escalation]:
    policy = create_policy(api, "All hands", [step(*[("user", u.username) for u in users])])
    stored = EscalationPolicy.objects.get(pk=policy["id"])
    return [actions.start_escalation(stored, f"Alert {n}") for n in range(count)]


@pytest.mark.django_db
def test_a_worker_late_to_a_step_another_ran_does_nothing(
    admin_api: Api, frozen_clock: MovableClock
) -> None:
    (escalation,) = start_many(admin_api, people(2), 1)
    # Both workers listed the escalation as due; the first runs the step…
    assert engine.run_escalation(escalation.pk) is True
    # …the second re-checks under the row lock and finds it no longer due.
    assert engine.run_escalation(escalation.pk) is False
    assert engine.run_due_escalations() == 0
    run_worker()
    run_worker()
    assert paged(escalation) == [("person0", "email", 1), ("person1", "email", 1)]
    assert len(mail.outbox) == 2
    assert escalation.events.filter(kind="step").count() == 1


def in_parallel(job: Callable[[], int], workers: int = 4) -> list[int]:
    """Run `job` in several threads at once, each with its own database connection."""
    start = threading.Barrier(workers)
    results: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            start.wait()
            results.append(job())
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


@pytest.mark.skipif(
    not POSTGRESQL, reason="SQLite serialises writers; rows are locked on PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_parallel_workers_on_postgresql_run_each_step_and_send_each_page_once(
    admin_api: Api, frozen_clock: MovableClock
) -> None:
    users = people(3)
    escalations = start_many(admin_api, users, 20)

    assert sum(in_parallel(engine.run_due_escalations)) == 20
    assert Page.objects.count() == 60
    assert EscalationEvent.objects.filter(kind="step").count() == 20

    assert sum(in_parallel(engine.deliver_due_pages)) == 60
    assert len(mail.outbox) == 60
    assert set(Page.objects.values_list("status", "attempts")) == {("sent", 1)}
    assert EscalationEvent.objects.filter(kind="sent").count() == 60
    for escalation in escalations:
        assert sorted(m.to[0] for m in mail.outbox if m.subject.endswith(escalation.title)) == [
            f"{user.username}@example.test" for user in users
        ]
