"""The summary page's responder load and alert noise, read in real Chromium in Japanese and
in English, at a phone's and a desktop's width (screenshots in var/screenshots/)."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from tests.alerts.support import accepted, alertmanager, am_alert, integration
from tests.browser.conftest import in_, log_in, shoot
from tests.conftest import Api, MovableClock
from tests.reports.history import PERIOD, build

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["ja", "en"])
def test_responder_load_and_alert_noise_on_the_page(
    page: Page,
    responder: User,
    responder_api: Api,
    admin_api: Api,
    service: Service,
    frozen_clock: MovableClock,
    screenshots: Path,
    language: str,
) -> None:
    t = in_(language)
    path = integration(admin_api, service.pk, "alertmanager")[1]
    for key in ("disk", "latency"):
        accepted(path, alertmanager(am_alert(key), group_key=key))
    build(responder_api, frozen_clock)  # rei commands INC A for 50 minutes
    accounts.set_language(responder, language)

    log_in(page, responder)
    page.goto(f"/reports/?start={PERIOD[0]}&end={PERIOD[1]}")
    load = page.get_by_test_id("report-load")
    expect(load).to_contain_text(t("Responder load"))
    expect(load.get_by_test_id("load-rei")).to_contain_text("0.8")
    title = load.get_by_role("columnheader", name=t("Incident hours")).locator("abbr")
    expect(title).to_have_attribute(
        "title",
        t(
            "Incident hours: time holding at least one role on an incident, from assignment to "
            "release or resolution, within the period; drills and false alarms excluded."
        ),
    )
    noise = page.get_by_test_id("report-noise")
    expect(noise).to_contain_text(t("Alert noise"))
    noisy = noise.get_by_test_id("report-noisy-integrations")
    expect(noisy.locator("tbody tr")).to_have_count(1)
    expect(noisy.locator("tbody tr")).to_contain_text("100%")
    load.scroll_into_view_if_needed()
    shoot(page, screenshots, f"summary-load-noise-{language}")
