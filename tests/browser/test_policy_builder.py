"""Building an escalation policy in real Chromium on a phone (375 px): two steps with the
step builder, each target chosen by kind, a step moved up, then saved. With JavaScript the
builder's buttons act in place (oncall/static/oncall/policy_builder.js); tests/oncall covers
the same buttons without it.

The controls are found by their data-testid (step-0-target-1-kind, step-0-target-1-id,
step-0-wait, step-1-up, add-step, policy-save, ...), which longer stories reuse."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kizuki.accounts import actions as accounts
from kizuki.oncall.models import EscalationPolicy
from kizuki.oncall.queries import describe_policy
from kizuki.schedules.actions import LayerInput, create_schedule
from tests.browser.conftest import log_in
from tests.conftest import make_user

pytestmark = pytest.mark.browser


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_admin_builds_a_two_step_policy_on_a_phone(page: Page, screenshots: Path) -> None:
    admin = make_user("aki", "admin")
    make_user("rei", "responder")
    accounts.create_team("payments", "Payments")
    create_schedule(None, "Primary", "Asia/Tokyo", [LayerInput(users=["rei"], shift_length="1w")])
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, admin)

    page.goto("/escalation-policies/new/")
    page.evaluate("window.samePage = true")  # gone if a button reloads the page
    page.get_by_label("Name").fill("Checkout")
    page.get_by_label("Repeat all steps").fill("1")

    # First typed: the Payments team, then wait 15 minutes.
    page.get_by_test_id("step-0-target-0-kind").select_option("team")
    # Only the teams are offered once the kind says "team".
    which = page.get_by_test_id("step-0-target-0-id")
    expect(which.locator("optgroup[data-kind=user]")).to_be_hidden()
    expect(page.get_by_test_id("step-0-target-0-channel")).to_be_hidden()
    which.select_option(label="Payments")
    page.get_by_test_id("step-0-wait").fill("15")

    # Then a step for whoever is on call in Primary, and rei; then wait 10 minutes.
    page.get_by_test_id("add-step").click()
    page.get_by_test_id("step-1-target-0-kind").select_option("schedule")
    page.get_by_test_id("step-1-target-0-id").select_option(label="Primary")
    page.get_by_test_id("step-1-add-target").click()
    expect(page.get_by_test_id("step-1-target-2")).to_be_visible()
    page.get_by_test_id("step-1-target-2-kind").select_option("channel")
    expect(page.get_by_test_id("step-1-target-2-channel")).to_be_visible()
    expect(page.get_by_test_id("step-1-target-2-id")).to_be_hidden()
    page.get_by_test_id("step-1-remove-target-2").click()
    expect(page.get_by_test_id("step-1-target-2")).to_have_count(0)
    page.get_by_test_id("step-1-target-1-kind").select_option("user")
    page.get_by_test_id("step-1-target-1-id").select_option(label="rei")
    page.get_by_test_id("step-1-wait").fill("10")

    # The on-call step should go first: move it up.
    page.get_by_test_id("step-1-up").click()
    expect(page.get_by_test_id("step-0-target-0-kind")).to_have_value("schedule")
    expect(page.get_by_test_id("step-0-wait")).to_have_value("10")
    expect(page.get_by_test_id("step-1-target-0-id")).to_have_value("team:payments")
    expect(page.get_by_test_id("step-0").get_by_role("heading")).to_have_text("Step 1")
    expect(page.get_by_test_id("step-0-up")).to_be_disabled()
    assert page.evaluate("window.samePage === true")
    no_sideways_scroll(page)
    page.screenshot(path=str(screenshots / "policy-builder-375.png"), full_page=True)

    page.get_by_test_id("policy-save").click()
    expect(page.get_by_role("status")).to_have_text("Escalation policy created.")
    steps = page.locator("ol.steps li")
    expect(steps).to_have_count(2)
    expect(steps.first).to_contain_text("Primary, rei")
    expect(steps.last).to_contain_text("Payments")
    no_sideways_scroll(page)

    described = describe_policy(EscalationPolicy.objects.get())
    assert described["repeat"] == 1
    assert [
        ([target["label"] for target in step["targets"]], step["wait_minutes"])
        for step in described["steps"]
    ] == [(["Primary", "rei"], 10), (["Payments"], 15)]


def test_enter_in_a_text_box_saves_rather_than_pressing_a_builder_button(page: Page) -> None:
    """The first submit button is what Enter presses: it is a hidden Save, not "Remove"."""
    admin = make_user("aki", "admin")
    log_in(page, admin)
    page.goto("/escalation-policies/new/")
    page.get_by_test_id("step-0-target-0-kind").select_option("everyone")
    page.get_by_label("Name").fill("Everyone at once")
    page.get_by_label("Name").press("Enter")
    expect(page.get_by_role("status")).to_have_text("Escalation policy created.")
    assert EscalationPolicy.objects.get().name == "Everyone at once"
