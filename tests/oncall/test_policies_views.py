"""The escalation policy pages: list, new, edit (steps typed one per line), delete."""

import pytest
from django.test import Client

from kizuki.accounts.models import User
from kizuki.oncall.forms import format_steps, parse_steps
from kizuki.oncall.models import EscalationPolicy, EscalationStep
from kizuki.oncall.queries import describe_policy
from kizuki.schedules.actions import LayerInput, create_schedule

pytestmark = pytest.mark.django_db


def browser(user: User | None, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    if user is not None:
        client.force_login(user)
    return client


STEPS = "schedule:Primary, user:rei | 10\n\n  team:payments|15\neveryone\n"


@pytest.fixture
def schedule(responder: User) -> None:
    create_schedule(None, "Primary", "Asia/Tokyo", [LayerInput(users=["rei"], shift_length="1w")])


def test_the_step_lines_parse_and_print_back() -> None:
    steps = parse_steps(STEPS)
    assert steps == [
        {
            "targets": [{"type": "schedule", "id": "Primary"}, {"type": "user", "id": "rei"}],
            "wait_minutes": 10,
        },
        {"targets": [{"type": "team", "id": "payments"}], "wait_minutes": 15},
        {"targets": [{"type": "everyone", "id": None}], "wait_minutes": 5},
    ]


def test_an_admin_creates_edits_and_deletes_a_policy_through_the_pages(
    admin: User, schedule: None
) -> None:
    web = browser(admin)
    web.post("/escalation-policies/new/", {"name": "Bad", "repeat": "0", "steps": "user:ghost"})
    assert not EscalationPolicy.objects.exists()

    created = web.post(
        "/escalation-policies/new/",
        {"name": "Checkout", "repeat": "1", "steps": "schedule:Primary, user:rei | 10\neveryone"},
        follow=True,
    )
    html = created.content.decode()
    assert "Escalation policy created." in html
    policy = EscalationPolicy.objects.get()
    assert policy.repeat == 1
    # The edit form shows the steps in the same one-line format, ready to change.
    assert "schedule:Primary, user:rei | 10\neveryone | 5" in html
    assert format_steps(describe_policy(policy)["steps"]) == (
        "schedule:Primary, user:rei | 10\neveryone | 5"
    )

    saved = web.post(
        f"/escalation-policies/{policy.pk}/",
        {"name": "Checkout", "repeat": "0", "steps": "user:aki | 3"},
        follow=True,
    )
    assert "Escalation policy saved." in saved.content.decode()
    assert list(EscalationStep.objects.values_list("wait_minutes", flat=True)) == [3]

    listing = web.get("/escalation-policies/").content.decode()
    assert "Checkout" in listing
    assert "New escalation policy" in listing

    deleted = web.post(f"/escalation-policies/{policy.pk}/delete/", follow=True)
    assert "Escalation policy deleted." in deleted.content.decode()
    assert not EscalationPolicy.objects.exists()


def test_form_errors_are_shown_and_nothing_is_saved(admin: User, schedule: None) -> None:
    web = browser(admin)
    cases = {
        "user:ghost": "Unknown user ghost.",
        "user:rei | soon": "Line 1: after | give the minutes to wait",
        "pager:rei": "Unknown target type pager",
        "user:rei | 5000": "the wait must be 0 to 1440 minutes",
    }
    for steps, message in cases.items():
        page = web.post("/escalation-policies/new/", {"name": "X", "repeat": "0", "steps": steps})
        assert page.status_code == 200
        assert message in page.content.decode(), steps
    assert not EscalationPolicy.objects.exists()


def test_viewers_see_policies_but_get_no_forms(viewer: User, admin: User, schedule: None) -> None:
    browser(admin).post(
        "/escalation-policies/new/", {"name": "Checkout", "repeat": "0", "steps": "user:rei"}
    )
    policy = EscalationPolicy.objects.get()
    web = browser(viewer)
    listing = web.get("/escalation-policies/").content.decode()
    assert "Checkout" in listing
    assert "New escalation policy" not in listing
    detail = web.get(f"/escalation-policies/{policy.pk}/").content.decode()
    assert "user:rei" not in detail  # no edit form
    assert web.get("/escalation-policies/new/").status_code == 403
    refused = web.post(
        f"/escalation-policies/{policy.pk}/", {"name": "Mine", "repeat": "0", "steps": "user:vera"}
    )
    assert refused.status_code == 403
    assert web.post(f"/escalation-policies/{policy.pk}/delete/").status_code == 403
    assert EscalationPolicy.objects.get().name == "Checkout"
    assert browser(None).get("/escalation-policies/").status_code == 302
    assert web.get("/escalation-policies/999/").status_code == 404
