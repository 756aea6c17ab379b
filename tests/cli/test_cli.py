"""The `kizuki` subcommands as an operator types them.

Each command runs in-process through Django's command runner (`call_command` with string
arguments goes through the same argument parser as the shell); the results are read back
through the API and the queries, as a user of the product would see them."""

import io
import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import translation

from kizuki.accounts.models import ApiToken, Membership, Team, User
from kizuki.alerts.models import Alert, AlertGroup, Integration, RoutingRule
from kizuki.catalog.models import Service
from kizuki.core import clock
from kizuki.core.models import AuditEntry
from kizuki.incidents.models import Incident
from kizuki.notify.models import NotificationRule
from kizuki.oncall.models import Escalation, EscalationPolicy
from kizuki.schedules.models import Schedule
from tests.alerts.support import BASE, accepted, alertmanager, am_alert
from tests.conftest import PASSWORD, Api, MovableClock, make_user
from tests.incidents.support import english, row_counts

pytestmark = pytest.mark.django_db


def kizuki(*argv: str) -> str:
    """Run `kizuki <argv…>` and return what it printed. English, so texts are predictable
    even when the Japanese catalogue is compiled."""
    out = io.StringIO()
    with translation.override("en"):
        call_command(*argv, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refused(*argv: str) -> str:
    """Run a command that must fail; returns its error message."""
    with pytest.raises(CommandError) as caught:
        kizuki(*argv)
    return str(caught.value)


def as_json(*argv: str) -> Any:
    return json.loads(kizuki(*argv, "--json"))


def everything() -> dict[str, int]:
    """Row counts of what the commands below may write."""
    return {
        **row_counts(),
        "User": User.objects.count(),
        "ApiToken": ApiToken.objects.count(),
        "Team": Team.objects.count(),
        "Service": Service.objects.count(),
        "Membership": Membership.objects.count(),
    }


def bearer(token: str) -> Api:
    return Api(Client(), token)


# --- user ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["viewer", "responder", "admin"])
def test_user_create_makes_a_user_with_that_role_who_can_log_in(role: str) -> None:
    out = kizuki(
        "user",
        "create",
        "kim",
        "--role",
        role,
        "--password",
        PASSWORD,
        "--email",
        "kim@example.test",
        "--name",
        "Kim Lee",
    )

    assert out == f"Created kim ({role}).\n"
    user = User.objects.get(username="kim")
    assert (user.org_role, user.email, user.first_name) == (role, "kim@example.test", "Kim Lee")
    assert user.is_staff is (role == "admin")
    assert Client().login(username="kim", password=PASSWORD)
    assert AuditEntry.objects.filter(action="user.create", object_id=str(user.pk)).exists()


def test_user_create_without_a_password_makes_an_account_nobody_can_log_in_to() -> None:
    kizuki("user", "create", "bot", "--role", "viewer")

    assert not User.objects.get(username="bot").has_usable_password()
    assert not Client().login(username="bot", password="")


def test_user_create_refuses_a_taken_username_and_changes_nothing(viewer: User) -> None:
    before = everything()

    message = refused("user", "create", "vera", "--role", "admin", "--password", "other-secret-1")

    assert message == "User vera already exists."
    assert everything() == before
    viewer.refresh_from_db()
    assert viewer.org_role == "viewer"
    assert Client().login(username="vera", password=PASSWORD)


def test_user_create_refuses_an_unknown_role() -> None:
    message = refused("user", "create", "kim", "--role", "boss")

    assert message == "Unknown role boss; use one of viewer, responder, admin."
    assert not User.objects.filter(username="kim").exists()


def test_user_create_needs_a_role() -> None:
    message = refused("user", "create", "kim")

    assert "--role" in message
    assert not User.objects.filter(username="kim").exists()


def test_user_password_sets_a_new_password(responder: User) -> None:
    out = kizuki("user", "password", "rei", "--password", "a-brand-new-passphrase")

    assert out == "Password set for rei.\n"
    assert Client().login(username="rei", password="a-brand-new-passphrase")
    assert not Client().login(username="rei", password=PASSWORD)


def test_user_password_for_an_unknown_user_is_an_error() -> None:
    assert refused("user", "password", "ghost", "--password", "whatever-1") == "Unknown user ghost."


# --- token --------------------------------------------------------------------------------


def test_token_create_prints_a_token_that_authenticates_against_the_api(
    responder: User, service: Service
) -> None:
    kizuki("incident", "report", "Checkout fails", "--service", "checkout")

    token = kizuki("token", "create", "rei", "--name", "laptop").strip()

    assert token.startswith("kzk_")
    assert ApiToken.objects.get(user=responder).name == "laptop"
    listed = bearer(token).get("/incidents")
    assert listed.status_code == 200, listed.json()
    assert [item["number"] for item in listed.json()["items"]] == ["INC-1"]
    # The token acts as its user: reporting through it records rei as the reporter.
    made = bearer(token).post("/incidents", {"title": "Search is slow"})
    assert made.status_code == 201, made.json()
    assert made.json()["reporter"] == "rei"
    # A token that was never printed does not work.
    assert bearer(token + "x").get("/incidents").status_code == 401


def test_each_token_create_prints_a_new_token(responder: User) -> None:
    first = kizuki("token", "create", "rei").strip()
    second = kizuki("token", "create", "rei").strip()

    assert first != second
    assert ApiToken.objects.filter(user=responder).count() == 2
    assert bearer(first).get("/incidents").status_code == 200
    assert bearer(second).get("/incidents").status_code == 200


def test_token_create_for_an_unknown_user_is_an_error() -> None:
    assert refused("token", "create", "ghost") == "Unknown user ghost."
    assert ApiToken.objects.count() == 0


# --- incident report ----------------------------------------------------------------------


def test_report_without_a_severity_files_a_report(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    out = as_json(
        "incident", "report", "Checkout fails", "--description", "HTTP 500", "--as", "rei"
    )

    assert out["number"] == "INC-1"
    assert (out["status"], out["severity"], out["severity_label"]) == ("reported", None, None)
    assert (out["reporter"], out["description"], out["is_drill"]) == ("rei", "HTTP 500", False)
    assert out["reported_at"] == "2026-11-25T01:00:00Z"
    assert responder_api.get("/incidents/INC-1").json() == out


def test_report_prints_one_line_without_json(responder: User) -> None:
    assert kizuki("incident", "report", "Checkout fails", "--as", "rei") == (
        "INC-1  reported  -  Checkout fails\n"
    )


def test_report_with_severity_service_and_drill_declares_at_once(
    responder: User, responder_api: Api, service: Service, frozen_clock: MovableClock
) -> None:
    out = as_json(
        "incident",
        "report",
        "Checkout fails",
        "--severity",
        "2",
        "--service",
        "checkout",
        "--drill",
        "--as",
        "rei",
    )

    assert (out["status"], out["severity"]) == ("declared", 2)
    assert out["severity_label"] == "SEV2 Major"
    assert (out["services"], out["team"], out["is_drill"]) == (["checkout"], "payments", True)
    assert out["declared_at"] == "2026-11-25T01:00:00Z"
    stored = responder_api.get("/incidents/INC-1").json()
    assert (stored["status"], stored["severity"], stored["is_drill"]) == ("declared", 2, True)


def test_report_without_as_runs_as_the_system(viewer_api: Api) -> None:
    out = as_json("incident", "report", "Disk almost full", "--severity", "4")

    assert (out["status"], out["reporter"]) == ("declared", None)
    assert viewer_api.get("/incidents/INC-1").json()["status"] == "declared"


def test_report_by_a_viewer_with_a_severity_is_refused(viewer: User) -> None:
    before = everything()

    message = refused("incident", "report", "Checkout fails", "--severity", "1", "--as", "vera")

    assert message == "This needs the Responder role."
    assert everything() == before


def test_report_by_a_viewer_without_a_severity_is_welcome(viewer: User) -> None:
    out = as_json("incident", "report", "The shop looks odd", "--as", "vera")

    assert (out["status"], out["reporter"]) == ("reported", "vera")


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        (["--service", "nope"], "Unknown service: nope."),
        (["--team", "nope"], "Unknown team nope."),
        (["--severity", "9"], "Unknown severity 9; use one of 1, 2, 3, 4, 5."),
    ],
)
def test_report_with_unknown_references_changes_nothing(
    responder: User, service: Service, extra: list[str], error: str
) -> None:
    before = everything()

    assert refused("incident", "report", "Checkout fails", *extra, "--as", "rei") == error
    assert everything() == before


def test_report_needs_a_title(responder: User) -> None:
    before = everything()

    assert refused("incident", "report", "   ", "--as", "rei") == "A title is required."
    assert everything() == before


# --- declare and transition ---------------------------------------------------------------


def test_declare_sets_the_severity(responder: User, responder_api: Api) -> None:
    kizuki("incident", "report", "Checkout fails", "--as", "rei")

    out = kizuki("incident", "declare", "INC-1", "--severity", "2", "--as", "rei")

    assert out == "INC-1  declared  SEV2 Major  Checkout fails\n"
    stored = responder_api.get("/incidents/INC-1").json()
    assert (stored["status"], stored["severity"]) == ("declared", 2)


def test_declare_accepts_the_bare_number_and_a_note(responder: User, responder_api: Api) -> None:
    kizuki("incident", "report", "Checkout fails", "--as", "rei")

    out = as_json(
        "incident", "declare", "1", "--severity", "3", "--note", "Paging payments", "--as", "rei"
    )

    assert (out["number"], out["status"], out["severity"]) == ("INC-1", "declared", 3)
    timeline = english(responder_api).get("/incidents/INC-1/timeline").json()
    assert timeline[-1]["text"] == "Declared as SEV3. Note: Paging payments"


def test_transition_walks_the_whole_lifecycle(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    kizuki("incident", "report", "Checkout fails", "--as", "rei")
    steps = [
        (["acknowledged"], "acknowledged", "acknowledged_at", "-"),
        (["declared", "--severity", "3"], "declared", "declared_at", "SEV3 Moderate"),
        (["mitigated", "--note", "Rolled back"], "mitigated", "mitigated_at", "SEV3 Moderate"),
        (["resolved"], "resolved", "resolved_at", "SEV3 Moderate"),
        (["closed"], "closed", "closed_at", "SEV3 Moderate"),
    ]
    for args, status, stamp, severity in steps:
        now = frozen_clock.advance(minutes=1)
        out = kizuki("incident", "transition", "INC-1", *args, "--as", "rei")
        assert out == f"INC-1  {status}  {severity}  Checkout fails\n"
        stored = responder_api.get("/incidents/INC-1").json()
        assert stored["status"] == status
        assert stored[stamp] == now.isoformat().replace("+00:00", "Z")

    events = [e["text"] for e in english(responder_api).get("/incidents/INC-1/timeline").json()]
    assert events == [
        "Incident reported.",
        "Status changed to Acknowledged.",
        "Declared as SEV3.",
        "Status changed to Mitigated. Note: Rolled back",
        "Status changed to Resolved.",
        "Status changed to Closed.",
    ]


def test_reopening_a_resolved_incident(responder: User) -> None:
    kizuki("incident", "report", "Checkout fails", "--severity", "2", "--as", "rei")
    kizuki("incident", "transition", "INC-1", "resolved", "--as", "rei")

    out = as_json("incident", "transition", "INC-1", "reopened", "--as", "rei")

    assert (out["status"], out["mitigated_at"], out["resolved_at"]) == ("declared", None, None)


def test_a_refused_transition_is_an_error_and_changes_nothing(
    responder: User, responder_api: Api
) -> None:
    kizuki("incident", "report", "Checkout fails", "--as", "rei")
    before = everything()

    message = refused("incident", "transition", "INC-1", "closed", "--as", "rei")

    assert message == (
        "INC-1 is Reported and cannot move to closed; allowed: acknowledged, declared, false_alarm."
    )
    assert everything() == before
    assert responder_api.get("/incidents/INC-1").json()["status"] == "reported"


def test_declaring_without_a_severity_is_refused(responder: User) -> None:
    kizuki("incident", "report", "Checkout fails", "--as", "rei")
    before = everything()

    message = refused("incident", "transition", "INC-1", "declared", "--as", "rei")

    assert message == "Declaring an incident needs a severity."
    assert everything() == before


def test_an_unknown_transition_name_is_rejected_by_the_parser(responder: User) -> None:
    kizuki("incident", "report", "Checkout fails", "--as", "rei")

    message = refused("incident", "transition", "INC-1", "explode", "--as", "rei")

    assert "invalid choice: 'explode'" in message
    assert Incident.objects.get().status == "reported"


def test_a_viewer_cannot_declare(viewer: User, viewer_api: Api) -> None:
    kizuki("incident", "report", "Checkout fails", "--as", "vera")
    before = everything()

    message = refused("incident", "declare", "INC-1", "--severity", "2", "--as", "vera")

    assert message == "This needs the Responder role."
    assert everything() == before
    stored = viewer_api.get("/incidents/INC-1").json()
    assert (stored["status"], stored["severity"]) == ("reported", None)


def test_acting_as_an_unknown_user_is_an_error(responder: User) -> None:
    kizuki("incident", "report", "Checkout fails", "--as", "rei")
    before = everything()

    assert refused("incident", "declare", "INC-1", "--severity", "2", "--as", "ghost") == (
        "Unknown user ghost."
    )
    assert everything() == before


def test_acting_as_a_deactivated_user_is_an_error(responder: User) -> None:
    kizuki("incident", "report", "Checkout fails", "--as", "rei")
    User.objects.filter(username="rei").update(is_active=False)

    assert refused("incident", "declare", "INC-1", "--severity", "2", "--as", "rei") == (
        "Unknown user rei."
    )
    assert Incident.objects.get().status == "reported"


def test_an_unknown_incident_is_an_error(responder: User) -> None:
    assert refused("incident", "declare", "INC-42", "--severity", "2", "--as", "rei") == (
        "No incident INC-42."
    )
    assert refused("incident", "show", "INC-42") == "No incident INC-42."


# --- roles, notes, status updates ---------------------------------------------------------


def test_role_assigns_and_hands_over(responder: User, admin: User, responder_api: Api) -> None:
    kizuki("incident", "report", "Checkout fails", "--severity", "2", "--as", "rei")

    out = as_json("incident", "role", "INC-1", "incident_commander", "rei", "--as", "rei")
    assert [(r["role"], r["user"]) for r in out["roles"]] == [("incident_commander", "rei")]

    kizuki("incident", "role", "INC-1", "incident_commander", "aki", "--as", "rei")
    roles = responder_api.get("/incidents/INC-1").json()["roles"]
    assert [(r["role"], r["user"]) for r in roles] == [("incident_commander", "aki")]
    timeline = english(responder_api).get("/incidents/INC-1/timeline").json()
    assert [e["text"] for e in timeline[-2:]] == [
        "rei assigned as Incident Commander.",
        "Incident Commander handed over from rei to aki.",
    ]


def test_role_for_an_unknown_user_is_an_error_and_changes_nothing(responder: User) -> None:
    kizuki("incident", "report", "Checkout fails", "--severity", "2", "--as", "rei")
    before = everything()

    message = refused("incident", "role", "INC-1", "incident_commander", "ghost", "--as", "rei")

    assert message == "Unknown user ghost."
    assert everything() == before


def test_an_unknown_role_is_an_error(responder: User) -> None:
    kizuki("incident", "report", "Checkout fails", "--severity", "2", "--as", "rei")
    before = everything()

    message = refused("incident", "role", "INC-1", "captain", "rei", "--as", "rei")

    assert message.startswith("Unknown role captain; use one of incident_commander, ")
    assert everything() == before


def test_a_viewer_cannot_assign_roles(viewer: User) -> None:
    kizuki("incident", "report", "Checkout fails", "--severity", "2")
    before = everything()

    message = refused("incident", "role", "INC-1", "incident_commander", "vera", "--as", "vera")

    assert message == "This needs the Responder role."
    assert everything() == before


@pytest.mark.parametrize(
    "at", ["2026-11-25T09:40:00+09:00", "2026-11-25T00:40Z", "2026-11-25T09:40"]
)
def test_note_at_a_past_time_is_placed_where_it_happened(
    responder: User, responder_api: Api, frozen_clock: MovableClock, at: str
) -> None:
    """A time without a zone is read in the installation's zone (Asia/Tokyo)."""
    kizuki("incident", "report", "Checkout fails", "--as", "rei")

    kizuki("incident", "note", "INC-1", "First 500s in the logs", "--at", at, "--as", "rei")

    timeline = english(responder_api).get("/incidents/INC-1/timeline").json()
    assert [(e["kind"], e["text"], e["occurred_at"]) for e in timeline] == [
        ("note", "First 500s in the logs", "2026-11-25T00:40:00Z"),
        ("change", "Incident reported.", "2026-11-25T01:00:00Z"),
    ]
    assert timeline[0]["created_at"] == "2026-11-25T01:00:00Z"
    assert timeline[0]["author"] == "rei"


def test_note_without_at_is_now(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    kizuki("incident", "report", "Checkout fails", "--as", "rei")
    frozen_clock.advance(minutes=3)

    kizuki("incident", "note", "INC-1", "Restarted the pods", "--as", "rei")

    last = responder_api.get("/incidents/INC-1/timeline").json()[-1]
    assert (last["text"], last["occurred_at"]) == ("Restarted the pods", "2026-11-25T01:03:00Z")


EXAMPLE = "(e.g. 2026-11-25T10:00+09:00)."


@pytest.mark.parametrize(
    ("at", "error"),
    [
        ("yesterday", f"Not an ISO 8601 time: 'yesterday' {EXAMPLE}"),
        ("2026-11-25T25:00", f"Not an ISO 8601 time: '2026-11-25T25:00' {EXAMPLE}"),
        ("2026-11-25T10:30+09:00", "A timeline entry cannot be in the future."),
    ],
)
def test_note_with_a_bad_time_is_an_error_and_changes_nothing(
    responder: User, frozen_clock: MovableClock, at: str, error: str
) -> None:
    kizuki("incident", "report", "Checkout fails", "--as", "rei")
    before = everything()

    assert refused("incident", "note", "INC-1", "Something", "--at", at, "--as", "rei") == error
    assert everything() == before


def test_the_reporter_may_add_notes_but_other_viewers_may_not(viewer: User) -> None:
    make_user("otto", "viewer")
    kizuki("incident", "report", "The shop looks odd", "--as", "vera")

    kizuki("incident", "note", "INC-1", "Also on mobile", "--as", "vera")
    before = everything()
    message = refused("incident", "note", "INC-1", "Me too", "--as", "otto")

    assert message == "Only responders and people on this incident can add to its timeline."
    assert everything() == before


def test_status_with_next_posts_an_update(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    kizuki("incident", "report", "Checkout fails", "--severity", "2", "--as", "rei")

    out = as_json(
        "incident",
        "status",
        "INC-1",
        "Investigating the payment gateway",
        "--next",
        "2026-11-25T10:30+09:00",
        "--as",
        "rei",
    )

    latest = out["latest_status_update"]
    assert latest["text"] == "Investigating the payment gateway"
    assert latest["next_update_at"] == "2026-11-25T01:30:00Z"
    assert (latest["status"], latest["author"]) == ("declared", "rei")
    assert responder_api.get("/incidents/INC-1").json()["latest_status_update"] == latest


def test_status_with_a_past_next_time_is_an_error(
    responder: User, frozen_clock: MovableClock
) -> None:
    kizuki("incident", "report", "Checkout fails", "--severity", "2", "--as", "rei")
    before = everything()

    message = refused(
        "incident",
        "status",
        "INC-1",
        "Investigating",
        "--next",
        "2026-11-25T09:00+09:00",
        "--as",
        "rei",
    )

    assert message == "The next update must be a future time with its time zone."
    assert everything() == before


def test_a_viewer_cannot_post_status_updates(viewer: User) -> None:
    kizuki("incident", "report", "Checkout fails", "--severity", "2")
    before = everything()

    assert refused("incident", "status", "INC-1", "All fine", "--as", "vera") == (
        "This needs the Responder role."
    )
    assert everything() == before


# --- list and show ------------------------------------------------------------------------


def test_list_filters_by_status_as_json(viewer: User, service: Service) -> None:
    kizuki("incident", "report", "Checkout fails", "--severity", "2", "--service", "checkout")
    kizuki("incident", "report", "Search is slow")
    kizuki("incident", "report", "Login errors", "--severity", "3")
    kizuki("incident", "report", "Old one", "--severity", "4")
    kizuki("incident", "transition", "INC-4", "resolved")

    declared = as_json("incident", "list", "--status", "declared", "--as", "vera")

    assert [(i["number"], i["status"], i["severity"]) for i in declared] == [
        ("INC-3", "declared", 3),
        ("INC-1", "declared", 2),
    ]
    everything_listed = as_json("incident", "list")
    assert [i["number"] for i in everything_listed] == ["INC-4", "INC-3", "INC-2", "INC-1"]
    assert [i["number"] for i in as_json("incident", "list", "--service", "checkout")] == ["INC-1"]
    assert [i["number"] for i in as_json("incident", "list", "--text", "search")] == ["INC-2"]
    assert [i["number"] for i in as_json("incident", "list", "--severity", "4")] == ["INC-4"]
    assert [i["number"] for i in as_json("incident", "list", "--limit", "2")] == ["INC-4", "INC-3"]
    assert as_json("incident", "list", "--status", "closed") == []


def test_list_prints_one_line_per_incident() -> None:
    kizuki("incident", "report", "Checkout fails", "--severity", "2")
    kizuki("incident", "report", "Search is slow")

    assert kizuki("incident", "list") == (
        "INC-2  reported  -  Search is slow\nINC-1  declared  SEV2 Major  Checkout fails\n"
    )


@pytest.mark.parametrize("limit", ["0", "-1", "many"])
def test_list_with_a_bad_limit_is_an_error(limit: str) -> None:
    kizuki("incident", "report", "Checkout fails")

    assert "argument --limit" in refused("incident", "list", "--limit", limit)


def test_list_with_an_unknown_status_is_an_error() -> None:
    message = refused("incident", "list", "--status", "broken")

    assert message.startswith("Unknown status broken; use one of reported, acknowledged, ")


def test_show_prints_roles_and_the_timeline_in_local_time(
    responder: User, frozen_clock: MovableClock
) -> None:
    kizuki("incident", "report", "Checkout fails", "--as", "rei")
    kizuki(
        "incident", "note", "INC-1", "Alert fired", "--at", "2026-11-25T09:55+09:00", "--as", "rei"
    )
    frozen_clock.advance(minutes=5)
    kizuki("incident", "declare", "INC-1", "--severity", "2", "--as", "rei")
    kizuki("incident", "role", "INC-1", "incident_commander", "rei", "--as", "rei")

    out = kizuki("incident", "show", "INC-1", "--as", "rei")

    assert out.splitlines() == [
        "INC-1  declared  SEV2 Major  Checkout fails",
        "  Incident Commander: rei",
        "  2026-11-25 09:55  Alert fired",
        "  2026-11-25 10:00  Incident reported.",
        "  2026-11-25 10:05  Declared as SEV2.",
        "  2026-11-25 10:05  rei assigned as Incident Commander.",
    ]


def test_show_json_is_exactly_what_the_api_returns(responder: User, responder_api: Api) -> None:
    """Real clock on purpose: microseconds must be rendered the way the API renders them."""
    kizuki("incident", "report", "Checkout fails", "--severity", "1", "--as", "rei")
    kizuki("incident", "status", "INC-1", "Looking into it", "--as", "rei")

    shown = as_json("incident", "show", "INC-1")

    assert shown == english(responder_api).get("/incidents/INC-1").json()
    assert shown["latest_status_update"]["text"] == "Looking into it"
    listed = as_json("incident", "list")
    assert listed == english(responder_api).get("/incidents").json()["items"]


# --- demo ---------------------------------------------------------------------------------


DEMO_LOGIN = re.compile(r"user:\s+(\S+)\n\s+password:\s+(\S+)\n\s+API token:\s+(\S+)")
DEMO_WEBHOOK = re.compile(r"\nAlertmanager webhook URL: (\S+)\n")
DEMO_SCHEDULE = "決済 一次オンコール / Payments primary"
DEMO_POLICY = "決済 エスカレーション / Payments escalation"


def demo_counts() -> dict[str, int]:
    paging = (
        Schedule,
        EscalationPolicy,
        NotificationRule,
        Integration,
        RoutingRule,
        AlertGroup,
        Alert,
        Escalation,
    )
    return {
        **everything(),
        "Audit": AuditEntry.objects.count(),
        **{model.__name__: model.objects.count() for model in paging},
    }


def test_demo_load_fills_an_empty_installation_once() -> None:
    out = kizuki("demo", "load")

    login = DEMO_LOGIN.search(out)
    assert login, out
    username, password, token = login.groups()
    assert username == "admin"
    roles = dict(User.objects.values_list("username", "org_role"))
    assert roles == {
        "admin": "admin",
        "sato": "responder",
        "tanaka": "responder",
        "emma": "responder",
        "suzuki": "viewer",
    }
    statuses = set(Incident.objects.values_list("status", flat=True))
    assert {"reported", "declared", "mitigated", "closed", "false_alarm"} <= statuses
    assert Incident.objects.filter(is_drill=True).exists()

    # The printed password works for every demo user, the printed token for the API.
    for name in roles:
        assert Client().login(username=name, password=password), name
    listed = bearer(token).get("/incidents", page_size=100)
    assert listed.status_code == 200, listed.json()
    assert listed.json()["count"] == Incident.objects.count() >= 5
    web = Client(headers={"Accept-Language": "en"})
    web.login(username="admin", password=password)
    assert web.get("/").status_code == 200

    # The printed webhook URL takes Alertmanager's payloads for checkout (paged by its policy).
    webhook = DEMO_WEBHOOK.search(out)
    assert webhook, out
    url = webhook.group(1)
    assert re.fullmatch(re.escape(BASE) + r"/integrations/kzi_\S+/alertmanager", url), url
    payload = alertmanager(am_alert("demo-disk", "Disk almost full", severity="warning"))
    (group_id,) = accepted(url.removeprefix(BASE), payload)["groups"]
    sent = bearer(token).get(f"/alert-groups/{group_id}").json()
    assert (sent["service"], sent["status"], sent["escalation_status"]) == (
        "checkout",
        "firing",
        "active",
    )

    before = demo_counts()
    again = kizuki("demo", "load")

    assert again.startswith("Demo data is already loaded.")
    assert password not in again
    assert url not in again
    assert demo_counts() == before
    assert Client().login(username="admin", password=password)


def test_demo_history_lies_before_now_and_leaves_the_clock_alone(
    frozen_clock: MovableClock,
) -> None:
    kizuki("demo", "load")

    assert clock.now() == frozen_clock.now
    reported = Incident.objects.values_list("reported_at", flat=True)
    assert max(reported) < frozen_clock.now
    # The oldest: last month's payment slowdown, whose retrospective is in review.
    assert min(reported) == datetime(2026, 10, 26, 1, 0, tzinfo=UTC)
    opened = AlertGroup.objects.values_list("created_at", flat=True)
    assert min(reported) < min(opened) <= max(opened) < frozen_clock.now
    assert max(Alert.objects.values_list("last_received_at", flat=True)) < frozen_clock.now


def test_demo_pages_checkout_through_a_schedule_and_an_escalation_policy(
    frozen_clock: MovableClock,
) -> None:
    """Loaded on Wednesday 2026-11-25 10:00 in Tokyo; read back as the demo admin."""
    login = DEMO_LOGIN.search(kizuki("demo", "load"))
    assert login
    api = english(bearer(login.group(3)))

    (schedule,) = api.get("/schedules").json()["items"]
    assert (schedule["name"], schedule["time_zone"], schedule["team"]) == (
        DEMO_SCHEDULE,
        "Asia/Tokyo",
        "payments",
    )
    layers = [
        (layer["users"], layer["shift_length"], layer["handoff_time"], layer["holidays"])
        for layer in schedule["layers"]
    ]
    assert layers == [(["sato", "tanaka"], "1w", "10:00", "any"), (["emma"], "1d", "10:00", "only")]
    assert {layer["start"] for layer in schedule["layers"]} == {"2026-11-09"}  # a Monday

    def on_call(at: str) -> list[str]:
        answer = api.get(f"/schedules/{schedule['id']}/oncall", at=at)
        assert answer.status_code == 200, answer.json()
        users: list[str] = answer.json()["users"]
        return users

    assert on_call("2026-11-25T10:00:00+09:00") == ["sato"]
    assert on_call("2026-11-30T09:59:00+09:00") == ["sato"]  # hands off Monday 10:00
    assert on_call("2026-11-30T10:00:00+09:00") == ["tanaka"]
    assert on_call("2026-11-23T12:00:00+09:00") == ["emma"]  # Labour Thanksgiving Day

    (policy,) = api.get("/escalation-policies").json()["items"]
    steps = [
        ([(target["type"], target["id"]) for target in step["targets"]], step["wait_minutes"])
        for step in policy["steps"]
    ]
    assert (policy["name"], policy["team"], policy["repeat"]) == (DEMO_POLICY, "payments", 1)
    assert steps == [
        ([("schedule", schedule["id"])], 5),
        ([("user", "tanaka"), ("user", "emma")], 10),
    ]

    for name in ("sato", "tanaka", "emma"):
        rules = api.get(f"/users/{name}/notification-rules").json()
        assert [(r["method"], r["address"], r["delay_minutes"]) for r in rules] == [
            ("email", "", 0)
        ], name

    services = {s["slug"]: s for s in api.get("/services").json()["items"]}
    checkout = services["checkout"]
    assert checkout["escalation_policy_name"] == DEMO_POLICY
    integrations = api.get(f"/services/{checkout['id']}/integrations").json()
    assert [(i["kind"], i["name"], i["is_active"]) for i in integrations] == [
        ("alertmanager", "Alertmanager", True),
        ("grafana", "旧環境の Grafana / old Grafana", False),
    ]
    rules = api.get(f"/services/{checkout['id']}/routing-rules").json()
    assert [(r["match_labels"], r["declare_severity"]) for r in rules] == [
        ({"severity": "critical"}, 2)
    ]

    groups = api.get("/alert-groups").json()["items"]
    assert [
        (
            g["status"],
            g["title"],
            g["alert_count"],
            g["acknowledged_by"],
            g["escalation_status"],
            g["incident"],
        )
        for g in groups
    ] == [
        ("firing", "決済APIの5xxエラー率が5%を超えています", 1, None, "active", "INC-8"),
        ("acknowledged", "Checkout API p99 latency above 3s", 2, "tanaka", "acknowledged", None),
        ("resolved", "Checkout database replica pg-2 is 45s behind", 1, "sato", "resolved", None),
    ]
    assert {(g["service"], g["integration"]) for g in groups} == {("checkout", "Alertmanager")}
    firing, acknowledged, resolved = (api.get(f"/alert-groups/{g['id']}").json() for g in groups)
    assert firing["created_at"] == "2026-11-25T00:45:00Z"
    assert [e["kind"] for e in firing["escalation_history"]] == ["triggered"]
    assert [(e["kind"], e["user"]) for e in acknowledged["escalation_history"]] == [
        ("triggered", None),
        ("acknowledged", "tanaka"),
    ]
    assert [(e["kind"], e["user"]) for e in resolved["escalation_history"]] == [
        ("triggered", None),
        ("acknowledged", "sato"),
        ("resolved", None),
    ]
    assert [a["status"] for a in resolved["alerts"]] == ["resolved"]
    # What Alertmanager sent is kept as it came.
    assert firing["alerts"][0]["labels"]["alertname"] == "CheckoutHighErrorRate"
    assert firing["alerts"][0]["url"].startswith("http://prometheus.example.com:9090/graph?")

    # The critical alert declared a SEV2 incident on checkout through the routing rule.
    incident = api.get("/incidents/INC-8").json()
    assert (incident["status"], incident["severity"], incident["services"]) == (
        "declared",
        2,
        ["checkout"],
    )
    assert incident["title"] == "決済APIの5xxエラー率が5%を超えています"


def test_demo_load_over_a_clashing_user_fails_cleanly(responder: User) -> None:
    """A `sato` made by hand: the load stops with a message and leaves no half-loaded demo."""
    make_user("sato", "viewer")
    before = demo_counts()

    message = refused("demo", "load")

    assert message == "User sato already exists."
    assert demo_counts() == before
    assert not User.objects.filter(username="admin").exists()


def test_the_demo_token_acts_as_the_admin() -> None:
    token = DEMO_LOGIN.search(kizuki("demo", "load"))
    assert token
    made = bearer(token.group(3)).post("/incidents", {"title": "From the token", "severity": 1})

    assert made.status_code == 201, made.json()
    assert made.json()["reporter"] == "admin"


def test_user_create_refuses_a_weak_password(db: None) -> None:
    message = refused("user", "create", "kim", "--role", "viewer", "--password", "12345678")
    assert "too common" in message or "entirely numeric" in message
    assert not User.objects.filter(username="kim").exists()
