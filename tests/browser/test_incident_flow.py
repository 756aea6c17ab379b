"""An incident from first report to close, in Japanese, clicked through in real Chromium.

Times are pinned with the movable clock (the live server runs in this process, so it reads the
same clock): the report is made at 2026-11-25 10:00 Asia/Tokyo and each step moves time on.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from kizuki.incidents import actions
from tests.browser.conftest import log_in
from tests.conftest import MovableClock, make_user

# What the Japanese screens say (src/kizuki/locale/ja/LC_MESSAGES/django.po).
JA = {
    "What is going on": "いま起きていること",
    "Language": "言語",
    "Report an incident": "インシデントを報告",
    "What is wrong?": "何が起きていますか？",
    "What do you see?": "どのような症状が見えていますか？",
    "Send report": "報告する",
    "Thank you for reporting": "ご報告ありがとうございます",
    "Your report is {ref}.": "報告番号は {ref} です。",
    "False alarms are welcome": "誤報でも大丈夫です。早めの報告が一番です。ありがとうございます。",
    "Follow the incident": "インシデントの状況を見る",
    "Saved.": "保存しました。",
    "Reported": "報告済み",
    "Declared": "宣言済み",
    "Mitigated": "緩和済み",
    "Resolved": "解決済み",
    "Closed": "クローズ",
    "Incident reported.": "インシデントが報告されました。",
    "Next step": "次のステップ",
    "Severity": "重大度",
    "Declare": "宣言する",
    "Declared as SEV2.": "SEV2 として宣言されました。",
    "Roles": "ロール",
    "Role": "ロール",
    "Person": "担当者",
    "Assign": "割り当てる",
    "{user} assigned as {role}.": "{user} が{role}に割り当てられました。",
    "Timeline": "タイムライン",
    "What happened?": "何が起きましたか？",
    "When it happened (empty: now)": "発生時刻（空欄なら現在時刻）",
    "Add to timeline": "タイムラインに追加",
    "Latest status update": "最新のステータス更新",
    "Status update": "ステータス更新",
    "Post status update": "ステータス更新を投稿",
    "Status update: {text}": "ステータス更新：{text}",
    "Mark mitigated": "緩和済みにする",
    "Mark resolved": "解決済みにする",
    "Close": "クローズ",
    "Status changed to {status}.": "ステータスが{status}に変更されました。",
    "This incident is finished.": "このインシデントの対応は終了しています。",
    "Milestones": "マイルストーン",
    "Responders move the incident along; you can follow it here.": (
        "インシデントを進めるのは対応者です。ここで状況を確認できます。"
    ),
}
# Severity and role names come from the catalogue rows, which carry both languages.
SEV2 = "SEV2 重大"
COMMANDER = "インシデントコマンダー"
SCRIBE = "記録担当"

TITLE = "決済APIでタイムアウトが増えている"
DESCRIPTION = "10時ごろから、カード決済の一部が30秒でタイムアウトしています。"
EARLIER_NOTE = "監視でエラー率の上昇を検知(まだ閾値未満)"
LATER_NOTE = "サポート窓口に「決済できない」との問い合わせ"
FIRST_UPDATE = "調査中です。カード決済の一部が失敗しています。"
SECOND_UPDATE = "原因の設定変更を切り戻しました。決済は回復しつつあります。"


def card(page: Page, heading: str) -> Locator:
    """The card (section) a person would look at, found by its heading."""
    return page.locator("section.card").filter(
        has=page.get_by_role("heading", name=heading, exact=True)
    )


FINAL_MESSAGE = "決済は通常どおりご利用いただけます。"


def timeline(page: Page) -> Locator:
    return page.get_by_test_id("timeline").get_by_role("listitem")


def expect_step(page: Page, entries: int, status: str, newest: str) -> None:
    """After a step: the page came back saying it saved, the timeline grew to `entries`
    with the step described last, and the status badge shows `status`."""
    expect(timeline(page)).to_have_count(entries)
    expect(timeline(page).last).to_contain_text(newest)
    expect(page.get_by_test_id("status")).to_have_text(status)
    expect(page.get_by_role("status")).to_have_text(JA["Saved."])


def move(page: Page, button: str) -> None:
    card(page, JA["Next step"]).get_by_role("button", name=button, exact=True).click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_responder_reports_and_runs_an_incident_in_japanese(
    page: Page, responder: User, frozen_clock: MovableClock, screenshots: Path
) -> None:
    make_user("ken", "responder")
    make_user("mio", "responder")

    # The browser asks for English; the header switcher sets the user's own language.
    log_in(page, responder)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("banner").get_by_label("Language").select_option("ja")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.get_by_role("heading", level=1)).to_have_text(JA["What is going on"])

    # One click from the dashboard to the report form; two fields are enough.
    page.get_by_role("banner").get_by_role("link", name=JA["Report an incident"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(JA["Report an incident"])
    page.get_by_label(JA["What is wrong?"]).fill(TITLE)
    page.get_by_label(JA["What do you see?"]).fill(DESCRIPTION)
    page.get_by_role("button", name=JA["Send report"]).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(JA["Thank you for reporting"])
    expect(page.get_by_text(JA["False alarms are welcome"])).to_be_visible()
    ref = "INC-1"  # the first incident of a fresh database
    expect(page.get_by_text(JA["Your report is {ref}."].format(ref=ref))).to_be_visible()
    page.get_by_role("link", name=JA["Follow the incident"]).click()

    expect(page).to_have_url(re.compile(rf"/incidents/{ref}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{ref} {TITLE}")
    expect(page.locator("#incident-head").get_by_text(DESCRIPTION)).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text(JA["Reported"])
    expect(timeline(page)).to_have_count(1)
    expect(timeline(page).first).to_contain_text("2026-11-25 10:00")
    expect(timeline(page).first).to_contain_text(JA["Incident reported."])

    # Declare it SEV2.
    frozen_clock.advance(minutes=2)
    card(page, JA["Next step"]).get_by_label(JA["Severity"]).select_option(label=SEV2)
    move(page, JA["Declare"])
    expect_step(page, 2, JA["Declared"], JA["Declared as SEV2."])
    expect(page.get_by_test_id("severity")).to_have_text(SEV2)

    # An Incident Commander and a Scribe: two different people.
    roles = card(page, JA["Roles"])
    for minutes, role, person, entries in [(2, COMMANDER, "ken", 3), (1, SCRIBE, "mio", 4)]:
        frozen_clock.advance(minutes=minutes)
        roles.get_by_label(JA["Role"]).select_option(label=role)
        roles.get_by_label(JA["Person"]).select_option(label=person)
        roles.get_by_role("button", name=JA["Assign"]).click()
        said = JA["{user} assigned as {role}."].format(user=person, role=role)
        expect_step(page, entries, JA["Declared"], said)
    expect(page.get_by_test_id("roles").get_by_role("listitem")).to_have_text(
        [f"{COMMANDER} ken", f"{SCRIBE} mio"]
    )

    # Two backdated notes, the later one first: both go to the top, earliest first.
    notes = card(page, JA["Timeline"])
    for text, at, entries in [(LATER_NOTE, "09:40", 5), (EARLIER_NOTE, "09:20", 6)]:
        frozen_clock.advance(minutes=1)
        notes.get_by_label(JA["What happened?"]).fill(text)
        notes.get_by_label(JA["When it happened (empty: now)"]).fill(f"2026-11-25T{at}")
        notes.get_by_role("button", name=JA["Add to timeline"]).click()
        expect(timeline(page)).to_have_count(entries)
        expect(timeline(page).first).to_contain_text(text)  # earliest so far: on top
        expect(page.get_by_test_id("status")).to_have_text(JA["Declared"])
        expect(page.get_by_role("status")).to_have_text(JA["Saved."])
    top = [("09:20", EARLIER_NOTE), ("09:40", LATER_NOTE), ("10:00", JA["Incident reported."])]
    for index, (at, text) in enumerate(top):
        expect(timeline(page).nth(index).locator("time")).to_have_text(f"2026-11-25 {at}")
        expect(timeline(page).nth(index)).to_contain_text(text)
    expect(timeline(page).locator("time")).to_have_text(
        [f"2026-11-25 {hm}" for hm in ["09:20", "09:40", "10:00", "10:02", "10:04", "10:05"]]
    )

    # Two status updates; the newer one is the one shown as the latest.
    updates = card(page, JA["Latest status update"])
    for text, entries in [(FIRST_UPDATE, 7), (SECOND_UPDATE, 8)]:
        frozen_clock.advance(minutes=5)
        updates.get_by_label(JA["Status update"]).fill(text)
        updates.get_by_role("button", name=JA["Post status update"]).click()
        expect_step(page, entries, JA["Declared"], JA["Status update: {text}"].format(text=text))
        expect(updates.get_by_test_id("latest-update")).to_have_text(text)
    expect(updates).not_to_contain_text(FIRST_UPDATE)

    # Mitigated, resolved, closed.
    for button, status, entries in [
        (JA["Mark mitigated"], JA["Mitigated"], 9),
        (JA["Mark resolved"], JA["Resolved"], 11),
        (JA["Close"], JA["Closed"], 12),
    ]:
        frozen_clock.advance(minutes=10)
        said = JA["Status changed to {status}."].format(status=status)
        if status == JA["Resolved"]:
            # Resolving also posts the final message to the stakeholders, entered last.
            card(page, JA["Next step"]).get_by_test_id("final-message").fill(FINAL_MESSAGE)
            said = FINAL_MESSAGE
        move(page, button)
        expect_step(page, entries, status, said)
    expect(card(page, JA["Next step"])).to_contain_text(JA["This incident is finished."])
    # Reported, acknowledged (declaring implies it), declared, mitigated, resolved, closed.
    expect(card(page, JA["Milestones"]).locator("dd")).to_have_text(
        [f"2026-11-25 {hm}" for hm in ["10:00", "10:02", "10:02", "10:27", "10:37", "10:47"]]
    )

    # The assertions above need only the HTML; the picture needs the stylesheet as well
    # (measured before it applies, the unstyled page is 2000 px tall).
    page.wait_for_load_state("load")
    page.screenshot(path=screenshots / "incident-flow-ja.png", full_page=True)


@pytest.fixture
def reported(responder: User, service: Service) -> str:
    return actions.report_incident(responder, TITLE, DESCRIPTION, services=[service]).ref


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_viewer_follows_without_actions_and_can_switch_to_english(
    page: Page, viewer: User, reported: str
) -> None:
    accounts.set_language(viewer, "ja")
    log_in(page, viewer)
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    page.goto(f"/incidents/{reported}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{reported} {TITLE}")
    expect(page.get_by_test_id("status")).to_have_text(JA["Reported"])

    # A viewer follows the incident but is offered none of the responders' actions.
    steps = card(page, JA["Next step"])
    expect(steps).to_contain_text(JA["Responders move the incident along; you can follow it here."])
    expect(steps.get_by_role("button")).to_have_count(0)
    expect(page.get_by_role("button", name=JA["Post status update"])).to_have_count(0)
    expect(page.get_by_role("button", name=JA["Assign"])).to_have_count(0)
    expect(timeline(page)).to_have_count(1)

    page.get_by_role("banner").get_by_label(JA["Language"]).select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(rf"/incidents/{reported}/$"))
    expect(page.get_by_test_id("status")).to_have_text("Reported")
    expect(page.get_by_role("heading", level=2)).to_contain_text(
        ["Latest status update", "Timeline", "Next step", "Roles", "Milestones"]
    )
    expect(timeline(page)).to_have_text([re.compile(r"Incident reported\.")])
    expect(card(page, "Next step")).to_contain_text(
        "Responders move the incident along; you can follow it here."
    )
