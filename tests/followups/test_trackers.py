"""Tracker sync against local GitHub and Jira stubs, with the real client libraries: an admin
sets a team's tracker (the token is kept encrypted and never shown), a follow-up is exported by
a job (twice is still one issue), and closing the issue marks the follow-up done — by GitHub's
signed webhook, or by the periodic look (Jira, and GitHub as a fallback)."""

import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any, cast

import pytest
from django.db import connection
from django.test import Client

from kizuki.core.models import AuditEntry
from kizuki.followups import sync
from kizuki.followups.models import TrackerConfig, TrackerLink
from kizuki.followups.trackers import GitHubIssues
from tests.conftest import Api, MovableClock
from tests.followups.support import english, ok, resolved_incident, write
from tests.followups.tracker_stubs import GitHubStub, JiraStub, running
from tests.incidents.support import assert_error
from tests.jobs import run_queued_jobs

TOKEN = "ghp_not-a-real-token-123"
SECRET = "webhook-secret-456"


def put(api: Api, path: str, body: dict[str, Any]) -> Any:
    return api.client.put(
        "/api/v1" + path, json.dumps(body), "application/json", headers=api._headers()
    )


@pytest.fixture
def github() -> Iterator[GitHubStub]:
    with running(GitHubStub()) as stub:
        yield cast(GitHubStub, stub)


@pytest.fixture
def jira() -> Iterator[JiraStub]:
    with running(JiraStub()) as stub:
        yield cast(JiraStub, stub)


@pytest.fixture
def followup(responder_api: Api, service: Any, frozen_clock: MovableClock) -> dict[str, Any]:
    ref = resolved_incident(english(responder_api), services=["checkout"])
    return write(english(responder_api), ref, "Add a CI check for EXPLAIN output", owner="rei")


def github_tracker(admin_api: Api, stub: GitHubStub) -> dict[str, Any]:
    body = {
        "kind": "github",
        "base_url": stub.url,
        "project": "kizuki/payments",
        "token": TOKEN,
        "webhook_secret": SECRET,
    }
    config: dict[str, Any] = ok(put(english(admin_api), "/followup-trackers/payments", body))
    return config


def signed(body: dict[str, Any], secret: str = SECRET, event: str = "issues") -> dict[str, Any]:
    raw = json.dumps(body).encode()
    digest = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return {
        "data": raw,
        "content_type": "application/json",
        "headers": {"X-GitHub-Event": event, "X-Hub-Signature-256": f"sha256={digest}"},
    }


def closed_event(number: int, reason: str = "completed") -> dict[str, Any]:
    return {
        "action": "closed",
        "issue": {"number": number, "state": "closed", "state_reason": reason},
        "repository": {"full_name": "kizuki/payments"},
    }


def raw_secrets() -> tuple[str, str]:
    """The tracker's secret columns as the database holds them, read past the model."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT token_sealed, webhook_secret_sealed FROM followups_trackerconfig")
        (row,) = cursor.fetchall()
    return row[0], row[1]


@pytest.mark.usefixtures("loopback_allowed")
def test_the_token_is_stored_encrypted_and_never_shown(
    admin_api: Api, github: GitHubStub, service: Any
) -> None:
    config = github_tracker(admin_api, github)
    assert config["token_set"]
    assert config["webhook_secret_set"]
    assert config["webhook_url"] == f"/api/v1/followup-trackers/{config['id']}/github"
    listed = english(admin_api).get("/followup-trackers")
    assert TOKEN not in listed.content.decode()
    assert SECRET not in listed.content.decode()
    stored = raw_secrets()
    assert stored[0].startswith("sealed:v1:")
    assert TOKEN not in stored[0]
    assert SECRET not in stored[1]
    assert TrackerConfig.objects.get().token_sealed == TOKEN  # opened on the way out
    audit = AuditEntry.objects.filter(action="followup.tracker").get()
    assert TOKEN not in json.dumps(audit.after)
    # Saving again without a token keeps the one stored.
    again = ok(
        put(
            english(admin_api),
            "/followup-trackers/payments",
            {**{k: config[k] for k in ("kind", "base_url", "project")}},
        )
    )
    assert again["token_set"]
    assert raw_secrets() == stored


def test_tracker_settings_are_checked(admin_api: Api, service: Any) -> None:
    api = english(admin_api)
    base = {"kind": "github", "base_url": "https://api.github.com", "project": "a/b", "token": "t"}
    assert_error(
        put(api, "/followup-trackers/payments", {**base, "project": "nope"}),
        400,
        "invalid",
        "owner/name",
    )
    assert_error(
        put(api, "/followup-trackers/payments", {**base, "base_url": "ftp://x"}), 400, "invalid"
    )
    assert_error(
        put(api, "/followup-trackers/payments", {**base, "base_url": "http://10.0.0.1/"}),
        400,
        "outbound_refused",
    )
    assert_error(
        put(api, "/followup-trackers/payments", {**base, "token": ""}), 400, "invalid", "token"
    )
    jira = {**base, "kind": "jira", "project": "PAY"}
    assert_error(put(api, "/followup-trackers/payments", jira), 400, "invalid", "e-mail")
    assert_error(put(api, "/followup-trackers/nobody", base), 400, "invalid", "nobody")
    assert TrackerConfig.objects.count() == 0


@pytest.mark.usefixtures("loopback_allowed")
def test_export_to_github_and_close_it_there(
    admin_api: Api, responder_api: Api, github: GitHubStub, followup: dict[str, Any]
) -> None:
    config = github_tracker(admin_api, github)
    api = english(responder_api)
    path = f"/followups/{followup['id']}"
    pending = ok(api.post(f"{path}/export"), 202)
    assert pending["state"] == "pending"
    assert github.requests == []  # the job does it, after the commit
    assert ok(api.post(f"{path}/export"), 202)["state"] == "pending"  # asking again: one job
    assert run_queued_jobs() >= 1
    [created] = github.calls("POST", "/repos/kizuki/payments/issues")
    assert created.json["title"] == "Add a CI check for EXPLAIN output"
    assert f"/followups/{followup['id']}/" in created.json["body"]
    assert TOKEN in created.headers["Authorization"]
    linked = ok(api.get(path))["tracker"]
    assert linked == {
        "state": "linked",
        "issue_id": "1",
        "issue_url": "https://github.example/kizuki/payments/issues/1",
        "issue_closed": False,
        "error": "",
    }
    assert_error(api.post(f"{path}/export"), 409, "conflict", "issues/1")

    hook = f"/api/v1/followup-trackers/{config['id']}/github"
    github.close(1)
    anonymous = Client()
    refused = anonymous.post(hook, **signed(closed_event(1), secret="wrong"))
    assert refused.status_code == 403
    assert ok(api.get(path))["status"] == "open"
    assert anonymous.post(hook, **signed({"zen": "hi"}, event="ping")).json() == {"result": "pong"}
    answer = anonymous.post(hook, **signed(closed_event(1)))
    assert answer.json() == {"result": "moved"}, answer.content
    done = ok(api.get(path))
    assert done["status"] == "done"
    assert done["tracker"]["issue_closed"] is True
    history = ok(api.get(f"{path}/history"))
    assert [h["event"] for h in history] == ["created", "export_requested", "exported", "status"]
    assert history[-1]["data"]["via"] == "tracker"
    assert history[-1]["actor"] is None
    # The same event again changes nothing; another repository's issue is not ours.
    assert anonymous.post(hook, **signed(closed_event(1))).json() == {"result": "unchanged"}
    assert anonymous.post(hook, **signed(closed_event(99))).json() == {"result": "not ours"}
    assert (
        anonymous.post(
            "/api/v1/followup-trackers/999/github", **signed(closed_event(1))
        ).status_code
        == 404
    )


@pytest.mark.usefixtures("loopback_allowed")
def test_closed_as_not_planned_is_wont_do_and_reopening_opens_it(
    admin_api: Api, responder_api: Api, github: GitHubStub, followup: dict[str, Any]
) -> None:
    config = github_tracker(admin_api, github)
    api = english(responder_api)
    path = f"/followups/{followup['id']}"
    ok(api.post(f"{path}/export"), 202)
    run_queued_jobs()
    hook = f"/api/v1/followup-trackers/{config['id']}/github"
    Client().post(hook, **signed(closed_event(1, "not_planned")))
    wont = ok(api.get(path))
    assert (wont["status"], wont["status_reason"]) == ("wont_do", wont["tracker"]["issue_url"])
    reopened = {**closed_event(1), "action": "reopened"}
    assert Client().post(hook, **signed(reopened)).json() == {"result": "moved"}
    assert ok(api.get(path))["status"] == "open"


@pytest.mark.usefixtures("loopback_allowed")
def test_a_job_that_runs_again_finds_its_issue_instead_of_making_another(
    admin_api: Api, responder_api: Api, github: GitHubStub, followup: dict[str, Any]
) -> None:
    github_tracker(admin_api, github)
    ok(english(responder_api).post(f"/followups/{followup['id']}/export"), 202)
    link = TrackerLink.objects.get()
    # A first run created the issue and died before writing it down.
    GitHubIssues(github.url, "kizuki/payments", TOKEN).create_issue("Add a CI check", "…", link.key)
    assert sync.export(link.pk) is True
    assert len(github.calls("POST", "/repos/kizuki/payments/issues")) == 1
    assert len(github.calls("GET", "/search/issues")) == 1
    assert TrackerLink.objects.get().issue_id == "1"
    run_queued_jobs()  # the queued job, late: nothing more
    assert sync.export(link.pk) is True
    assert len(github.calls("POST", "/repos/kizuki/payments/issues")) == 1


@pytest.mark.usefixtures("loopback_allowed")
def test_a_failed_export_is_shown_and_can_be_tried_again(
    admin_api: Api, responder_api: Api, github: GitHubStub, followup: dict[str, Any]
) -> None:
    github_tracker(admin_api, github)
    api = english(responder_api)
    path = f"/followups/{followup['id']}"
    github.fail_with = 500
    ok(api.post(f"{path}/export"), 202)
    run_queued_jobs()
    failed = ok(api.get(path))["tracker"]
    assert failed["state"] == "failed"
    assert "500" in failed["error"]
    github.fail_with = None
    ok(api.post(f"{path}/export"), 202)
    run_queued_jobs()
    assert ok(api.get(path))["tracker"]["state"] == "linked"
    assert len(github.calls("POST", "/repos/kizuki/payments/issues")) == 1


def test_without_the_allow_list_loopback_trackers_are_refused(
    admin_api: Api, responder_api: Api, github: GitHubStub, followup: dict[str, Any], settings: Any
) -> None:
    settings.KIZUKI_OUTBOUND_ALLOW = "127.0.0.1"
    github_tracker(admin_api, github)
    settings.KIZUKI_OUTBOUND_ALLOW = ""
    api = english(responder_api)
    ok(api.post(f"/followups/{followup['id']}/export"), 202)
    run_queued_jobs()
    assert "not a public address" in ok(api.get(f"/followups/{followup['id']}"))["tracker"]["error"]
    assert github.requests == []


def test_a_team_without_a_tracker_cannot_export(
    responder_api: Api, followup: dict[str, Any]
) -> None:
    response = english(responder_api).post(f"/followups/{followup['id']}/export")
    assert_error(response, 400, "invalid", "tracker")


@pytest.mark.usefixtures("loopback_allowed")
def test_jira_export_and_the_periodic_look_closes_it(
    admin_api: Api,
    responder_api: Api,
    jira: JiraStub,
    followup: dict[str, Any],
    frozen_clock: MovableClock,
) -> None:
    body = {
        "kind": "jira",
        "base_url": jira.url,
        "project": "PAY",
        "account": "bot@example.test",
        "token": "jira-token-789",
    }
    ok(put(english(admin_api), "/followup-trackers/payments", body))
    api = english(responder_api)
    path = f"/followups/{followup['id']}"
    ok(api.post(f"{path}/export"), 202)
    run_queued_jobs()
    [created] = jira.calls("POST", "/rest/api/2/issue")
    assert created.json["fields"]["summary"] == "Add a CI check for EXPLAIN output"
    assert created.json["fields"]["project"] == {"key": "PAY"}
    assert created.headers["Authorization"].startswith("Basic ")
    assert ok(api.get(path))["tracker"]["issue_url"] == f"{jira.url}/browse/PAY-1"
    jira.close("PAY-1")
    assert sync.pull_states() == 0  # looked at when exported: not again for 15 minutes
    frozen_clock.advance(minutes=16)
    assert sync.pull_states() == 1
    assert ok(api.get(path))["status"] == "done"
    frozen_clock.advance(minutes=16)
    asked = len(jira.calls("GET", r"/rest/api/2/issue/PAY-1"))
    assert sync.pull_states() == 0
    assert len(jira.calls("GET", r"/rest/api/2/issue/PAY-1")) == asked  # done: no more looks


@pytest.mark.usefixtures("loopback_allowed")
def test_the_periodic_look_catches_a_missed_github_webhook(
    admin_api: Api,
    responder_api: Api,
    github: GitHubStub,
    followup: dict[str, Any],
    frozen_clock: MovableClock,
) -> None:
    github_tracker(admin_api, github)
    api = english(responder_api)
    ok(api.post(f"/followups/{followup['id']}/export"), 202)
    run_queued_jobs()
    github.close(1)
    frozen_clock.advance(minutes=16)
    assert sync.pull_states() == 1
    assert ok(api.get(f"/followups/{followup['id']}"))["status"] == "done"
