"""The status page in Japanese and in English, in real Chromium.

A responder posts a stakeholder update from the incident page (technical text for the team, a
plain-language version for business people) and an internal one; the status page shows the
ongoing SEV2 incident with the plain words only, and an incident resolved the day before.
A viewer then subscribes to the affected service by e-mail. Screenshots of both languages go
to var/screenshots/status-ja.png and status-en.png.

Times are pinned with the movable clock (the live server runs in this process): the SEV2 is
reported at 2026-11-25 10:00 Asia/Tokyo."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.catalog import actions as catalog
from kizuki.catalog.models import Service
from kizuki.incidents import actions, timeline_actions
from kizuki.stakeholders.models import Subscription
from tests.browser.conftest import log_in
from tests.conftest import MovableClock

# What the Japanese screens say (src/kizuki/locale/ja/LC_MESSAGES/django.po).
JA = {
    "Status page": "ステータスページ",
    "Service status": "サービスの稼働状況",
    "Ongoing incidents": "発生中の障害",
    "Resolved in the last 7 days": "直近7日間に解決した障害",
    "We are investigating": "調査中です",
    "Resolved": "解決しました",
    "Latest status update": "最新のステータス更新",
    "Status update": "ステータス更新",
    "Who reads it": "共有範囲",
    "Stakeholders": "関係者にも共有",
    "In plain words, for stakeholders": "関係者向けのわかりやすい説明",
    "Post status update": "ステータス更新を投稿",
    "Saved.": "保存しました。",
    "Get updates by e-mail": "メールで更新を受け取る",
    "Subscribe to {label}": "{label} の更新をメールで受け取る",
    "{address} will receive updates on {scope}.": "{address} に「{scope}」の更新をお送りします。",
    "Sent to {address}": "{address} に配信中",
}
SEV2 = "SEV2 重大"
TITLE = "決済APIでタイムアウトが増えている"
TECHNICAL = "pg-primaryのコネクションプールが枯渇。p99が30秒。設定変更を切り戻し中。"
PLAIN = "一部のカード決済が失敗しています。銀行振込は使えます。復旧見込みは11時ごろです。"
INTERNAL = "切り戻し完了、メトリクス監視中(社内向け)"
RESOLVED_TITLE = "ログインできない利用者がいる"
RESOLVED_PLAIN = "ログインの問題は解決しました。ご迷惑をおかけしました。"


@pytest.fixture
def checkout(db: None) -> Service:
    team = accounts.create_team("payments", "Payments")
    catalog.create_service("accounts", "会員ログイン", team)
    return catalog.create_service("checkout", "決済", team)


@pytest.fixture
def incident(responder: User, checkout: Service, frozen_clock: MovableClock) -> str:
    """Yesterday's incident, resolved with a word to stakeholders; today's SEV2 on checkout."""
    frozen_clock.advance(days=-1)
    login = Service.objects.get(slug="accounts")
    done = actions.report_incident(responder, RESOLVED_TITLE, severity=3, services=[login])
    frozen_clock.advance(minutes=40)
    actions.transition(responder, done, "resolved")
    timeline_actions.post_status_update(
        responder, done, "IdP証明書を更新", audience="stakeholders", plain_text=RESOLVED_PLAIN
    )
    frozen_clock.advance(days=1, minutes=-40)
    return actions.report_incident(responder, TITLE, severity=2, services=[checkout]).ref


def card(page: Page, heading: str) -> Locator:
    return page.locator("section.card").filter(
        has=page.get_by_role("heading", name=heading, exact=True)
    )


def status_incidents(page: Page, testid: str) -> Locator:
    return page.get_by_test_id(testid).get_by_test_id("status-incident")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_status_page_in_japanese_and_english(
    page: Page, viewer: User, incident: str, frozen_clock: MovableClock, screenshots: Path
) -> None:
    responder = User.objects.get(username="rei")  # the `incident` fixture's responder
    # A responder tells stakeholders in plain words, then posts an internal note to the team.
    accounts.set_language(responder, "ja")
    log_in(page, responder)
    page.goto(f"/incidents/{incident}/")
    updates = card(page, JA["Latest status update"])
    frozen_clock.advance(minutes=5)
    updates.get_by_label(JA["Status update"]).fill(TECHNICAL)
    updates.get_by_label(JA["Stakeholders"]).check()
    updates.get_by_label(JA["In plain words, for stakeholders"]).fill(PLAIN)
    updates.get_by_role("button", name=JA["Post status update"]).click()
    expect(page.get_by_role("status")).to_have_text(JA["Saved."])
    expect(updates.get_by_test_id("latest-plain-text")).to_have_text(PLAIN)
    frozen_clock.advance(minutes=5)
    updates.get_by_label(JA["Status update"]).fill(INTERNAL)
    updates.get_by_role("button", name=JA["Post status update"]).click()
    expect(updates.get_by_test_id("latest-update")).to_have_text(INTERNAL)
    page.get_by_role("banner").locator("details.account > summary").click()  # the person's menu
    page.get_by_role("button", name=re.compile("ログアウト")).click()

    # A viewer opens the status page from the header.
    accounts.set_language(viewer, "ja")
    log_in(page, viewer)
    page.get_by_role("banner").get_by_role("link", name=JA["Status page"]).click()
    expect(page).to_have_url(re.compile(r"/status/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(JA["Service status"])

    ongoing = status_incidents(page, "ongoing")
    expect(ongoing).to_have_count(1)
    expect(ongoing.get_by_role("heading")).to_have_text(f"{incident} {TITLE}")
    expect(ongoing.get_by_test_id("plain-status")).to_have_text(JA["We are investigating"])
    expect(ongoing.get_by_test_id("severity")).to_have_text(SEV2)
    expect(ongoing.get_by_test_id("service")).to_have_text("決済")
    expect(ongoing.get_by_test_id("stakeholder-update")).to_have_text(PLAIN)
    expect(ongoing.get_by_test_id("update-time")).to_have_text("2026-11-25 10:05")
    expect(page.get_by_text(INTERNAL)).to_have_count(0)
    expect(page.get_by_text(TECHNICAL)).to_have_count(0)

    resolved = status_incidents(page, "resolved")
    expect(resolved).to_have_count(1)
    expect(resolved.get_by_role("heading")).to_contain_text(RESOLVED_TITLE)
    expect(resolved.get_by_test_id("plain-status")).to_have_text(JA["Resolved"])
    expect(resolved.get_by_test_id("stakeholder-update")).to_have_text(RESOLVED_PLAIN)

    # Subscribe to the affected service with the prefilled address.
    subscribe = card(page, JA["Get updates by e-mail"])
    label = JA["Subscribe to {label}"].format(label="決済")
    subscribe.get_by_role("button", name=label).click()
    said = JA["{address} will receive updates on {scope}."]
    expect(page.get_by_role("status")).to_have_text(said.format(address=viewer.email, scope="決済"))
    row = card(page, JA["Get updates by e-mail"]).get_by_role("row", name=re.compile("^決済"))
    expect(row).to_contain_text(JA["Sent to {address}"].format(address=viewer.email))
    assert Subscription.objects.get().service == Service.objects.get(slug="checkout")

    page.wait_for_load_state("load")
    page.screenshot(path=screenshots / "status-ja.png", full_page=True)

    # The same page in English.
    page.get_by_role("banner").get_by_label("言語").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/status/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Service status")
    expect(page.get_by_role("heading", level=2)).to_contain_text(
        ["Ongoing incidents", "Resolved in the last 7 days", "Get updates by e-mail"]
    )
    expect(ongoing.get_by_test_id("plain-status")).to_have_text("We are investigating")
    expect(ongoing.get_by_test_id("severity")).to_have_text(re.compile(r"^SEV2 "))
    expect(ongoing.get_by_test_id("stakeholder-update")).to_have_text(PLAIN)
    expect(resolved.get_by_test_id("plain-status")).to_have_text("Resolved")
    row = card(page, "Get updates by e-mail").get_by_role("row", name=re.compile("^決済"))
    expect(row).to_contain_text(f"Sent to {viewer.email}")

    page.wait_for_load_state("load")
    page.screenshot(path=screenshots / "status-en.png", full_page=True)
