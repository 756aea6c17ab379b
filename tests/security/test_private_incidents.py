"""Private incidents (issue 15): seen only by their participants and admins, on every surface.
For each surface: someone who is not on the incident gets a 404 or does not find it (and never
its title), a participant sees it, an admin sees it. Through the API, the web client, the
worker and the Slack stub, as a user would."""

import csv
import io
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from kizuki.core.models import AuditEntry
from kizuki.risks.models import Risk
from kizuki.stakeholders.actions import subscribe
from tests.alerts.support import accepted, alertmanager, am_alert, integration
from tests.chat.inbound_support import Slack, ephemeral, incident_channel
from tests.chat.outbound_support import channel, in_slack
from tests.chat.stub import SlackStub
from tests.conftest import Api, MovableClock, api_for, make_user
from tests.incidents.support import english
from tests.jobs import run_queued_jobs, run_worker
from tests.notify.support import create_policy, step
from tests.retros.domain_support import resolved_incident
from tests.retros.domain_support import start as start_retro

pytestmark = pytest.mark.django_db

SECRET = "Zanzibar merger ledger outage"  # the title nobody off the incident may read


@pytest.fixture
def people(responder: User, viewer: User, admin: User) -> dict[str, Api]:
    """rei (responder) reports; pia (viewer) is added by hand; vera (viewer) and sato
    (responder) are not on it; aki is an admin."""
    make_user("pia", "viewer")
    make_user("sato", "responder")
    return {
        name: english(api_for(User.objects.get(username=name)))
        for name in ("rei", "pia", "vera", "sato", "aki")
    }


def private_incident(api: Api, title: str = SECRET, **fields: Any) -> str:
    response = api.post("/incidents", {"title": title, "private": True, **fields})
    assert response.status_code == 201, response.json()
    assert response.json()["private"] is True
    return str(response.json()["number"])


@pytest.fixture
def ref(people: dict[str, Api]) -> str:
    """A private incident reported and declared by rei, with pia added as a participant."""
    found = private_incident(people["rei"], severity=2)
    added = people["rei"].post(f"/incidents/{found}/participants", {"user": "pia"})
    assert added.status_code == 403  # a reporter who is not its commander may not
    added = people["aki"].post(f"/incidents/{found}/participants", {"user": "pia"})
    assert added.status_code == 201, added.json()
    return found


def browser(api: Api) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    assert api.user is not None
    client.force_login(api.user)
    return client


def not_found(response: Any, title: str = SECRET) -> None:
    assert response.status_code == 404, response.status_code
    assert title not in response.content.decode()


# --- the incident itself: API and web page -------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["", "/timeline", "/status-updates", "/roles", "/participants", "/similar", "/followups"],
)
def test_the_incident_and_its_parts_are_a_404_to_outsiders(
    people: dict[str, Api], ref: str, path: str
) -> None:
    for outsider in ("vera", "sato"):
        response = people[outsider].get(f"/incidents/{ref}{path}")
        not_found(response)
        assert response.json()["detail"] == f"No incident {ref}."  # as for a missing one
    for insider in ("rei", "pia", "aki"):
        assert people[insider].get(f"/incidents/{ref}{path}").status_code == 200, insider


def test_outsiders_cannot_change_it_either(people: dict[str, Api], ref: str) -> None:
    sato = people["sato"]
    not_found(sato.patch(f"/incidents/{ref}", {"title": "mine now"}))
    not_found(sato.post(f"/incidents/{ref}/transitions", {"to": "mitigated"}))
    not_found(sato.post(f"/incidents/{ref}/timeline", {"text": "hello"}))
    not_found(sato.post(f"/incidents/{ref}/participants", {"user": "sato"}))
    assert people["aki"].get(f"/incidents/{ref}").json()["title"] == SECRET


def test_the_list_and_its_text_search_leave_it_out_for_outsiders(
    people: dict[str, Api], ref: str
) -> None:
    people["rei"].post("/incidents", {"title": "Public checkout blip"})
    for name, sees in {"vera": False, "sato": False, "pia": True, "rei": True, "aki": True}.items():
        listed = people[name].get("/incidents").json()
        assert (ref in [i["number"] for i in listed["items"]]) is sees, name
        assert listed["count"] == (2 if sees else 1), name
        found = people[name].get("/incidents", text="zanzibar").json()["items"]
        assert [i["number"] for i in found] == ([ref] if sees else []), name


def test_the_web_page_list_and_dashboard(people: dict[str, Api], ref: str) -> None:
    vera, pia, aki = (browser(people[n]) for n in ("vera", "pia", "aki"))
    not_found(vera.get(f"/incidents/{ref}/"))
    for client in (vera, browser(people["sato"])):
        for path in ("/incidents/", "/", "/incidents/?text=zanzibar"):
            response = client.get(path)
            assert response.status_code == 200
            assert SECRET not in response.content.decode()
            assert ref not in response.content.decode()
    for client in (pia, aki):
        page = client.get(f"/incidents/{ref}/").content.decode()
        assert 'data-testid="private"' in page
        assert SECRET in page
        assert SECRET in client.get("/incidents/").content.decode()
        assert SECRET in client.get("/").content.decode()


def test_dashboard_counts_leave_it_out_for_outsiders(people: dict[str, Api], ref: str) -> None:
    people["rei"].post("/incidents", {"title": "Public checkout blip", "severity": 3})

    def open_total(name: str) -> str:
        page = browser(people[name]).get("/").content.decode()
        found = re.search(r"<strong>(\d+)</strong> open", page)
        assert found, page[:500]
        return found.group(1)

    assert (open_total("sato"), open_total("vera")) == ("1", "1")
    assert (open_total("pia"), open_total("aki")) == ("2", "2")


# --- who is a participant ------------------------------------------------------------------


def test_a_role_holder_sees_it_and_a_participant_removed_no_longer_does(
    people: dict[str, Api], ref: str
) -> None:
    aki = people["aki"]
    assert aki.post(f"/incidents/{ref}/roles", {"role": "scribe", "user": "sato"}).status_code in {
        201,
        400,
    }
    given = aki.post(f"/incidents/{ref}/roles", {"role": "incident_commander", "user": "sato"})
    assert given.status_code == 201, given.json()
    assert people["sato"].get(f"/incidents/{ref}").status_code == 200
    # The commander now decides who else sees it.
    assert (
        people["sato"].post(f"/incidents/{ref}/participants", {"user": "vera"}).status_code == 201
    )
    assert people["vera"].get(f"/incidents/{ref}").status_code == 200
    assert people["sato"].delete(f"/incidents/{ref}/participants/vera").status_code == 204
    not_found(people["vera"].get(f"/incidents/{ref}"))


def test_the_people_paged_for_it_see_it(
    people: dict[str, Api], service: Service, frozen_clock: MovableClock
) -> None:
    aki = people["aki"]
    make_user("aoi", "viewer")
    policy = create_policy(aki, "Checkout on-call", [step(("user", "aoi"))])
    assert (
        aki.patch(f"/services/{service.pk}", {"escalation_policy": policy["id"]}).status_code == 200
    )
    found = private_incident(people["rei"], services=["checkout"])
    aoi = english(api_for(User.objects.get(username="aoi")))
    not_found(aoi.get(f"/incidents/{found}"))  # not paged yet: the worker sends the page
    run_worker()
    assert [m.to for m in mail.outbox] == [["aoi@example.test"]]
    assert aoi.get(f"/incidents/{found}").status_code == 200
    not_found(people["vera"].get(f"/incidents/{found}"))


# --- making it private or public -----------------------------------------------------------


def test_only_its_commander_or_an_admin_changes_privacy_and_it_is_on_the_record(
    people: dict[str, Api],
) -> None:
    rei, aki = people["rei"], people["aki"]
    found = rei.post("/incidents", {"title": SECRET, "severity": 2}).json()["number"]
    assert people["vera"].get(f"/incidents/{found}").status_code == 200  # public so far
    refused = rei.patch(f"/incidents/{found}", {"private": True})
    assert refused.status_code == 403
    assert "commander" in refused.json()["detail"]
    made = aki.patch(f"/incidents/{found}", {"private": True})
    assert made.status_code == 200
    assert made.json()["private"] is True
    not_found(people["vera"].get(f"/incidents/{found}"))
    timeline = [e["text"] for e in aki.get(f"/incidents/{found}/timeline").json()]
    assert "Made private: only its participants and admins see it." in timeline
    audited = AuditEntry.objects.filter(action="incident.privacy").get()
    assert audited.before is not None
    assert audited.after is not None
    assert (audited.before["private"], audited.after["private"]) == (False, True)
    assert aki.patch(f"/incidents/{found}", {"private": False}).json()["private"] is False
    assert people["vera"].get(f"/incidents/{found}").status_code == 200
    assert "Made public: everyone in the organisation sees it." in [
        e["text"] for e in aki.get(f"/incidents/{found}/timeline").json()
    ]


def test_the_web_report_form_and_the_privacy_card(people: dict[str, Api]) -> None:
    rei = browser(people["rei"])
    form = rei.get("/report/").content.decode()
    assert 'name="private"' in form
    assert "Private incident" in form
    sent = rei.post("/report/", {"title": SECRET, "private": "on"}, follow=True)
    assert sent.status_code == 200
    found = people["aki"].get("/incidents", text="zanzibar").json()["items"][0]
    assert found["private"] is True
    assert found["reporter"] == "rei"
    ref = found["number"]
    not_found(browser(people["vera"]).get(f"/incidents/{ref}/"))
    # The admin's card: add a participant, then make it public.
    aki = browser(people["aki"])
    page = aki.get(f"/incidents/{ref}/").content.decode()
    assert 'data-testid="make-public"' in page
    aki.post(f"/incidents/{ref}/participants/", {"user": "vera"})
    assert browser(people["vera"]).get(f"/incidents/{ref}/").status_code == 200
    aki.post(f"/incidents/{ref}/participants/vera/remove/")
    not_found(browser(people["vera"]).get(f"/incidents/{ref}/"))
    # rei reported it but does not command it: no card buttons, and the POST is refused.
    assert 'data-testid="make-public"' not in rei.get(f"/incidents/{ref}/").content.decode()
    assert rei.post(f"/incidents/{ref}/privacy/").status_code == 403
    aki.post(f"/incidents/{ref}/privacy/")
    assert browser(people["vera"]).get(f"/incidents/{ref}/").status_code == 200


# --- search and similar incidents ----------------------------------------------------------


def test_search_and_similar_incidents_leave_it_out_for_outsiders(
    people: dict[str, Api], ref: str
) -> None:
    people["rei"].post(f"/incidents/{ref}/timeline", {"text": "zanzibar ledger rollback"})
    public = people["rei"].post("/incidents", {"title": "Zanzibar ledger slow"}).json()["number"]
    run_queued_jobs()
    for name, sees in {"vera": False, "sato": False, "pia": True, "aki": True}.items():
        found = people[name].get("/search", q="zanzibar").json()["items"]
        refs = {item["incident"]["ref"] for item in found if item.get("incident")}
        assert (ref in refs) is sees, name
        assert public in refs, name
        text = str(found)
        assert (SECRET in text) is sees, name
        assert ("rollback" in text) is sees, name
        similar = people[name].get(f"/incidents/{public}/similar").json()
        assert (ref in str(similar)) is sees, name
    page = browser(people["vera"]).get("/search/?q=zanzibar").content.decode()
    assert SECRET not in page


# --- the status page and stakeholders ------------------------------------------------------


def test_never_on_the_status_page_nor_sent_to_stakeholders(
    people: dict[str, Api], ref: str
) -> None:
    subscribe(None, "email", "sales@example.test", None)
    posted = people["rei"].post(
        f"/incidents/{ref}/status-updates",
        {"text": "zanzibar ledger is down", "audience": "stakeholders"},
    )
    assert posted.status_code == 201
    run_worker()
    assert mail.outbox == []
    for client in (Client(), browser(people["aki"])):
        page = client.get("/status/").content.decode()
        assert SECRET not in page
        assert "zanzibar" not in page
    status = people["aki"].get("/status").content.decode()
    assert SECRET not in status
    assert ref not in status
    # A public incident's update does go out: the relay itself works.
    public = people["rei"].post("/incidents", {"title": "Checkout slow", "severity": 3}).json()
    people["rei"].post(
        f"/incidents/{public['number']}/status-updates",
        {"text": "Checkout is slow", "audience": "stakeholders"},
    )
    run_worker()
    assert [m.to for m in mail.outbox] == [["sales@example.test"]]


# --- reports -------------------------------------------------------------------------------


def test_reports_count_it_but_never_name_it(
    frozen_clock: MovableClock, people: dict[str, Api], ref: str
) -> None:
    people["rei"].post("/incidents", {"title": "Public checkout blip", "severity": 1})
    day = "2026-11-25"
    for name in ("vera", "aki"):
        summary = people[name].get("/reports/summary", **{"from": day, "to": day})
        assert summary.status_code == 200, summary.json()
        body = summary.json()
        assert body["incidents"] == 2  # counted anonymously in the totals
        assert SECRET not in str(body)
        assert ref not in str(body)
        text = people[name].get("/reports/summary", format="csv", **{"from": day, "to": day})
        rows = list(csv.reader(io.StringIO(text.content.decode())))
        assert [row[0] for row in rows[1:]] == ["INC-2"], rows
        page = browser(people[name]).get(f"/reports/?from={day}&to={day}").content.decode()
        assert SECRET not in page


# --- follow-ups, retrospectives, risks, regulatory reports ---------------------------------


def test_follow_ups_retrospectives_risks_and_regulatory_reports(
    people: dict[str, Api], ref: str
) -> None:
    aki = people["aki"]
    made = aki.post(f"/incidents/{ref}/followups", {"title": "Zanzibar ledger alarms"})
    assert made.status_code == 201, made.json()
    followup = made.json()["id"]
    started = aki.post(f"/incidents/{ref}/retrospective", {})
    assert started.status_code == 201, started.json()
    risk = aki.post("/risks", {"title": "Ledger single point", "incidents": [ref]}).json()
    regulatory = aki.post(f"/incidents/{ref}/regulatory-reports", {"stage": "initial"})
    assert regulatory.status_code == 201, regulatory.json()
    report_id = regulatory.json()["id"]

    for name, sees in {"vera": False, "sato": False, "pia": True, "aki": True}.items():
        api = people[name]
        listed = api.get("/followups").json()["items"]
        assert (followup in [f["id"] for f in listed]) is sees, name
        assert (api.get(f"/followups/{followup}").status_code == 200) is sees, name
        retros = api.get("/retrospectives").json()
        assert (ref in str(retros)) is sees, name
        assert (api.get(f"/incidents/{ref}/retrospective").status_code == 200) is sees, name
        assert (api.get(f"/regulatory-reports/{report_id}").status_code == 200) is sees, name
        # The register is shared: a link to a private incident is never listed there.
        shown = api.get(f"/risks/{risk['id']}").json()
        assert shown["incidents"] == [], name
        assert SECRET not in str(shown), name
    for name in ("vera", "sato"):
        client = browser(people[name])
        for path in ("/followups/", "/retrospectives/", f"/risks/{risk['id']}/"):
            page = client.get(path)
            assert page.status_code == 200, path
            assert SECRET not in page.content.decode(), path
        not_found(client.get(f"/incidents/{ref}/retrospective/"))
    # Editing the risk as someone who cannot see the incident keeps the hidden link.
    assert people["sato"].patch(f"/risks/{risk['id']}", {"incidents": []}).status_code == 200
    kept = Risk.objects.get(pk=risk["id"]).incidents.values_list("number", flat=True)
    assert [f"INC-{n}" for n in kept] == [ref]


# --- Slack ---------------------------------------------------------------------------------


@pytest.fixture
def slack_stub(settings: Any) -> Iterator[SlackStub]:
    """The Slack tests' stub of Slack's Web API, with Kizuki's settings pointed at it."""
    with SlackStub() as stub:
        settings.KIZUKI_SLACK_BOT_TOKEN = stub.token
        settings.KIZUKI_SLACK_SIGNING_SECRET = stub.signing_secret
        settings.KIZUKI_SLACK_API_URL = stub.url
        yield stub


@pytest.fixture
def slack(slack_stub: SlackStub, settings: Any) -> Slack:
    settings.LANGUAGE_CODE = "en"
    return Slack(slack_stub)


def test_its_slack_channel_is_private_and_not_announced(
    people: dict[str, Api], slack_stub: SlackStub, settings: Any, frozen_clock: MovableClock
) -> None:
    settings.LANGUAGE_CODE = "en"
    in_slack(slack_stub, "rei", "aki")
    announcements = slack_stub.add_channel("incidents")
    settings.KIZUKI_SLACK_ANNOUNCE_CHANNEL = "incidents"
    secret = private_incident(people["rei"], severity=2)
    public = people["rei"].post("/incidents", {"title": "Checkout slow", "severity": 2}).json()
    run_worker()
    created = {c["name"]: c for c in slack_stub.calls_to("conversations.create")}
    assert len(created) == 2
    secret_channel = slack_stub.channel_named(channel(secret).name)
    public_channel = slack_stub.channel_named(channel(public["number"]).name)
    assert secret_channel.is_private
    assert not public_channel.is_private
    told = " ".join(slack_stub.posts(announcements))
    assert public["number"] in told
    assert secret not in told
    assert "Zanzibar" not in told


def test_slash_commands_do_not_reveal_it(
    people: dict[str, Api], ref: str, slack: Slack, slack_stub: SlackStub
) -> None:
    slack_stub.add_user("U0SATO", "sato@example.test", "sato")
    slack_stub.add_user("U0PIA", "pia@example.test", "pia")
    slack_stub.add_user("U0REI", "rei@example.test", "rei")
    refused = ephemeral(slack.command(f"note {ref} hello", "U0SATO", "C0RANDOM"))
    assert refused == f":warning: No incident {ref}."
    assert SECRET not in refused
    in_channel = incident_channel(slack_stub, ref, "incident_20261125_zanzibar")
    assert "No incident" in ephemeral(slack.command("note hi", "U0SATO", in_channel))
    # pia sees it, but a viewer added to read it may not write on its timeline.
    read_only = ephemeral(slack.command(f"note {ref} me too", "U0PIA", "C0RANDOM"))
    assert (
        read_only
        == ":warning: Only responders and people on this incident can add to its timeline."
    )
    accepted = ephemeral(slack.command(f"note {ref} checked the ledger", "U0REI", "C0RANDOM"))
    assert "No incident" not in accepted
    notes = [e["text"] for e in people["aki"].get(f"/incidents/{ref}/timeline").json()]
    assert "checked the ledger" in notes
    assert "hello" not in notes


def _report_form(slack: Slack, user: str, **values: Any) -> dict[str, Any]:
    """Open the Slack report form as `user` and submit it: block id to text, `private` ticks."""
    slack.command("report", user, "C0GENERAL")
    view = slack.stub.calls_to("views.open")[-1]["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert "private" in {block.get("block_id") for block in view["blocks"]}
    state: dict[str, Any] = {}
    for block, value in values.items():
        if block == "private":
            ticked = [{"value": "private"}] if value else []
            state[block] = {"value": {"type": "checkboxes", "selected_options": ticked}}
        else:
            state[block] = {"value": {"type": "plain_text_input", "value": value}}
    payload = {
        "type": "view_submission",
        "user": {"id": user, "username": user.lower(), "team_id": "T0KIZUKI"},
        "view": {**view, "id": "V1", "state": {"values": state}},
    }
    response = slack.interaction(payload)
    assert response.status_code == 200
    return response.json() if response.content else {}


def test_the_slack_report_form_files_a_private_incident(
    people: dict[str, Api], slack: Slack, slack_stub: SlackStub
) -> None:
    slack_stub.add_user("U0REI", "rei@example.test", "rei")
    assert _report_form(slack, "U0REI", title=SECRET, private=True) == {}
    [found] = people["aki"].get("/incidents", text="zanzibar").json()["items"]
    assert found["private"] is True
    assert found["reporter"] == "rei"
    assert people["rei"].get(f"/incidents/{found['number']}").status_code == 200
    not_found(people["sato"].get(f"/incidents/{found['number']}"))
    # Unticked, it is public as before.
    assert _report_form(slack, "U0REI", title="Checkout blip", private=False) == {}
    assert people["sato"].get("/incidents", text="blip").json()["items"][0]["private"] is False
    # Someone without an account could not see it: they are told so, and nothing is filed.
    refused = _report_form(slack, "U0GUEST", title="Ledger gone", private=True)
    assert refused["response_action"] == "errors"
    assert "account" in refused["errors"]["private"]
    assert people["aki"].get("/incidents").json()["count"] == 2


# --- the CLI runs as the operator ----------------------------------------------------------


def test_the_cli_lists_it_for_the_operator_and_not_as_an_outsider(
    people: dict[str, Api], ref: str
) -> None:
    operator = io.StringIO()
    call_command("incident", "list", stdout=operator)
    assert SECRET in operator.getvalue()
    outsider = io.StringIO()
    call_command("incident", "list", "--as", "vera", stdout=outsider)
    assert SECRET not in outsider.getvalue()


# --- alert groups --------------------------------------------------------------------------


def test_an_alert_group_does_not_name_the_private_incident_it_opened(
    people: dict[str, Api], service: Service, frozen_clock: MovableClock
) -> None:
    aki = people["aki"]
    rule = aki.post(
        f"/services/{service.pk}/routing-rules", {"name": "Everything", "declare_severity": 2}
    )
    assert rule.status_code == 201, rule.json()
    path = integration(aki, service.pk, "alertmanager")[1]
    (group_id,) = accepted(path, alertmanager(am_alert("a")))["groups"]
    ref = aki.get(f"/alert-groups/{group_id}").json()["incident"]
    assert ref is not None  # public: named
    assert aki.patch(f"/incidents/{ref}", {"private": True}).status_code == 200
    for name in ("sato", "aki"):
        assert people[name].get(f"/alert-groups/{group_id}").json()["incident"] is None
        listed = people[name].get("/alert-groups").json()["items"]
        assert [g["incident"] for g in listed] == [None]
        page = browser(people[name]).get(f"/alerts/{group_id}/").content.decode()
        assert 'data-testid="incident-link"' not in page
    # Its own page still lists the alert group, for those who see it.
    assert aki.get(f"/incidents/{ref}").status_code == 200
    not_found(people["sato"].get(f"/incidents/{ref}"), title="HighErrorRate")


# --- automation rule runs ------------------------------------------------------------------


def test_automation_runs_on_it_are_left_out_for_outsiders(
    people: dict[str, Api], frozen_clock: MovableClock
) -> None:
    rule = people["aki"].post(
        "/automation-rules",
        {
            "name": "Ask for a follow-up",
            "event": "declared",
            "actions": [{"kind": "create_followup", "title": "Check the ledger"}],
        },
    )
    assert rule.status_code == 201, rule.json()
    secret = private_incident(people["rei"], severity=2)
    public = people["rei"].post("/incidents", {"title": "Checkout slow", "severity": 3}).json()
    run_worker()
    for name, expected in {
        "sato": [public["number"]],
        "rei": sorted([public["number"], secret]),
        "aki": sorted([public["number"], secret]),
    }.items():
        found = people[name].get(f"/automation-rules/{rule.json()['id']}/runs")
        assert found.status_code == 200, found.json()
        assert sorted(run["incident"] for run in found.json()["items"]) == expected, name
    page = browser(people["sato"]).get(f"/settings/automation/{rule.json()['id']}/")
    assert page.status_code == 200
    assert f'/incidents/{public["number"]}/">' in page.content.decode()
    assert f'/incidents/{secret}/">' not in page.content.decode()


# --- follow-up reminders -------------------------------------------------------------------


def reminded() -> dict[str, list[str]]:
    """Who got which reminder mail, by address, subject first then body."""
    found: dict[str, list[str]] = {}
    for message in mail.outbox:
        for address in message.to:
            found.setdefault(address.split("@")[0], []).append(f"{message.subject}\n{message.body}")
    return found


def test_the_owner_of_a_follow_up_is_made_a_participant_and_reminded(
    frozen_clock: MovableClock, people: dict[str, Api], ref: str, settings: Any
) -> None:
    """Assigning a follow-up of a private incident makes its owner a participant (on the
    record): they are told about it and can open it. The overdue reminder to the team reaches
    only the members who may see the incident."""
    settings.LANGUAGE_CODE = "en"
    team = accounts.create_team("ledger", "Ledger")
    for name in ("rei", "vera", "sato"):
        accounts.add_member(team, User.objects.get(username=name))
    not_found(people["sato"].get(f"/incidents/{ref}"))
    made = people["aki"].post(
        f"/incidents/{ref}/followups",
        {"title": "Reconcile the Zanzibar ledger", "owner": "sato", "team": "ledger"}
        | {"due_date": "2026-12-01", "due_date_reason": "Before the audit"},
    )
    assert made.status_code == 201, made.json()
    followup = made.json()["id"]
    assert people["sato"].get(f"/incidents/{ref}").json()["title"] == SECRET
    listed = people["aki"].get(f"/incidents/{ref}/participants").json()
    assert "sato" in str(listed)
    timeline = people["aki"].get(f"/incidents/{ref}/timeline").json()
    assert any("sato" in entry["text"] and "participant" in entry["text"] for entry in timeline)
    assert AuditEntry.objects.filter(action="incident.add_participant").count() == 2  # pia, sato

    frozen_clock.advance(days=4)  # three days before it is due: the owner
    run_worker()
    assert list(reminded()) == ["sato"]
    frozen_clock.advance(days=3)  # overdue: the owner and the team, but not vera
    mail.outbox.clear()
    run_worker()
    assert sorted(reminded()) == ["rei", "sato"]
    assert f"/followups/{followup}/" in reminded()["sato"][0]

    # Handing it to vera (a viewer not on it) lets her see it too, and she is reminded.
    moved = people["aki"].patch(f"/followups/{followup}", {"owner": "vera"})
    assert moved.status_code == 200, moved.json()
    assert people["vera"].get(f"/incidents/{ref}").status_code == 200
    assert followup in [f["id"] for f in people["vera"].get("/followups").json()["items"]]


def test_an_incident_made_private_keeps_its_owners_and_reminds_only_people_on_it(
    frozen_clock: MovableClock, people: dict[str, Api], settings: Any
) -> None:
    """A follow-up and a retrospective owned while the incident was public: making it private
    makes their owner a participant (on the record), so vera still opens them and is
    reminded; sato, on the team but not on the incident, is not, so never reads its title."""
    settings.LANGUAGE_CODE = "en"
    team = accounts.create_team("ledger", "Ledger")
    for name in ("rei", "vera", "sato"):
        accounts.add_member(team, User.objects.get(username=name))
    made = people["rei"].post("/incidents", {"title": SECRET, "severity": 2}).json()
    found = made["number"]
    followup = people["aki"].post(
        f"/incidents/{found}/followups",
        {"title": "Zanzibar ledger alarms", "owner": "vera", "team": "ledger"}
        | {"due_date": "2026-12-01", "due_date_reason": "Before the audit"},
    )
    assert followup.status_code == 201, followup.json()
    assert people["rei"].post(f"/incidents/{found}/retrospective", {}).status_code == 201
    chosen = people["aki"].patch(f"/incidents/{found}/retrospective", {"owner": "vera"})
    assert chosen.status_code == 200, chosen.json()

    changed = people["aki"].patch(f"/incidents/{found}", {"private": True})

    assert changed.status_code == 200, changed.json()
    listed = people["aki"].get(f"/incidents/{found}/participants").json()
    assert [p["user"] for p in listed if p["user"] == "vera"] == ["vera"]  # added once
    texts = [e["text"] for e in people["aki"].get(f"/incidents/{found}/timeline").json()]
    assert texts[-2:] == [
        "Made private: only its participants and admins see it.",
        "vera added as a participant.",
    ]
    assert people["vera"].get(f"/followups/{followup.json()['id']}").status_code == 200
    assert people["vera"].get(f"/incidents/{found}/retrospective").status_code == 200
    not_found(people["sato"].get(f"/incidents/{found}"))

    frozen_clock.advance(days=4)  # due soon: its owner
    run_worker()
    assert list(reminded()) == ["vera"]
    frozen_clock.advance(days=3)  # overdue: its owner and the team members on it
    mail.outbox.clear()
    run_worker()
    assert sorted(reminded()) == ["rei", "vera"]
    for message in mail.outbox:
        assert "Zanzibar" in f"{message.subject} {message.body}"  # only people on it read it


# --- drills --------------------------------------------------------------------------------


def test_a_private_drill_incident_is_not_named_in_the_drills_list_or_readiness(
    people: dict[str, Api],
) -> None:
    scenario = people["aki"].post("/drill-scenarios", {"title": "Ledger drill", "severity": 3})
    assert scenario.status_code == 201, scenario.json()
    drill = people["rei"].post("/drills", {"scenario": scenario.json()["id"]})
    assert drill.status_code == 201, drill.json()
    found = drill.json()["number"]
    changed = people["aki"].patch(f"/incidents/{found}", {"private": True})
    assert changed.status_code == 200, changed.json()

    for name, sees in {"vera": False, "sato": False, "rei": True, "aki": True}.items():
        api = people[name]
        listed = api.get("/drills").json()["items"]
        assert [d["title"] for d in listed] == ["Ledger drill"], name  # the drill was run
        assert listed[0]["number"] == (found if sees else None), name
        assert (listed[0]["incident_status"] is not None) is sees, name
        one = api.get(f"/drills/{drill.json()['id']}").json()
        assert one["number"] == (found if sees else None), name
        ready = api.get("/readiness").json()["last_drill"]
        assert ready["incident"] == (found if sees else None), name
        assert ready["title"] == "Ledger drill", name
        for path in ("/drills/", "/readiness/"):
            page = browser(api).get(path).content.decode()
            assert (f'/incidents/{found}/"' in page) is sees, (name, path)
            assert (f">{found}<" in page) is sees, (name, path)
            assert "Ledger drill" in page, (name, path)


def test_the_owner_of_its_retrospective_is_made_a_participant_and_only_people_on_it_reminded(
    frozen_clock: MovableClock, people: dict[str, Api], settings: Any
) -> None:
    """The overdue-retrospective reminders name the incident: its owner (made a participant
    when chosen) and the team members on it are reminded, vera (on the team, not on it) not."""
    settings.LANGUAGE_CODE = "en"
    team = accounts.create_team("ledger", "Ledger")
    for name in ("rei", "vera", "sato"):
        accounts.add_member(team, User.objects.get(username=name))
    found = resolved_incident(
        people["rei"], frozen_clock, title=SECRET, private=True, team="ledger"
    )
    start_retro(people["rei"], found)
    not_found(people["sato"].get(f"/incidents/{found}/retrospective"))
    chosen = people["aki"].patch(f"/incidents/{found}/retrospective", {"owner": "sato"})
    assert chosen.status_code == 200, chosen.json()
    assert people["sato"].get(f"/incidents/{found}/retrospective").status_code == 200
    assert "sato" in str(people["aki"].get(f"/incidents/{found}/participants").json())

    frozen_clock.advance(days=15)  # overdue: its owner
    run_worker()
    assert list(reminded()) == ["sato"]
    frozen_clock.advance(days=4)  # and then its team, but only the members on it
    mail.outbox.clear()
    run_worker()
    assert sorted(reminded()) == ["rei", "sato"]


def test_people_an_automation_rule_pages_for_it_may_open_it(
    people: dict[str, Api], frozen_clock: MovableClock
) -> None:
    """A rule that pages a policy about a private incident tells the people paged its title:
    like anyone paged for it, they are among its participants."""
    make_user("kei", "responder")
    policy = create_policy(people["aki"], "Database", [step(("user", "kei"))])
    action = {"kind": "page_policy", "policy": policy["id"]}
    rule = people["aki"].post(
        "/automation-rules", {"name": "DB", "event": "reported", "actions": [action]}
    )
    assert rule.status_code == 201, rule.json()
    found = private_incident(people["rei"])
    kei = english(api_for(User.objects.get(username="kei")))
    not_found(kei.get(f"/incidents/{found}"))
    run_worker()  # the rule runs
    run_worker()  # the escalation it started pages
    assert [m.to for m in mail.outbox] == [["kei@example.test"]]
    assert kei.get(f"/incidents/{found}").json()["title"] == SECRET
    not_found(people["sato"].get(f"/incidents/{found}"))
