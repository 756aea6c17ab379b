"""Upgrading an installation whose schedules still lived in oncall: every schedule, layer,
override, calendar feed, shift reminder, escalation and page written under the old schema is
there afterwards, read through the new models, and escalation steps still find their
schedule."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kizuki.oncall.models import Escalation, EscalationEvent, EscalationPolicy, Page, StepTarget
from kizuki.schedules.models import (
    CalendarFeed,
    Layer,
    LayerMember,
    Override,
    Schedule,
    ShiftReminder,
)

# The schema before the move: oncall's last migration, and no schedules app yet.
OLD_ONCALL = ("oncall", "0003_calendar_feed")
BEFORE = [OLD_ONCALL, ("schedules", None)]
AT = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


def _latest(executor: MigrationExecutor) -> list[tuple[str, str]]:
    latest: list[tuple[str, str]] = executor.loader.graph.leaf_nodes()
    return latest


@pytest.fixture
def old_schema() -> Iterator[Any]:
    """The database migrated back to the old schema; yields the historical models' registry
    and always leaves the database on the latest migrations."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        yield MigrationExecutor(connection).loader.project_state([OLD_ONCALL]).apps
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(_latest(executor))


def _fill_old_schema(apps: Any) -> dict[str, int]:
    """Rows of every moved table and of escalations and pages, through historical models."""
    user = apps.get_model("accounts", "User").objects.create(username="aiko")
    schedule = apps.get_model("oncall", "Schedule").objects.create(
        name="Primary", time_zone="Asia/Tokyo", description="Weekday pager"
    )
    layer = apps.get_model("oncall", "Layer").objects.create(
        schedule=schedule,
        position=1,
        name="Day",
        shift_seconds=86400,
        handoff_time=time(9, 0),
        start=date(2026, 11, 2),
        holidays="skip",
    )
    apps.get_model("oncall", "LayerMember").objects.create(layer=layer, user=user, position=0)
    apps.get_model("oncall", "Override").objects.create(
        schedule=schedule, user=user, starts_at=AT, ends_at=AT.replace(hour=5), created_by=user
    )
    feed = apps.get_model("oncall", "CalendarFeed")
    feed.objects.create(schedule=schedule, selector="s" * 12, secret="a" * 32, created_at=AT)
    feed.objects.create(user=user, selector="u" * 12, secret="b" * 32, created_at=AT)
    apps.get_model("oncall", "ShiftReminder").objects.create(
        schedule=schedule, user=user, shift_start=AT, sent_at=AT
    )
    policy = apps.get_model("oncall", "EscalationPolicy").objects.create(name="Default")
    step = apps.get_model("oncall", "EscalationStep").objects.create(policy=policy, position=0)
    apps.get_model("oncall", "StepTarget").objects.create(
        step=step, kind="schedule", schedule=schedule
    )
    escalation = apps.get_model("oncall", "Escalation").objects.create(
        title="Disk full", policy=policy, policy_snapshot={"steps": []}, started_at=AT
    )
    apps.get_model("oncall", "EscalationEvent").objects.create(
        escalation=escalation, at=AT, kind="triggered"
    )
    apps.get_model("oncall", "Page").objects.create(
        escalation=escalation,
        key="1:0:0:aiko:email",
        user=user,
        method="email",
        address="aiko@example.com",
        step_index=0,
        repetition=0,
        status="sent",
        due_at=AT,
        created_at=AT,
        sent_at=AT,
    )
    content_type = apps.get_model("contenttypes", "ContentType")
    old_type = content_type.objects.get_or_create(app_label="oncall", model="schedule")[0]
    return {"user": user.pk, "schedule": schedule.pk, "schedule_type": old_type.pk}


@pytest.mark.django_db(transaction=True)
def test_upgrading_keeps_schedules_escalations_and_pages(old_schema: Any) -> None:
    ids = _fill_old_schema(old_schema)

    executor = MigrationExecutor(connection)
    executor.migrate(_latest(executor))

    schedule = Schedule.objects.get(pk=ids["schedule"])
    assert (schedule.name, schedule.time_zone, schedule.description) == (
        "Primary",
        "Asia/Tokyo",
        "Weekday pager",
    )
    layer = Layer.objects.get(schedule=schedule)
    assert (layer.name, layer.shift_seconds, layer.handoff_time, layer.holidays) == (
        "Day",
        86400,
        time(9, 0),
        "skip",
    )
    assert [m.user.username for m in LayerMember.objects.filter(layer=layer)] == ["aiko"]
    override = Override.objects.get(schedule=schedule)
    assert (override.user.username, override.starts_at, override.created_by_id) == (
        "aiko",
        AT,
        ids["user"],
    )
    assert CalendarFeed.objects.get(schedule=schedule).token == "s" * 12 + "a" * 32
    assert CalendarFeed.objects.get(user_id=ids["user"]).token == "u" * 12 + "b" * 32
    assert ShiftReminder.objects.get(schedule=schedule).shift_start == AT

    target = StepTarget.objects.get(step__policy=EscalationPolicy.objects.get(name="Default"))
    assert target.schedule == schedule
    escalation = Escalation.objects.get(title="Disk full")
    assert [e.kind for e in EscalationEvent.objects.filter(escalation=escalation)] == ["triggered"]
    page = Page.objects.get(escalation=escalation)
    assert (page.key, page.status, page.user_id) == ("1:0:0:aiko:email", "sent", ids["user"])

    # Permissions and admin history stay attached to the schedule's content type.
    assert ContentType.objects.get_for_model(Schedule).pk == ids["schedule_type"]
