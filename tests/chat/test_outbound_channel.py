"""Declaring an incident opens its Slack channel: the name, the people, the pinned guide, the
announcement and the topic — through the API, the worker and the real slack_sdk client
talking to a local stub of Slack's Web API."""

from typing import Any

import pytest
from django.db import connection

from kizuki.accounts.models import User
from kizuki.chat.models import IncidentChannel
from tests.chat.outbound_support import (
    SLACK_IDS,
    channel,
    declare,
    in_slack,
    ok,
    person,
    run_worker_command,
)
from tests.chat.stub import SlackStub
from tests.conftest import Api, MovableClock
from tests.incidents.support import english
from tests.jobs import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(responder_api: Api, settings: Any, slack_stub: SlackStub) -> Api:
    settings.LANGUAGE_CODE = "en"
    in_slack(slack_stub, "rei")
    return english(responder_api)


def test_declaring_opens_a_channel_named_by_date_and_title(
    frozen_clock: MovableClock, api: Api, slack_stub: SlackStub
) -> None:
    ref = declare(api, "Checkout fails: HTTP 500 on /pay")
    assert slack_stub.calls_to("conversations.create") == []  # nothing before the worker runs

    run_worker()

    # 2026-11-25 01:00 UTC is 10:00 on the 25th in Tokyo (KIZUKI_TIME_ZONE).
    name = "incident_20261125_checkout-fails-http-500-on-pay"
    assert [c["name"] for c in slack_stub.calls_to("conversations.create")] == [name]
    stored = channel(ref)
    assert (stored.name, stored.channel_id) == (name, slack_stub.channel_named(name).id)
    assert slack_stub.calls[0].token == slack_stub.token


def test_a_japanese_title_is_romanised(
    frozen_clock: MovableClock, api: Api, slack_stub: SlackStub
) -> None:
    declare(api, "決済APIの遅延")
    declare(api, "🔥🔥🔥")
    run_worker()
    names = [c["name"] for c in slack_stub.calls_to("conversations.create")]
    assert names == ["incident_20261125_kessai-api-no-chien", "incident_20261125_inc-2"]


def test_a_taken_name_gets_a_suffix(
    frozen_clock: MovableClock, api: Api, slack_stub: SlackStub
) -> None:
    slack_stub.add_channel("incident_20261125_checkout-fails")  # made by hand earlier today
    first, second = declare(api), declare(api)
    run_worker()
    tried = [c["name"] for c in slack_stub.calls_to("conversations.create")]
    assert tried == [
        "incident_20261125_checkout-fails",
        "incident_20261125_checkout-fails-2",
        "incident_20261125_checkout-fails",
        "incident_20261125_checkout-fails-2",
        "incident_20261125_checkout-fails-3",
    ]
    assert channel(first).name == "incident_20261125_checkout-fails-2"
    assert channel(second).name == "incident_20261125_checkout-fails-3"


def test_the_pattern_is_configurable(
    frozen_clock: MovableClock, api: Api, slack_stub: SlackStub, settings: Any
) -> None:
    settings.KIZUKI_SLACK_CHANNEL_PATTERN = "INC {number}.{YYYY}-{MM}-{DD} {slug}"
    ref = declare(api, "Login down")
    run_worker()
    assert channel(ref).name == "inc-1-2026-11-25-login-down"


def test_reporter_roles_and_on_call_are_invited(
    frozen_clock: MovableClock,
    api: Api,
    admin_api: Api,
    slack_stub: SlackStub,
    service: Any,
) -> None:
    in_slack(slack_stub, "sato", "ken", "aki")
    person("sato")
    person("ken", "viewer")
    person("nobody-in-slack")
    schedule = {
        "name": "Payments primary",
        "team": "payments",
        "layers": [{"users": ["ken"], "shift_length": "1w", "start": "2026-11-01"}],
    }
    ok(admin_api.post("/schedules", schedule), 201)
    ref = declare(api, services=["checkout"])
    ok(api.post(f"/incidents/{ref}/roles", {"role": "incident_commander", "user": "sato"}), 201)
    ok(api.post(f"/incidents/{ref}/roles", {"role": "scribe", "user": "nobody-in-slack"}), 201)

    run_worker()

    (invite,) = slack_stub.calls_to("conversations.invite")
    assert invite["channel"] == channel(ref).channel_id
    assert sorted(invite["users"].split(",")) == sorted(["U0REI", "U0SATO", "U0KEN"])
    looked_up = [c["email"] for c in slack_stub.calls_to("users.lookupByEmail")]
    assert sorted(looked_up) == [
        f"{n}@example.test" for n in ("ken", "nobody-in-slack", "rei", "sato")
    ]
    assert slack_stub.channel_named(channel(ref).name).members >= {"U0REI", "U0SATO", "U0KEN"}

    # Known people are remembered; someone given a role later is invited then.
    ok(api.post(f"/incidents/{ref}/roles", {"role": "bridge", "user": "aki"}), 201)
    run_worker()
    assert slack_stub.calls_to("conversations.invite")[-1]["users"] == "U0AKI"
    assert len(slack_stub.calls_to("users.lookupByEmail")) == len(looked_up) + 1


def test_the_guide_for_the_severity_is_posted_and_pinned_with_the_bridge_links(
    frozen_clock: MovableClock, api: Api, slack_stub: SlackStub
) -> None:
    ref = declare(api, severity=1)
    links = {
        "bridge_system_url": "https://meet.example.test/system",
        "document_url": "https://docs.example.test/inc-1",
    }
    ok(api.patch(f"/incidents/{ref}", links))
    run_worker()

    stored = channel(ref)
    guide = slack_stub.posts(stored.channel_id)[0]
    assert guide.startswith(":rotating_light: *INC-1 Checkout fails* — SEV1 Critical")
    assert "*SEV1 response guide*" in guide
    assert "every 30 minutes" in guide  # SEV1's status-update interval
    assert "Decide with IT risk whether regulators must be told." in guide
    assert "A retrospective is required for this severity." in guide
    assert "System recovery call: <https://meet.example.test/system|" in guide
    assert "Customer response call: not set yet" in guide
    assert "Recording document: <https://docs.example.test/inc-1|" in guide
    assert "Incident page: <http://127.0.0.1:8000/incidents/INC-1/|" in guide
    assert slack_stub.calls_to("pins.add") == [
        {"channel": stored.channel_id, "timestamp": stored.guide_ts}
    ]
    assert slack_stub.channel_named(stored.name).pins == [stored.guide_ts]


def test_the_guide_is_in_kizuki_language(
    frozen_clock: MovableClock, responder_api: Api, slack_stub: SlackStub, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "ja"
    ref = declare(responder_api, "決済APIの遅延", severity=3)
    run_worker()
    guide = slack_stub.posts(channel(ref).channel_id)[0]
    assert "SEV3 中程度" in guide
    assert "*SEV3 対応ガイド*" in guide
    assert "ステータス更新を60分ごとに出します。" in guide
    assert "システム復旧のブリッジコール: 未設定" in guide
    # The status is in Japanese; "unassigned" follows once the lead merges the catalogue.
    assert slack_stub.channel_named(channel(ref).name).topic.startswith("SEV3 | 宣言済み | IC: ")


def test_the_incident_is_announced_in_the_announcements_channel(
    frozen_clock: MovableClock, api: Api, slack_stub: SlackStub, settings: Any
) -> None:
    announcements = slack_stub.add_channel("incidents")
    settings.KIZUKI_SLACK_ANNOUNCE_CHANNEL = "incidents"
    ref = declare(api)
    run_worker()
    stored = channel(ref)
    assert slack_stub.posts(announcements) == [
        f":rotating_light: INC-1 declared as SEV2 Major: Checkout fails."
        f" Join <#{stored.channel_id}> to help. http://127.0.0.1:8000/incidents/INC-1/"
    ]


def test_a_missing_announcements_channel_does_not_stop_the_rest(
    frozen_clock: MovableClock, api: Api, slack_stub: SlackStub, settings: Any
) -> None:
    settings.KIZUKI_SLACK_ANNOUNCE_CHANNEL = "no-such-channel"
    ref = declare(api)
    run_worker()
    stored = channel(ref)
    assert stored.announced_at is not None
    assert stored.last_error == ""
    assert slack_stub.channel_named(stored.name).topic == "SEV2 | Declared | IC: unassigned"


def test_a_report_gets_a_channel_only_once_declared(
    frozen_clock: MovableClock, api: Api, slack_stub: SlackStub
) -> None:
    ref = ok(api.post("/incidents", {"title": "Slow search"}), 201)["number"]
    ok(api.post(f"/incidents/{ref}/transitions", {"to": "acknowledged"}))
    run_worker()
    assert slack_stub.calls_to("conversations.create") == []
    assert not IncidentChannel.objects.exists()

    ok(api.post(f"/incidents/{ref}/transitions", {"to": "declared", "severity": 4}))
    run_worker()
    assert [c["name"] for c in slack_stub.calls_to("conversations.create")] == [
        "incident_20261125_slow-search"
    ]


def test_everything_happens_once_however_often_the_worker_runs(
    frozen_clock: MovableClock, api: Api, slack_stub: SlackStub, responder: User
) -> None:
    declare(api)
    run_worker()
    calls = slack_stub.methods()
    run_worker()
    run_worker()
    assert slack_stub.methods() == calls
    assert calls == [
        "conversations.create",
        "users.lookupByEmail",
        "conversations.invite",
        "chat.postMessage",
        "pins.add",
        "conversations.setTopic",
    ]
    assert SLACK_IDS[responder.username] in slack_stub.calls_to("conversations.invite")[0]["users"]


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the command closes the test's PostgreSQL connection"
)
def test_the_worker_command_does_the_same(
    frozen_clock: MovableClock, api: Api, slack_stub: SlackStub
) -> None:
    ref = declare(api)
    run_worker_command()
    assert slack_stub.channel_named(channel(ref).name).topic == "SEV2 | Declared | IC: unassigned"


def test_the_guide_links_similar_past_incidents_and_their_retrospectives(
    frozen_clock: MovableClock, api: Api, slack_stub: SlackStub
) -> None:
    """What was learnt last time is the first thing to read: the guide names the most similar
    past incidents, with their published retrospective."""
    past = declare(api, "Checkout payments time out")
    ok(api.post(f"/incidents/{past}/transitions", {"to": "resolved"}))
    ok(api.post(f"/incidents/{past}/retrospective", {"template": "incident-review"}), 201)
    for to in ("in_review", "published"):
        ok(api.post(f"/incidents/{past}/retrospective/transitions", {"to": to}))
    declare(api, "Unrelated: office printer jammed")
    run_worker()

    now = declare(api, "Payments time out at checkout again")
    run_worker()

    guide = slack_stub.posts(channel(now).channel_id)[0]
    similar = guide.split("*Similar past incidents*", 1)[1]
    base = "http://127.0.0.1:8000/incidents"
    assert f"• <{base}/{past}/|{past} Checkout payments time out>" in similar
    assert f"<{base}/{past}/retrospective/|retrospective>" in similar
    assert "printer" not in similar
