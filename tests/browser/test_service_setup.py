"""A service's paging set up from its page, in real Chromium: an admin chooses who is paged,
adds an integration, sends a test alert through it (landing on the alert group it opened),
gives the integration a new URL, switches it off, and edits and deletes a routing rule; a
viewer sees none of the forms. Screenshots at 375 px and 1280 px go to var/screenshots/."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.alerts.models import AlertGroup, Integration
from kizuki.catalog.models import Service
from tests.alerts.support import policy, send
from tests.browser.conftest import log_in
from tests.conftest import MovableClock, api_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URL = re.compile(r"http://127\.0\.0\.1:8000/api/v1(/integrations/kzi_[\w-]+/webhook)")


def shoot(page: Page, screenshots: Path, name: str) -> None:
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=screenshots / f"service-setup-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def tools(page: Page, name: str) -> Locator:
    """The folded tools of one integration, unfolded."""
    found = page.get_by_test_id("integration-tools").filter(has_text=name)
    if found.get_attribute("open") is None:
        found.locator("summary").click()
    return found


def new_url(page: Page) -> str:
    shown = page.get_by_test_id("new-url").locator("pre").inner_text()
    found = URL.search(shown)
    assert found is not None, shown
    return found.group(1)


def test_an_admin_sets_up_a_services_paging_from_its_page(
    page: Page,
    admin: User,
    viewer: User,
    responder: User,
    service: Service,
    frozen_clock: MovableClock,
    screenshots: Path,
) -> None:
    api = api_for(admin)
    policy(api, "Checkout on-call", "rei")
    rule = {"name": "db", "match_labels": {"team": "db"}}
    assert api.post(f"/services/{service.pk}/routing-rules", rule).status_code == 201
    accounts.set_language(admin, "en")
    log_in(page, admin)
    page.goto(f"/services/{service.pk}/")

    # Who is paged: the service's escalation policy.
    chooser = page.get_by_test_id("policy-form")
    chooser.get_by_label("Escalation policy").select_option(label="Checkout on-call")
    chooser.get_by_role("button", name="Save policy").click()
    expect(page.get_by_role("status")).to_have_text("Escalation policy saved.")
    expect(page.get_by_test_id("service-policy")).to_have_text(
        "Escalation policy: Checkout on-call"
    )

    # A new integration: its URL is shown this once.
    adding = page.get_by_test_id("add-integration-form")
    adding.get_by_label("Kind").select_option("webhook")
    adding.get_by_label("Name").fill("Shop monitor")
    adding.get_by_role("button", name="Add integration").click()
    expect(page.get_by_test_id("new-url")).to_contain_text("Shop monitor is ready")
    first_path = new_url(page)

    # A test alert with a label the rule matches lands on its alert group, paging the on-call.
    test = tools(page, "Shop monitor").get_by_test_id("test-alert-form")
    expect(test).to_contain_text("it pages the on-call of Checkout on-call")
    test.get_by_label("Labels").fill("nope")
    test.get_by_role("button", name="Send a test alert").click()
    expect(page.get_by_test_id("test-alert-form")).to_contain_text("Write labels as name=value")
    expect(page.get_by_test_id("test-alert-form").get_by_label("Labels")).to_have_value("nope")
    page.get_by_test_id("test-alert-form").get_by_label("Labels").fill("team=db")
    shoot(page, screenshots, "en")
    page.get_by_test_id("test-alert-form").get_by_role("button", name="Send a test alert").click()
    expect(page).to_have_url(re.compile(r"/alerts/\d+/$"))
    expect(page.get_by_role("status")).to_have_text(
        "Test alert sent: the on-call of Checkout on-call is being paged."
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "[TEST] Test alert from Shop monitor"
    )
    shoot(page, screenshots, "test-alert-group")
    group = AlertGroup.objects.get()
    assert group.routing_rule is not None
    assert group.routing_rule.name == "db"

    # A new URL: the old one stops working at once.
    page.goto(f"/services/{service.pk}/")
    tools(page, "Shop monitor").get_by_role("button", name="Make a new URL").click()
    expect(page.get_by_test_id("new-url")).to_contain_text("Shop monitor has a new URL")
    second_path = new_url(page)
    shoot(page, screenshots, "new-url")
    assert send(first_path, {"title": "Disk full"}).status_code == 404
    assert send(second_path, {"title": "Disk full"}).status_code == 202

    # Switched off: the page says so and the URL refuses alerts.
    page.goto(f"/services/{service.pk}/")
    tools(page, "Shop monitor").get_by_role("button", name="Deactivate").click()
    expect(page.get_by_role("status")).to_contain_text("Shop monitor is inactive")
    row = page.get_by_test_id("integration").filter(has_text="Shop monitor")
    expect(row.get_by_test_id("integration-inactive")).to_have_text("inactive")
    assert send(second_path, {"title": "Disk full"}).status_code == 404
    assert not Integration.objects.get(name="Shop monitor").is_active

    # The routing rule: edited (an error first, the input kept), then deleted.
    rules = page.get_by_test_id("rules")
    rules.get_by_test_id("rule").filter(has_text="db").locator("summary").click()
    edit = rules.get_by_test_id("rule-edit-form")
    edit.get_by_label("Labels to match").fill("team")
    edit.get_by_role("button", name="Save rule").click()
    edit = page.get_by_test_id("rule-edit-form")
    expect(edit.locator(".errorlist")).to_have_count(1)
    expect(edit.get_by_label("Labels to match")).to_have_value("team")
    edit.get_by_label("Labels to match").fill("team=db, severity=critical")
    edit.get_by_role("button", name="Save rule").click()
    expect(page.get_by_role("status")).to_have_text("Routing rule saved.")
    expect(page.get_by_test_id("rule")).to_contain_text("severity=critical")
    page.get_by_test_id("rule").locator("summary").click()
    page.get_by_test_id("rule-tools").get_by_role("button", name="Delete rule").click()
    expect(page.get_by_role("status")).to_have_text("Routing rule deleted.")
    expect(page.get_by_test_id("rule")).to_have_count(0)

    # The same page in Japanese, on a phone and a desktop.
    accounts.set_language(admin, "ja")
    page.goto(f"/services/{service.pk}/")
    tools(page, "Shop monitor")
    shoot(page, screenshots, "ja")

    # A viewer sees the set-up, not the forms.
    page.context.clear_cookies()
    accounts.set_language(viewer, "en")
    log_in(page, viewer)
    page.goto(f"/services/{service.pk}/")
    expect(page.get_by_test_id("integration")).to_have_count(1)
    for hidden in ("policy-form", "integration-tools", "add-integration-form", "add-rule-form"):
        expect(page.get_by_test_id(hidden)).to_have_count(0)
    shoot(page, screenshots, "viewer")
