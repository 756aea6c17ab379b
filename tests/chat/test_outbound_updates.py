"""Changes made through the API show in the incident channel: lines for each change, the
topic, the closing summary, archiving after the delay, and reminders."""

from datetime import timedelta
from typing import Any

import pytest

from tests.chat.outbound_support import channel, declare, in_slack, ok, person
from tests.chat.stub import SlackStub
from tests.conftest import Api, MovableClock
from tests.incidents.support import english
from tests.jobs import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(responder_api: Api, settings: Any, slack_stub: SlackStub) -> Api:
    settings.LANGUAGE_CODE = "en"
    in_slack(slack_stub, "rei", "sato")
    person("sato")
    return english(responder_api)


@pytest.fixture
def ref(frozen_clock: MovableClock, api: Api, slack_stub: SlackStub) -> str:
    """A SEV2 incident whose channel is open, with the calls so far forgotten."""
    ref = declare(api)
    run_worker()
    slack_stub.clear()
    return ref


def posts(stub: SlackStub, ref: str) -> list[str]:
    return stub.posts(channel(ref).channel_id)


def topic(stub: SlackStub, ref: str) -> str:
    return stub.channel_named(channel(ref).name).topic


def test_changes_made_through_the_api_show_in_the_channel(
    api: Api, ref: str, slack_stub: SlackStub, frozen_clock: MovableClock
) -> None:
    assert topic(slack_stub, ref) == "SEV2 | Declared | IC: unassigned"

    ok(api.post(f"/incidents/{ref}/roles", {"role": "incident_commander", "user": "sato"}), 201)
    ok(api.post(f"/incidents/{ref}/transitions", {"to": "mitigated"}))
    ok(api.patch(f"/incidents/{ref}", {"severity": 1}))
    ok(api.post(f"/incidents/{ref}/timeline", {"text": "Rolled back release 42"}), 201)
    earlier = frozen_clock.now.isoformat()
    frozen_clock.advance(minutes=20)
    ok(
        api.post(
            f"/incidents/{ref}/timeline",
            {"text": "First error in the logs", "occurred_at": earlier},
        ),
        201,
    )
    ok(api.post(f"/incidents/{ref}/status-updates", {"text": "Payments recovering"}), 201)
    assert posts(slack_stub, ref) == []  # the worker posts, after the changes committed

    run_worker()

    assert posts(slack_stub, ref) == [
        ":bust_in_silhouette: sato assigned as Incident Commander. (by rei)",
        ":arrows_counterclockwise: Status changed to Mitigated. (by rei)",
        ":rotating_light: Severity changed from SEV2 to SEV1. (by rei)",
        ":memo: Rolled back release 42 (by rei)",
        ":memo: [2026-11-25 10:00] First error in the logs (by rei)",
        ":loudspeaker: Status update: Payments recovering (by rei)",
    ]
    assert topic(slack_stub, ref) == "SEV1 | Mitigated | IC: sato"
    assert [c["topic"] for c in slack_stub.calls_to("conversations.setTopic")] == [
        "SEV1 | Mitigated | IC: sato"
    ]


def test_the_topic_in_japanese(
    responder_api: Api, slack_stub: SlackStub, settings: Any, frozen_clock: MovableClock
) -> None:
    settings.LANGUAGE_CODE = "ja"
    in_slack(slack_stub, "rei", "sato")
    person("sato")
    ref = declare(responder_api)
    ok(
        responder_api.post(
            f"/incidents/{ref}/roles", {"role": "incident_commander", "user": "sato"}
        ),
        201,
    )
    run_worker()
    assert topic(slack_stub, ref) == "SEV2 | 宣言済み | IC: sato"
    assert posts(slack_stub, ref)[-1].startswith(":bust_in_silhouette: ")


def test_closing_posts_a_summary_and_archives_after_the_delay(
    api: Api, ref: str, slack_stub: SlackStub, frozen_clock: MovableClock
) -> None:
    ok(api.post(f"/incidents/{ref}/roles", {"role": "incident_commander", "user": "sato"}), 201)
    frozen_clock.advance(minutes=45)
    ok(api.post(f"/incidents/{ref}/status-updates", {"text": "All payments go through"}), 201)
    for step in ("resolved", "closed"):
        frozen_clock.advance(minutes=30)
        ok(api.post(f"/incidents/{ref}/transitions", {"to": step}))
    run_worker()

    summary = posts(slack_stub, ref)[-1]
    assert summary.splitlines() == [
        ":white_check_mark: *INC-1 closed*: Checkout fails",
        "Severity: SEV2 Major",
        "Duration: 1 h 15 min (2026-11-25 10:00 → 2026-11-25 11:15)",
        "Roles: Incident Commander: sato",
        "Last status update: All payments go through (rei)",
        "Incident: http://127.0.0.1:8000/incidents/INC-1/",
        "Retrospective: http://127.0.0.1:8000/incidents/INC-1/retrospective/",
        "This channel will be archived in 24 hours.",
    ]
    assert topic(slack_stub, ref) == "SEV2 | Closed | IC: sato"
    assert channel(ref).archive_due_at == frozen_clock.now + timedelta(hours=24)

    frozen_clock.advance(hours=23, minutes=59)
    run_worker()
    assert slack_stub.calls_to("conversations.archive") == []

    frozen_clock.advance(minutes=1)
    run_worker()
    run_worker()
    assert slack_stub.calls_to("conversations.archive") == [{"channel": channel(ref).channel_id}]
    assert slack_stub.channel_named(channel(ref).name).archived
    assert channel(ref).archived_at == frozen_clock.now


def test_the_archive_delay_is_configurable_and_a_false_alarm_is_archived_too(
    api: Api, ref: str, slack_stub: SlackStub, frozen_clock: MovableClock, settings: Any
) -> None:
    settings.KIZUKI_SLACK_ARCHIVE_AFTER_HOURS = 0.5
    ok(api.post(f"/incidents/{ref}/transitions", {"to": "false_alarm"}))
    run_worker()
    summary = posts(slack_stub, ref)[-1]
    assert summary.startswith(":information_source: *INC-1 closed as a false alarm*: Checkout")
    assert summary.endswith("This channel will be archived in 0.5 hours.")
    frozen_clock.advance(minutes=30)
    run_worker()
    assert len(slack_stub.calls_to("conversations.archive")) == 1


def test_an_overdue_status_update_is_reminded_once_per_interval(
    api: Api, ref: str, slack_stub: SlackStub, frozen_clock: MovableClock
) -> None:
    ok(api.post(f"/incidents/{ref}/roles", {"role": "incident_commander", "user": "sato"}), 201)
    run_worker()
    slack_stub.clear()

    frozen_clock.advance(minutes=29)  # SEV2: a status update every 30 minutes
    run_worker()
    assert posts(slack_stub, ref) == []

    frozen_clock.advance(minutes=2)
    run_worker()
    run_worker()
    assert posts(slack_stub, ref) == [
        ":alarm_clock: A status update is overdue: SEV2 expects one every 30 minutes; none has"
        " been posted since the declaration 31 minutes ago. <@U0SATO>, please post one:"
        " http://127.0.0.1:8000/incidents/INC-1/"
    ]

    frozen_clock.advance(minutes=25)  # 56 minutes: still the same overdue interval
    run_worker()
    assert len(posts(slack_stub, ref)) == 1
    frozen_clock.advance(minutes=5)  # 61 minutes: the next interval is overdue too
    run_worker()
    assert len(posts(slack_stub, ref)) == 2

    ok(api.post(f"/incidents/{ref}/status-updates", {"text": "Still looking"}), 201)
    frozen_clock.advance(minutes=29)
    run_worker()
    assert posts(slack_stub, ref)[-1].startswith(":loudspeaker: Status update: Still looking")
    frozen_clock.advance(minutes=1)
    run_worker()
    assert "the last one was 30 minutes ago." in posts(slack_stub, ref)[-1]
    assert len(posts(slack_stub, ref)) == 4


def test_no_commander_is_reminded_once(
    api: Api, ref: str, slack_stub: SlackStub, frozen_clock: MovableClock
) -> None:
    frozen_clock.advance(minutes=4)
    run_worker()
    assert posts(slack_stub, ref) == []
    frozen_clock.advance(minutes=1)
    run_worker()
    assert posts(slack_stub, ref) == [
        ":warning: Nobody is incident commander of INC-1 yet. Please take the role:"
        " http://127.0.0.1:8000/incidents/INC-1/"
    ]
    frozen_clock.advance(minutes=20)
    run_worker()
    assert posts(slack_stub, ref)[1:] == []


def test_an_incident_with_a_commander_gets_no_commander_reminder(
    api: Api, ref: str, slack_stub: SlackStub, frozen_clock: MovableClock
) -> None:
    ok(api.post(f"/incidents/{ref}/roles", {"role": "incident_commander", "user": "sato"}), 201)
    ok(api.post(f"/incidents/{ref}/transitions", {"to": "mitigated"}))
    run_worker()
    frozen_clock.advance(minutes=10)
    run_worker()
    assert not any("Nobody is incident commander" in text for text in posts(slack_stub, ref))
