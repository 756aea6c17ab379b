"""The escalation policy pages: list, new, edit with the step builder, delete. Everything
here goes through the pages as a browser without JavaScript would: read the form, change
fields, press a button."""

import pytest
from django.test import Client

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import Team, User
from kizuki.oncall.models import EscalationPolicy
from kizuki.oncall.queries import describe_policy
from kizuki.schedules.actions import LayerInput, create_schedule
from kizuki.schedules.models import Schedule
from tests.oncall.policy_page import fields, press

pytestmark = pytest.mark.django_db

NEW = "/escalation-policies/new/"


def browser(user: User | None, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def primary(responder: User) -> Schedule:
    return create_schedule(
        None, "Primary", "Asia/Tokyo", [LayerInput(users=["rei"], shift_length="1w")]
    )


@pytest.fixture
def payments(db: None) -> Team:
    return accounts.create_team("payments", "Payments")


def build_two_steps(web: Client, primary: Schedule) -> None:
    """Step 1: the Primary schedule and rei, wait 10; step 2: the payments team, wait 15."""
    page = web.get(NEW)
    page = press(web, NEW, page, "add-step", name="Checkout", repeat="1")
    created = press(
        web,
        NEW,
        page,
        name="Checkout",
        repeat="1",
        step_0_target_0_kind="schedule",
        step_0_target_0_id=f"schedule:{primary.pk}",
        step_0_target_1_kind="user",
        step_0_target_1_id="user:rei",
        step_0_wait="10",
        step_1_target_0_kind="team",
        step_1_target_0_id="team:payments",
        step_1_wait="15",
    )
    assert created.status_code == 302, created.content.decode()


def test_an_admin_builds_a_two_step_policy(admin: User, primary: Schedule, payments: Team) -> None:
    web = browser(admin)
    empty = fields(web.get(NEW).content.decode())
    # One empty step with two empty target slots, waiting 5 minutes if left empty.
    assert {"step-0-wait", "step-0-target-0-kind", "step-0-target-1-id"} <= set(empty)
    assert "step-1-wait" not in empty

    build_two_steps(web, primary)

    policy = EscalationPolicy.objects.get()
    assert describe_policy(policy) == {
        "name": "Checkout",
        "team": None,
        "repeat": 1,
        "steps": [
            {
                "wait_minutes": 10,
                "targets": [
                    {"type": "schedule", "id": primary.pk, "label": "Primary"},
                    {"type": "user", "id": "rei", "label": "rei"},
                ],
            },
            {
                "wait_minutes": 15,
                "targets": [{"type": "team", "id": "payments", "label": "Payments"}],
            },
        ],
    }
    detail = web.get(f"/escalation-policies/{policy.pk}/")
    html = detail.content.decode()
    assert "Escalation policy created." in html
    # The edit form shows the steps as rows ready to change, plus room for one more step.
    shown = fields(html)
    assert shown["step-0-target-0-id"] == f"schedule:{primary.pk}"
    assert shown["step-0-target-1-kind"] == "user"
    assert shown["step-0-target-1-id"] == "user:rei"
    assert shown["step-0-wait"] == "10"
    assert shown["step-1-target-0-id"] == "team:payments"
    assert shown["step-1-wait"] == "15"
    assert shown["step-2-wait"] == ""
    assert shown["repeat"] == "1"


def test_an_admin_reorders_steps_and_removes_a_target(
    admin: User, primary: Schedule, payments: Team
) -> None:
    web = browser(admin)
    build_two_steps(web, primary)
    policy = EscalationPolicy.objects.get()
    url = f"/escalation-policies/{policy.pk}/"

    moved = press(web, url, web.get(url), "up-1")
    assert moved.status_code == 200
    shown = fields(moved.content.decode())
    assert shown["step-0-target-0-id"] == "team:payments"
    assert shown["step-1-target-0-id"] == f"schedule:{primary.pk}"
    assert shown["step-1-wait"] == "10"

    removed = press(web, url, moved, "remove-target-1-0")
    shown = fields(removed.content.decode())
    assert shown["step-1-target-0-id"] == "user:rei"
    # Nothing is saved until Save.
    assert describe_policy(EscalationPolicy.objects.get())["steps"][0]["wait_minutes"] == 10

    saved = press(web, url, removed, name="Checkout (reordered)")
    assert saved.status_code == 302
    steps = describe_policy(EscalationPolicy.objects.get())["steps"]
    assert [[target["id"] for target in step["targets"]] for step in steps] == [
        ["payments"],
        ["rei"],
    ]
    assert [step["wait_minutes"] for step in steps] == [15, 10]
    assert EscalationPolicy.objects.get().name == "Checkout (reordered)"


def test_the_builder_buttons_work_without_javascript(admin: User, primary: Schedule) -> None:
    web = browser(admin)
    page = press(
        web,
        NEW,
        web.get(NEW),
        "add-step",
        name="Night",
        step_0_target_0_kind="user",
        step_0_target_0_id="user:rei",
        step_0_wait="7",
    )
    shown = fields(page.content.decode())
    assert shown["name"] == "Night"
    assert shown["step-0-target-0-id"] == "user:rei"
    assert {"step-1-wait", "step-1-target-1-kind"} <= set(shown)

    page = press(web, NEW, page, "add-target-0")
    assert "step-0-target-2-kind" in fields(page.content.decode())

    page = press(web, NEW, page, "down-0", step_1_target_0_kind="everyone", step_1_wait="3")
    shown = fields(page.content.decode())
    assert shown["step-0-target-0-kind"] == "everyone"
    assert shown["step-1-target-0-id"] == "user:rei"
    assert shown["step-1-wait"] == "7"

    page = press(web, NEW, page, "remove-step-0")
    shown = fields(page.content.decode())
    assert shown["step-0-target-0-id"] == "user:rei"
    assert shown["step-0-wait"] == "7"
    # The buttons change only the form on the page.
    assert not EscalationPolicy.objects.exists()

    # A stale page's button (a step that is no longer there) changes nothing.
    same = press(web, NEW, page, "remove-step-9")
    assert fields(same.content.decode()) == fields(page.content.decode())

    assert press(web, NEW, page).status_code == 302
    assert describe_policy(EscalationPolicy.objects.get())["steps"] == [
        {"wait_minutes": 7, "targets": [{"type": "user", "id": "rei", "label": "rei"}]}
    ]


@pytest.mark.parametrize(
    ("changes", "message", "where"),
    [
        (
            {"step_0_target_0_kind": "user", "step_0_target_0_id": "user:ghost"},
            "Unknown person ghost.",
            "step-0-target-0-error",
        ),
        (
            {
                "step_0_target_0_kind": "user",
                "step_0_target_0_id": "user:rei",
                "step_0_wait": "soon",
            },
            "Give the minutes as a whole number from 0 to 1440.",
            "step-0-wait-error",
        ),
        (
            {
                "step_0_target_0_kind": "user",
                "step_0_target_0_id": "user:rei",
                "step_0_wait": "5000",
            },
            "Give the minutes as a whole number from 0 to 1440.",
            "step-0-wait-error",
        ),
        (
            {"step_0_wait": "10"},
            "Choose at least one person, schedule, team or channel to page.",
            "step-0-error",
        ),
        (
            {"step_0_target_0_kind": "schedule"},
            "Choose a schedule.",
            "step-0-target-0-error",
        ),
        (
            {"step_0_target_0_kind": "channel"},
            "Type the channel&#x27;s name.",
            "step-0-target-0-error",
        ),
        ({}, "Add at least one step: whom to page first.", "steps-error"),
    ],
)
def test_an_error_is_shown_once_beside_its_step_and_keeps_the_input(
    admin: User, primary: Schedule, changes: dict[str, str], message: str, where: str
) -> None:
    web = browser(admin)
    page = press(web, NEW, web.get(NEW), name="Checkout", repeat="2", **changes)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count(message) == 1
    assert f'data-testid="{where}"><li>{message}</li>' in html
    assert "Not saved: see the marked fields below." in html
    shown = fields(html)
    assert shown["name"] == "Checkout"
    assert shown["repeat"] == "2"
    for name, value in changes.items():
        assert shown[name.replace("_", "-")] == value
    assert not EscalationPolicy.objects.exists()


def test_a_kind_left_empty_is_read_from_the_chosen_entry(admin: User, primary: Schedule) -> None:
    web = browser(admin)
    saved = press(
        web,
        NEW,
        web.get(NEW),
        name="Quick",
        step_0_target_0_id=f"schedule:{primary.pk}",
        step_0_target_1_channel="#ops",
    )
    assert saved.status_code == 302
    targets = describe_policy(EscalationPolicy.objects.get())["steps"][0]["targets"]
    assert [(target["type"], target["label"]) for target in targets] == [
        ("schedule", "Primary"),
        ("channel", "#ops"),
    ]


def test_full_width_digits_count_as_minutes(admin: User) -> None:
    """A Japanese keyboard may type the wait in full-width digits."""
    web = browser(admin, "ja")
    saved = press(
        web, NEW, web.get(NEW), name="全角", step_0_target_0_kind="everyone", step_0_wait="１０"
    )
    assert saved.status_code == 302
    assert describe_policy(EscalationPolicy.objects.get())["steps"][0]["wait_minutes"] == 10


def test_a_responder_may_only_change_policies_of_a_team_they_lead(
    responder: User, admin: User, primary: Schedule, payments: Team
) -> None:
    build_two_steps(browser(admin), primary)
    policy = EscalationPolicy.objects.get()
    url = f"/escalation-policies/{policy.pk}/"
    web = browser(responder)
    # Not a lead: the builder is not shown, and posting it (even a builder button) is refused.
    assert "step-0-wait" not in web.get(url).content.decode()
    assert web.post(url, {"name": "Mine", "repeat": "0", "op": "add-step"}).status_code == 403
    assert web.post(url, {"name": "Mine", "repeat": "0"}).status_code == 403
    mine = {"name": "Mine", "repeat": "0", "step-0-target-0-kind": "everyone"}
    assert web.post(NEW, mine).status_code == 403
    assert EscalationPolicy.objects.get().name == "Checkout"

    # A lead of payments changes payments' policies.
    accounts.add_member(payments, responder, is_lead=True)
    assert web.post(NEW, {**mine, "team": "payments"}).status_code == 302
    assert EscalationPolicy.objects.filter(name="Mine", team=payments).exists()


def test_viewers_see_policies_but_get_no_forms(
    viewer: User, admin: User, primary: Schedule, payments: Team
) -> None:
    build_two_steps(browser(admin), primary)
    policy = EscalationPolicy.objects.get()
    web = browser(viewer)
    listing = web.get("/escalation-policies/").content.decode()
    assert "Checkout" in listing
    assert "New escalation policy" not in listing
    detail = web.get(f"/escalation-policies/{policy.pk}/").content.decode()
    assert "Primary" in detail  # the steps, read-only
    assert not fields(detail)  # no edit form
    assert web.get(NEW).status_code == 403
    refused = web.post(f"/escalation-policies/{policy.pk}/", {"name": "Mine", "repeat": "0"})
    assert refused.status_code == 403
    assert web.post(f"/escalation-policies/{policy.pk}/delete/").status_code == 403
    assert EscalationPolicy.objects.get().name == "Checkout"
    assert browser(None).get("/escalation-policies/").status_code == 302
    assert web.get("/escalation-policies/999/").status_code == 404


def test_an_admin_deletes_a_policy(admin: User, primary: Schedule, payments: Team) -> None:
    web = browser(admin)
    build_two_steps(web, primary)
    policy = EscalationPolicy.objects.get()
    listing = web.get("/escalation-policies/").content.decode()
    assert "Checkout" in listing
    assert "New escalation policy" in listing
    deleted = web.post(f"/escalation-policies/{policy.pk}/delete/", follow=True)
    assert "Escalation policy deleted." in deleted.content.decode()
    assert not EscalationPolicy.objects.exists()
