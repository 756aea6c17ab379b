"""The paging pages in Japanese, clicked through in real Chromium by an admin: alert groups,
a service with its integration, a new on-call schedule, escalation policies, my notification
rules and the SOS form. Each page is saved as a full-page screenshot in var/screenshots/.

The data is built through the API and the actions, as a monitoring tool and an operator
would; the clock is pinned at 2026-11-25 10:00 Asia/Tokyo (the live server runs in this
process and reads the same clock)."""

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.catalog import actions as catalog
from kizuki.catalog.models import Service
from tests.alerts.support import accepted, alertmanager, am_alert, integration
from tests.browser.conftest import log_in, menu_link
from tests.conftest import Api, MovableClock, api_for, make_user
from tests.notify.support import add_rule, create_policy, run_worker, step

# What the Japanese screens say (src/kizuki/locale/ja/LC_MESSAGES/django.po).
JA = {
    "Alert groups": "アラートグループ",
    "Firing": "発生中",
    "Acknowledged": "確認済み",
    "Resolved": "解決済み",
    "Acknowledge": "確認（ACK）",
    "Saved.": "保存しました。",
    "Escalation": "エスカレーション",
    "Notifications": "通知",
    "Triggered": "発火",
    "Step run": "ステップ実行",
    "Notification sent": "通知送信",
    "Sent": "送信済み",
    "step {step}": "ステップ {step}",
    "acknowledged {when} by {who}": "{when} に {who} が確認（ACK）",
    "Integrations": "連携",
    "Routing rules": "ルーティングルール",
    "declares SEV{level}": "SEV{level} を宣言",
    "New schedule": "新しいスケジュール",
    "Name": "名前",
    "Team": "チーム",
    "Layer name": "レイヤー名",
    "People, in rotation order": "担当者（交代する順）",
    "Shift length": "シフトの長さ",
    "Hand-off time": "交代時刻",
    "Rotation starts on": "ローテーション開始日",
    "Create schedule": "スケジュールを作成",
    "Schedule created.": "スケジュールを作成しました。",
    "On call now": "現在のオンコール担当",
    "Escalation policies": "エスカレーションポリシー",
    "then wait {minutes} min": "その後 {minutes} 分待つ",
    "My notification rules": "自分の通知ルール",
    "Method": "方法",
    "E-mail": "メール",
    "After (minutes)": "何分後に（分）",
    "Add": "追加",
    "Notification rule added.": "通知ルールを追加しました。",
    "account e-mail": "アカウントのメール",
    "Call the on-call engineers": "オンコール担当を呼ぶ",
    "Which service has the problem?": "どのサービスに問題がありますか？",
    "What is wrong?": "何が起きていますか？",
    "Page the on-call": "オンコール担当を呼び出す",
    "Thank you — help is on the way": "ありがとうございます。すぐに対応します",
    "Paging the on-call engineers for {service} now:": (
        "{service} のオンコール担当を今呼び出しています："
    ),
    "Language": "言語",
}

SERVICE = "決済 Checkout"
SCHEDULE = "決済 一次オンコール"
POLICY = "決済 エスカレーション"
ERRORS = "決済APIの5xxエラー率が5%を超えています"
LAG = "Replica pg-2 is 45s behind"
NEW_SCHEDULE = "検索 オンコール"
SOS_PROBLEM = "お客さまから「カードで支払えない」と電話が続いています。"


@dataclass
class Paging:
    service: Service
    firing: int
    resolved: int
    incident: str


def shoot(page: Page, screenshots: Path, name: str) -> None:
    """The assertions need only the HTML; the picture needs the stylesheet too."""
    page.wait_for_load_state("load")
    page.screenshot(path=screenshots / f"{name}.png", full_page=True)


def card(page: Page, heading: str) -> Locator:
    return page.locator("section.card").filter(
        has=page.get_by_role("heading", name=heading, exact=True)
    )


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


@pytest.fixture
def paging(admin: User, frozen_clock: MovableClock) -> Paging:
    """Checkout pages its weekly on-call (ken, then mio) and then mio; critical alerts
    declare a SEV2. Alertmanager sent one alert that still fires (ken was e-mailed) and one
    that fired and resolved."""
    api: Api = api_for(admin)
    accounts.set_language(admin, "ja")
    ken = make_user("ken", "responder")
    mio = make_user("mio", "responder")
    team = accounts.create_team("payments", "決済チーム")
    service = catalog.create_service("checkout", SERVICE, team)
    add_rule(api, ken, "email")
    add_rule(api, mio, "email")
    layer = {"users": ["ken", "mio"], "shift_length": "1w", "handoff_time": "10:00"}
    schedule = api.post(
        "/schedules", {"name": SCHEDULE, "layers": [{**layer, "start": "2026-11-23"}]}
    )
    assert schedule.status_code == 201, schedule.json()
    steps = [step(("schedule", schedule.json()["id"])), step(("user", "mio"), wait=10)]
    policy = create_policy(api, POLICY, steps, repeat=1, team="payments")
    patched = api.patch(f"/services/{service.pk}", {"escalation_policy": policy["id"]})
    assert patched.status_code == 200, patched.json()
    rule = {"match_labels": {"severity": "critical"}, "declare_severity": 2}
    assert api.post(f"/services/{service.pk}/routing-rules", rule).status_code == 201
    path = integration(api, service.pk, "alertmanager")[1]

    lag = {"alertname": "ReplicationLag", "severity": "warning"}
    lag_key = '{}:{alertname="ReplicationLag"}'
    (resolved,) = accepted(path, alertmanager(am_alert("lag", LAG, **lag), group_key=lag_key))[
        "groups"
    ]
    frozen_clock.advance(minutes=2)
    ended = am_alert("lag", LAG, status="resolved", **lag)
    accepted(path, alertmanager(ended, group_key=lag_key))
    frozen_clock.advance(minutes=3)
    (firing,) = accepted(path, alertmanager(am_alert("errors", ERRORS)))["groups"]
    run_worker()  # step 1: ken, on call this week, is e-mailed
    incident = api.get(f"/alert-groups/{firing}").json()["incident"]
    return Paging(service, firing, resolved, incident)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_admin_works_the_paging_pages_in_japanese(
    page: Page, admin: User, paging: Paging, frozen_clock: MovableClock, screenshots: Path
) -> None:
    log_in(page, admin)
    expect(page.locator("html")).to_have_attribute("lang", "ja")

    # The alert list: newest first, each with its status and the time it opened.
    page.goto("/alerts/")
    expect(heading(page)).to_have_text(JA["Alert groups"])
    rows = page.locator("table.alert-groups tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.get_by_test_id("group-status")).to_have_text([JA["Firing"], JA["Resolved"]])
    expect(rows.first).to_contain_text(ERRORS)
    expect(rows.first).to_contain_text("2026-11-25 10:05")
    expect(rows.first).to_contain_text(paging.incident)
    expect(rows.last).to_contain_text(LAG)
    expect(rows.last).to_contain_text("2026-11-25 10:00")
    expect(rows.last.get_by_role("button")).to_have_count(0)  # resolved: nothing to do
    shoot(page, screenshots, "alert-list-ja")

    # The firing group: who was paged, how, and what happened so far.
    rows.first.get_by_role("link", name=ERRORS).click()
    expect(page).to_have_url(re.compile(rf"/alerts/{paging.firing}/$"))
    expect(heading(page)).to_have_text(f"#{paging.firing} {ERRORS}")
    expect(page.get_by_test_id("group-status")).to_have_text(JA["Firing"])
    expect(page.get_by_test_id("incident-link")).to_contain_text(paging.incident)
    history = page.get_by_test_id("escalation-history").get_by_role("listitem")
    expect(history).to_have_count(3)
    expect(history.nth(0)).to_contain_text(JA["Triggered"])
    expect(history.nth(1)).to_contain_text(JA["Step run"])
    expect(history.nth(1)).to_contain_text(JA["step {step}"].format(step=1))
    expect(history.nth(2)).to_contain_text(JA["Notification sent"])
    expect(history.locator("time")).to_have_text(["11-25 10:05:00"] * 3)
    notifications = page.get_by_test_id("notifications").locator("tbody tr")
    expect(notifications).to_have_count(1)
    expect(notifications.first).to_contain_text("ken")
    expect(notifications.first).to_contain_text(JA["E-mail"])
    expect(notifications.first).to_contain_text(JA["Sent"])

    # Acknowledge with the button: the status changes and the paging stops.
    frozen_clock.advance(minutes=2)
    page.locator(".group-actions").get_by_role("button", name=JA["Acknowledge"]).click()
    expect(page.get_by_role("status")).to_have_text(JA["Saved."])
    expect(page.get_by_test_id("group-status")).to_have_text(JA["Acknowledged"])
    acknowledged = JA["acknowledged {when} by {who}"].format(when="2026-11-25 10:07", who="aki")
    expect(page.locator(".incident-head .meta")).to_contain_text(acknowledged)
    expect(history).to_have_count(4)
    expect(history.last).to_contain_text(JA["Acknowledged"])
    expect(history.last).to_contain_text("aki")
    expect(page.get_by_role("button", name=JA["Acknowledge"])).to_have_count(0)
    shoot(page, screenshots, "alert-group-ja")

    # The same page in English, then back to Japanese.
    page.get_by_role("banner").get_by_label(JA["Language"]).select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("group-status")).to_have_text("Acknowledged")
    expect(page.get_by_role("heading", level=2)).to_have_text(
        [re.compile("^Alerts"), "Escalation", "Notifications"]
    )
    expect(history.last).to_contain_text("Acknowledged")
    expect(notifications.first).to_contain_text("Sent")
    shoot(page, screenshots, "alert-group-en")
    page.get_by_role("banner").get_by_label("Language").select_option("ja")
    expect(page.locator("html")).to_have_attribute("lang", "ja")

    # The service: its Alertmanager integration and the rule declaring SEV2.
    page.get_by_role("link", name=SERVICE).first.click()
    expect(heading(page)).to_contain_text(SERVICE)
    integrations = card(page, JA["Integrations"]).get_by_test_id("integrations")
    expect(integrations.locator("tbody tr")).to_have_count(1)
    expect(integrations).to_contain_text("Alertmanager")
    expect(integrations).to_contain_text("kzi_")
    rules = card(page, JA["Routing rules"]).get_by_test_id("rules")
    expect(rules).to_contain_text("severity=critical")
    expect(rules).to_contain_text(JA["declares SEV{level}"].format(level=2))
    expect(page.locator(".incident-head")).to_contain_text(POLICY)
    shoot(page, screenshots, "service-ja")

    # A new schedule through the form; its page says who is on call now.
    page.goto("/schedules/new/")
    expect(heading(page)).to_have_text(JA["New schedule"])
    page.get_by_label(JA["Name"]).fill(NEW_SCHEDULE)
    page.get_by_label(JA["Team"]).select_option(label="決済チーム")
    page.get_by_label(JA["Layer name"]).fill("平日")
    page.get_by_label(JA["People, in rotation order"]).fill("mio, ken")
    page.get_by_label(JA["Shift length"]).fill("1w")
    page.get_by_label(JA["Hand-off time"]).fill("09:00")
    page.get_by_label(JA["Rotation starts on"]).fill("2026-11-23")
    shoot(page, screenshots, "schedule-new-ja")
    page.get_by_role("button", name=JA["Create schedule"]).click()
    expect(page.get_by_role("status")).to_have_text(JA["Schedule created."])
    expect(heading(page)).to_have_text(NEW_SCHEDULE)
    expect(page.get_by_test_id("on-call")).to_have_text("mio")
    preview = page.get_by_test_id("preview").locator("tbody tr")
    expect(preview.first).to_contain_text("2026-11-25")
    expect(preview.first).to_contain_text("mio")
    expect(preview.nth(1)).to_contain_text("2026-11-30")
    expect(preview.nth(1)).to_contain_text("ken")
    shoot(page, screenshots, "schedule-ja")

    # The escalation policies, step by step.
    menu_link(page, JA["Escalation"]).click()
    expect(heading(page)).to_have_text(JA["Escalation policies"])
    policy = page.locator("table.incidents tbody tr").filter(has_text=POLICY)
    expect(policy.locator("ol.steps li")).to_have_count(2)
    expect(policy.locator("ol.steps li").first).to_contain_text(SCHEDULE)
    expect(policy.locator("ol.steps li").last).to_contain_text("mio")
    expect(policy.locator("ol.steps li .meta")).to_have_text(
        [JA["then wait {minutes} min"].format(minutes=m) for m in (5, 10)]
    )
    shoot(page, screenshots, "policies-ja")

    # My notification rules: add an e-mail rule to my account address.
    page.goto("/account/notifications/")
    expect(heading(page)).to_have_text(JA["My notification rules"])
    page.get_by_label(JA["Method"]).select_option(label=JA["E-mail"])
    page.get_by_label(JA["After (minutes)"]).fill("0")
    page.get_by_role("button", name=JA["Add"], exact=True).click()
    expect(page.get_by_role("status")).to_have_text(JA["Notification rule added."])
    my_rules = page.locator("ol.rules li")
    expect(my_rules).to_have_count(1)
    expect(my_rules.first).to_contain_text(JA["E-mail"])
    expect(my_rules.first).to_contain_text(f"aki@example.test ({JA['account e-mail']})")
    shoot(page, screenshots, "notification-rules-ja")

    # SOS: call the service's on-call, and be thanked.
    page.get_by_role("banner").get_by_role("link", name=re.compile("SOS")).click()
    expect(heading(page)).to_have_text(JA["Call the on-call engineers"])
    page.get_by_label(JA["Which service has the problem?"]).select_option(label=SERVICE)
    page.get_by_label(JA["What is wrong?"]).fill(SOS_PROBLEM)
    shoot(page, screenshots, "sos-ja")
    page.get_by_role("button", name=JA["Page the on-call"]).click()
    expect(heading(page)).to_have_text(JA["Thank you — help is on the way"])
    paged = JA["Paging the on-call engineers for {service} now:"]
    expect(page.get_by_test_id("paged")).to_contain_text(paged.format(service=SERVICE))
    shoot(page, screenshots, "sos-thanks-ja")
