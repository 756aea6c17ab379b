"""`/incident followup <title>` in Slack: signed like Slack's own requests, in the incident's
channel or with INC-n, answered with the follow-up's link and the quality check's findings."""

from typing import Any

import pytest
from django.core.cache import cache

from kizuki.accounts.models import User
from tests.chat.inbound_support import Slack, ephemeral, incident_channel
from tests.chat.stub import SlackStub
from tests.conftest import Api
from tests.followups.support import codes, english, ok, resolved_incident, row_counts


@pytest.fixture
def slack(slack_stub: SlackStub, settings: Any, responder: User, viewer: User) -> Slack:
    cache.clear()
    settings.LANGUAGE_CODE = "en"
    slack_stub.add_user("U0REI", "rei@example.test", "rei")
    slack_stub.add_user("U0VERA", "vera@example.test", "vera")
    return Slack(slack_stub)


@pytest.mark.usefixtures("frozen_clock")
def test_a_follow_up_from_the_incidents_channel_with_its_findings(
    slack: Slack, responder_api: Api
) -> None:
    api = english(responder_api)
    ref = resolved_incident(api, severity=2)
    channel = incident_channel(slack.stub, ref)
    text = ephemeral(slack.command("followup Be more careful when deploying", "U0REI", channel))
    [followup] = ok(api.get(f"/incidents/{ref}/followups"))
    assert text.startswith(f"Follow-up {followup['ref']} added to {ref}, due 2026-12-25: ")
    assert followup["url"] in text
    assert "checklist" in text  # the finding, with how to rewrite it
    assert (followup["title"], followup["owner"]) == ("Be more careful when deploying", "rei")
    assert codes(followup) == ["vague_vigilance"]


@pytest.mark.usefixtures("frozen_clock")
def test_naming_the_incident_elsewhere_and_a_clean_follow_up(
    slack: Slack, responder_api: Api
) -> None:
    ref = resolved_incident(english(responder_api), severity=2)
    text = ephemeral(
        slack.command(
            f"followup {ref} Add a CI check that rejects migrations without EXPLAIN output",
            "U0REI",
            "C0GENERAL",
        )
    )
    assert text.count("\n") == 0  # no findings
    assert "Follow-up FU-" in text


def test_viewers_cannot_and_nothing_changes(slack: Slack, responder_api: Api) -> None:
    ref = resolved_incident(english(responder_api))
    before = row_counts()
    text = ephemeral(slack.command(f"followup {ref} Add an alert", "U0VERA", "C0GENERAL"))
    assert "Responder" in text
    assert row_counts() == before


def test_help_names_the_command(slack: Slack) -> None:
    assert "`/incident followup <title>`" in ephemeral(slack.command("help", "U0REI", "C0X"))
