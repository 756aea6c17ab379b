"""`/incident …` typed in Slack: signed requests to /slack/events, answered ephemerally, acting
through the same actions and access checks as the API — checked back through the API."""

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client

from kizuki.accounts.models import User
from kizuki.stakeholders.actions import subscribe
from tests.chat.inbound_support import Slack, ephemeral, incident_channel
from tests.chat.stub import SlackStub
from tests.conftest import Api
from tests.incidents.support import english, incident_in, report, row_counts
from tests.jobs import run_queued_jobs


@pytest.fixture
def slack(slack_stub: SlackStub, settings: Any) -> Slack:
    cache.clear()  # Slack profiles and hotline claims from earlier tests (same ids, new stub)
    settings.LANGUAGE_CODE = "en"  # KIZUKI_LANGUAGE; Japanese has its own test
    return Slack(slack_stub)


@pytest.fixture
def people(slack_stub: SlackStub, responder: User, viewer: User, admin: User) -> None:
    """rei (responder), vera (viewer) and aki (admin) in Slack with their Kizuki e-mail, and
    a guest whose Slack e-mail matches nobody in Kizuki."""
    slack_stub.add_user("U0REI", "REI@example.test", "rei")  # e-mail case does not matter
    slack_stub.add_user("U0VERA", "vera@example.test", "vera")
    slack_stub.add_user("U0AKI", "aki@example.test", "aki", real_name="Aki Tanaka")
    slack_stub.add_user("U0GUEST", "guest@elsewhere.test", "guest", real_name="Gue Sto")


def test_without_slack_settings_the_endpoint_says_so_and_does_nothing(
    settings: Any, responder_api: Api
) -> None:
    settings.KIZUKI_SLACK_BOT_TOKEN = ""
    settings.KIZUKI_SLACK_SIGNING_SECRET = ""
    before = row_counts()
    with SlackStub() as stub:
        response = Slack(stub).command("declare 2", "U0REI", "C1")
        assert stub.methods() == []
    assert response.status_code == 503
    assert "KIZUKI_SLACK_SIGNING_SECRET" in response.json()["detail"]
    assert row_counts() == before


@pytest.mark.parametrize(
    ("secret", "age"), [("not-the-secret", 0), ("", 6 * 60)], ids=["bad-signature", "too-old"]
)
def test_unsigned_or_stale_requests_are_refused_and_change_nothing(
    slack: Slack, people: None, responder_api: Api, secret: str, age: int
) -> None:
    ref = incident_in(responder_api, "reported")
    channel = incident_channel(slack.stub, ref)
    before = row_counts()
    response = slack.command("declare 2", "U0REI", channel, secret=secret, age=age)
    assert response.status_code == 401
    assert row_counts() == before
    assert responder_api.get(f"/incidents/{ref}").json()["status"] == "reported"
    assert slack.stub.methods() == []


def test_help_lists_the_commands_and_says_which_incident(slack: Slack, people: None) -> None:
    text = ephemeral(slack.command("help", "U0GUEST", "C0RANDOM"))
    for word in ("report", "declare", "status", "role", "note", "mitigated", "resolved", "close"):
        assert f"`/incident {word}" in text or f"`{word}`" in text, word
    assert "INC-12" in text
    assert "incident_commander" in text  # the roles there are
    assert ":pushpin:" in text
    assert ephemeral(slack.command("", "U0GUEST", "C0RANDOM")) == text


def test_an_unknown_word_gets_the_help(slack: Slack, people: None) -> None:
    text = ephemeral(slack.command("explode now", "U0REI", "C0RANDOM"))
    assert text.startswith("Unknown command explode.")
    assert "`/incident report`" in text


def _submission(view: dict[str, Any], user: str, **values: str) -> dict[str, Any]:
    """What Slack sends when the report form is submitted with `values` (block id → text)."""
    state: dict[str, Any] = {}
    for block, value in values.items():
        if block == "service":
            element = {"type": "static_select", "selected_option": {"value": value}}
        else:
            element = {"type": "plain_text_input", "value": value}
        state[block] = {"value": element}
    return {
        "type": "view_submission",
        "user": {"id": user, "username": user.lower(), "team_id": "T0KIZUKI"},
        "view": {**view, "id": "V1", "state": {"values": state}},
    }


def test_report_opens_a_form_and_submitting_it_files_the_report(
    slack: Slack, people: None, service: Any, responder_api: Api
) -> None:
    response = slack.command("report Checkout is slow", "U0REI", "C0GENERAL")
    assert response.status_code == 200
    assert response.content == b""  # the form is the answer
    [opened] = slack.stub.calls_to("views.open")
    assert opened["trigger_id"] == "trigger-1"
    view = json.loads(opened["view"]) if isinstance(opened["view"], str) else opened["view"]
    assert view["callback_id"] == "kizuki_report"
    blocks = {block.get("block_id"): block for block in view["blocks"]}
    assert blocks["title"]["element"]["initial_value"] == "Checkout is slow"
    assert {"title", "description", "service"} <= set(blocks)
    assert "false alarm is fine" in json.dumps(view)

    submitted = _submission(
        view, "U0REI", title="Checkout is slow", description="p99 at 4 s", service="checkout"
    )
    response = slack.interaction(submitted)
    assert response.status_code == 200
    assert response.content == b""  # the form closes

    incident = responder_api.get("/incidents/INC-1").json()
    assert incident["title"] == "Checkout is slow"
    assert incident["description"] == "p99 at 4 s"
    assert incident["status"] == "reported"
    assert incident["reporter"] == "rei"
    assert incident["services"] == ["checkout"]
    [thanks] = slack.stub.calls_to("chat.postEphemeral")
    assert thanks["channel"] == "C0GENERAL"
    assert thanks["user"] == "U0REI"
    assert "INC-1 is reported" in thanks["text"]
    assert "False alarms are welcome" in thanks["text"]


def test_anyone_in_the_workspace_may_report_even_without_an_account(
    slack: Slack, people: None, responder_api: Api
) -> None:
    slack.stub.add_channel("general")
    slack.command("report", "U0GUEST", "C0GENERAL")
    view = slack.stub.calls_to("views.open")[0]["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert slack.interaction(_submission(view, "U0GUEST", title="Login page blank")).content == b""
    incident = responder_api.get("/incidents/INC-1").json()
    assert incident["reporter"] is None
    assert incident["description"] == "Reported in Slack by guest (<@U0GUEST>)."


def test_a_refused_title_is_shown_on_the_form_and_nothing_is_filed(
    slack: Slack, people: None
) -> None:
    slack.command("report", "U0REI", "C0GENERAL")
    view = slack.stub.calls_to("views.open")[0]["view"]
    view = json.loads(view) if isinstance(view, str) else view
    before = row_counts()
    response = slack.interaction(_submission(view, "U0REI", title="   "))
    assert response.json() == {
        "response_action": "errors",
        "errors": {"title": "A title is required."},
    }
    assert row_counts() == before
    response = slack.interaction(_submission(view, "U0REI", title="Slow", service="gone"))
    assert response.json() == {
        "response_action": "errors",
        "errors": {"service": "Unknown service: gone."},
    }
    assert row_counts() == before


def test_declare_in_the_incident_channel_declares_that_incident(
    slack: Slack, people: None, responder_api: Api
) -> None:
    ref = incident_in(responder_api, "reported")
    channel = incident_channel(slack.stub, ref)
    text = ephemeral(slack.command("declare 2", "U0REI", channel))
    assert text.startswith(f"{ref} is declared: SEV2")
    incident = responder_api.get(f"/incidents/{ref}").json()
    assert (incident["status"], incident["severity"]) == ("declared", 2)
    timeline = responder_api.get(f"/incidents/{ref}/timeline").json()
    assert timeline[-1]["author"] == "rei"  # done by the matched Kizuki user


def test_a_viewer_cannot_declare_and_nothing_changes(
    slack: Slack, people: None, responder_api: Api
) -> None:
    ref = incident_in(responder_api, "reported")
    channel = incident_channel(slack.stub, ref)
    before = row_counts()
    text = ephemeral(slack.command("declare 2", "U0VERA", channel))
    assert text == ":warning: This needs the Responder role."
    assert row_counts() == before
    assert responder_api.get(f"/incidents/{ref}").json()["status"] == "reported"


def test_someone_without_an_account_may_only_report(
    slack: Slack, people: None, responder_api: Api
) -> None:
    ref = incident_in(responder_api, "reported")
    channel = incident_channel(slack.stub, ref)
    before = row_counts()
    for text in ("declare 2", "note I saw it too", "status fine", "close"):
        reply = ephemeral(slack.command(text, "U0GUEST", channel))
        assert reply.startswith(":warning:"), reply
        assert "guest@elsewhere.test" in reply  # why, and what they may still do
        assert "`/incident report`" in reply
    assert row_counts() == before


def test_a_responder_runs_the_incident_from_its_channel(
    slack: Slack, people: None, responder_api: Api
) -> None:
    ref = incident_in(responder_api, "reported", title="Checkout fails")
    channel = incident_channel(slack.stub, ref)

    def say(text: str, user: str = "U0REI") -> str:
        return ephemeral(slack.command(text, user, channel))

    def state() -> dict[str, Any]:
        body: dict[str, Any] = responder_api.get(f"/incidents/{ref}").json()
        return body

    assert say("declare sev3").startswith(f"{ref} is declared: SEV3")
    assert say("status Rolling back the 10:02 deploy &amp; watching") == (
        f"Status update posted on {ref}."
    )
    assert state()["latest_status_update"]["text"] == "Rolling back the 10:02 deploy & watching"
    assert state()["latest_status_update"]["author"] == "rei"

    assert say("role incident_commander <@U0AKI>").startswith("<@U0AKI> is now")
    [role] = state()["roles"]
    assert (role["role"], role["user"]) == ("incident_commander", "aki")

    assert say("note <@U0AKI> restarted the <https://db.example.test|primary>") == (
        f"Added to the timeline of {ref}."
    )
    notes = [
        e for e in responder_api.get(f"/incidents/{ref}/timeline").json() if e["kind"] == "note"
    ]
    assert notes[-1]["text"] == "@aki restarted the primary (https://db.example.test)"
    assert notes[-1]["author"] == "rei"

    assert say("mitigated") == f"{ref} is now Mitigated."
    assert say("resolved rolled back <@U0AKI>'s deploy") == f"{ref} is now Resolved."
    moves = english(responder_api).get(f"/incidents/{ref}/timeline").json()
    assert moves[-1]["text"].endswith("Note: rolled back @aki's deploy")
    assert say("close") == f"{ref} is now Closed."
    assert state()["status"] == "closed"
    assert say("mitigated").startswith(f":warning: {ref} is Closed and cannot move to mitigated")


def test_elsewhere_the_incident_is_named_first(
    slack: Slack, people: None, responder_api: Api
) -> None:
    ref = incident_in(responder_api, "declared")
    reply = ephemeral(slack.command("note the queue drains", "U0REI", "C0GENERAL"))
    assert reply.startswith(":warning: This channel belongs to no incident")
    assert ephemeral(slack.command(f"note {ref} the queue drains", "U0REI", "C0GENERAL")) == (
        f"Added to the timeline of {ref}."
    )
    timeline = responder_api.get(f"/incidents/{ref}/timeline").json()
    assert timeline[-1]["text"] == "the queue drains"
    other = report(responder_api, "Another one")["number"]
    channel = incident_channel(slack.stub, ref)
    # An explicit reference wins over the channel's incident.
    assert ephemeral(slack.command(f"declare {other} 4", "U0REI", channel)).startswith(
        f"{other} is declared: SEV4"
    )
    assert ephemeral(slack.command("declare INC-99 2", "U0REI", channel)) == (
        ":warning: No incident INC-99."
    )


def test_role_needs_someone_kizuki_knows(slack: Slack, people: None, responder_api: Api) -> None:
    ref = incident_in(responder_api, "declared")
    channel = incident_channel(slack.stub, ref)
    before = row_counts()
    reply = ephemeral(slack.command("role incident_commander <@U0GUEST|guest>", "U0REI", channel))
    assert reply == ":warning: guest has no Kizuki account: no user has their Slack e-mail address."
    reply = ephemeral(slack.command("role chef <@U0AKI>", "U0REI", channel))
    assert reply.startswith(":warning: Unknown role chef; use one of")
    reply = ephemeral(slack.command("role incident_commander", "U0REI", channel))
    assert reply.startswith(":warning: Use `/incident role <role> @person`")
    assert row_counts() == before
    # A Kizuki username works too, for people not (yet) in Slack.
    assert ephemeral(slack.command("role scribe @vera", "U0REI", channel)).startswith(
        "@vera is now"
    )


def test_replies_are_in_the_persons_language(
    slack: Slack, people: None, responder_api: Api, viewer: User, settings: Any
) -> None:
    ref = incident_in(responder_api, "reported")
    channel = incident_channel(slack.stub, ref)
    viewer.language = "ja"
    viewer.save()
    reply = ephemeral(slack.command("declare 2", "U0VERA", channel))
    assert reply == ":warning: この操作には対応者権限が必要です。"


def test_socket_mode_says_which_tokens_it_needs(settings: Any) -> None:
    settings.KIZUKI_SLACK_BOT_TOKEN = "xoxb-set"
    settings.KIZUKI_SLACK_APP_TOKEN = ""
    with pytest.raises(CommandError, match="KIZUKI_SLACK_APP_TOKEN"):
        call_command("slack-socket")


def test_a_status_from_slack_reaches_stakeholders_and_the_status_page(
    slack: Slack, people: None, responder_api: Api, service: Any, mailoutbox: Any
) -> None:
    subscribe(None, "email", "sales@example.test", None)
    ref = incident_in(responder_api, "reported", title="Checkout fails")
    channel = incident_channel(slack.stub, ref)
    ephemeral(slack.command("declare 2", "U0REI", channel))
    ephemeral(slack.command("status --internal Rolled back build 4711", "U0REI", channel))
    ephemeral(slack.command("status Card payments work again for most people", "U0REI", channel))
    run_queued_jobs()

    updates = responder_api.get(f"/incidents/{ref}/status-updates").json()
    assert [(u["audience"], u["text"]) for u in updates] == [
        ("stakeholders", "Card payments work again for most people"),
        ("internal", "Rolled back build 4711"),
    ]
    [mail] = [m for m in mailoutbox if "sales@example.test" in m.to]
    assert "Card payments work again for most people" in mail.body
    assert "4711" not in mail.body
    page = Client()
    page.force_login(User.objects.get(username="vera"))
    html = page.get("/status/", headers={"Accept-Language": "en"}).content.decode()
    assert "Card payments work again for most people" in html
    assert "4711" not in html
