"""Follow-ups of a resolved SEV2 with a published retrospective, clicked through in real
Chromium, in Japanese and in English: written from a retrospective section with the severity's
due date, flagged as it is typed ("be careful") and cleared once a mechanism is named, reminded
when overdue (the clock moved) and listed under "my follow-ups", exported to the GitHub stub
and closed from there. Screenshots at 375 px and 1280 px go to var/screenshots/.

The texts the test looks for come from the translation catalogue (gettext under the page's
language) and from the quality rules' own two languages."""

import hashlib
import hmac
import importlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from django.apps import apps
from django.core import mail
from django.test import Client
from django.utils import translation
from playwright.sync_api import Page, expect

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.followups.reminders import send_reminders
from tests.browser.conftest import in_, log_in, shoot
from tests.conftest import Api, MovableClock
from tests.followups.support import ok, publish_retrospective, resolved_incident
from tests.followups.tracker_stubs import GitHubStub, running
from tests.jobs import run_queued_jobs

pytestmark = pytest.mark.browser

VAGUE = {"ja": "今後は注意して作業する", "en": "Be more careful when deploying"}
GOOD = "Add a CI check that rejects migrations without EXPLAIN output"
SECRET = "hook-secret"


@pytest.fixture(autouse=True)
def templates(transactional_db: None) -> None:
    """The built-in retrospective templates, seeded as retros' migration 0001 does."""
    migration = importlib.import_module("kizuki.retros.migrations.0001_initial")
    migration.seed(apps, None)


@pytest.fixture
def github() -> Iterator[GitHubStub]:
    with running(GitHubStub()) as stub:
        yield cast(GitHubStub, stub)


def put(api: Api, path: str, body: dict[str, Any]) -> Any:
    return api.client.put(
        "/api/v1" + path, json.dumps(body), "application/json", headers=api._headers()
    )


@pytest.mark.usefixtures("loopback_allowed")
@pytest.mark.parametrize("language", ["ja", "en"])
def test_follow_ups_from_retrospective_to_closed_in_github(
    page: Page,
    responder: User,
    responder_api: Api,
    admin_api: Api,
    service: Any,
    github: GitHubStub,
    frozen_clock: MovableClock,
    screenshots: Path,
    language: str,
) -> None:
    t = in_(language)
    accounts.set_language(responder, language)
    ref = resolved_incident(responder_api, severity=2, services=["checkout"])
    publish_retrospective(responder_api, ref)
    tracker = ok(
        put(
            admin_api,
            "/followup-trackers/payments",
            {
                "kind": "github",
                "base_url": github.url,
                "project": "kizuki/payments",
                "token": "ghp-test",
                "webhook_secret": SECRET,
            },
        )
    )

    # From the retrospective's "permanent fix" section: the due date is SEV2's (30 days).
    log_in(page, responder)
    page.goto(f"/incidents/{ref}/followups/new/?section=permanent-fix")
    expect(page.locator("html")).to_have_attribute("lang", language)
    form = page.locator("form.followup-form")
    expect(form.get_by_label(t("Due date"))).to_have_value("2026-12-25")

    # A vague resolution is flagged as it is typed, with how to rewrite it...
    form.get_by_label(t("Title")).press_sequentially(VAGUE[language])
    finding = page.get_by_test_id("quality").locator('[data-code="vague_vigilance"]')
    expect(finding).to_be_visible()
    expect(finding).to_contain_text("チェックリスト" if language == "ja" else "checklist")
    shoot(page, screenshots, f"followup-new-flagged-{language}")

    # ...and a mechanism clears it.
    form.get_by_label(t("Title")).fill("")
    form.get_by_label(t("Title")).press_sequentially(GOOD)
    expect(page.get_by_test_id("findings-none")).to_be_visible()
    form.get_by_label(t("Kind")).select_option("prevent")
    form.get_by_role("button", name=t("Save follow-up")).click()
    expect(page.get_by_role("status")).to_have_text(t("Follow-up saved."))
    expect(page.get_by_test_id("followup-title")).to_contain_text(GOOD)
    expect(page.get_by_test_id("followup-due")).to_contain_text("2026-12-25")
    followup_url = page.url
    shoot(page, screenshots, f"followup-detail-{language}")

    # The incident's page lists it; so do the list and the team's overview.
    page.goto(f"/incidents/{ref}/")
    expect(page.get_by_test_id("followups-panel")).to_contain_text(GOOD)
    page.get_by_test_id("followups-panel").scroll_into_view_if_needed()
    shoot(page, screenshots, f"followup-incident-panel-{language}")
    page.goto("/followups/")
    expect(page.get_by_test_id("followup-table")).to_contain_text(GOOD)
    shoot(page, screenshots, f"followup-list-{language}")
    page.get_by_role("link", name="Payments").click()
    expect(page.get_by_test_id("later")).to_contain_text(GOOD)

    # Past its due date the owner is reminded, and "my follow-ups" shows it overdue.
    frozen_clock.advance(days=31)
    assert send_reminders() >= 1
    assert any(message.to == ["rei@example.test"] for message in mail.outbox)
    page.goto("/followups/mine/")
    expect(page.get_by_test_id("overdue")).to_contain_text(GOOD)
    shoot(page, screenshots, f"followup-mine-{language}")

    # Exported to the GitHub stub from the page, then closed there.
    page.goto(followup_url)
    page.get_by_role("button", name=t("Export to %(kind)s") % {"kind": "GitHub Issues"}).click()
    expect(page.get_by_test_id("tracker-pending")).to_be_visible()
    run_queued_jobs()
    page.reload()
    expect(page.get_by_test_id("tracker-link")).to_have_attribute(
        "href", "https://github.example/kizuki/payments/issues/1"
    )
    github.close(1)
    raw = json.dumps({"action": "closed", "issue": {"number": 1, "state_reason": "completed"}})
    digest = hmac.new(SECRET.encode(), raw.encode(), hashlib.sha256).hexdigest()
    answer = Client().post(
        f"/api/v1/followup-trackers/{tracker['id']}/github",
        raw,
        "application/json",
        headers={"X-GitHub-Event": "issues", "X-Hub-Signature-256": f"sha256={digest}"},
    )
    assert answer.json() == {"result": "moved"}
    page.reload()
    with translation.override(language):
        done = str(translation.gettext("Done"))
    expect(page.get_by_test_id("followup-status")).to_have_text(done)
    shoot(page, screenshots, f"followup-closed-{language}")
