"""The formation and checklists a new installation starts with (admins edit them afterwards).
The default formation follows Asoview's positions; the checklists follow Asoview's four-step
start-up and NewsPicks' way of working as incident commander (texts are our own)."""

from typing import Any

DEFAULT_FORMATION: dict[str, Any] = {
    "slug": "standard",
    "name_ja": "標準フォーメーション",
    "name_en": "Standard formation",
    "description_ja": "どの障害にも使える基本の配置。コマンダーが必要なポジションから埋める。",
    "description_en": "The basic line-up for any incident; the commander fills the positions needed.",
}

# (role slug, name_ja, name_en, duties_ja, duties_en), in the order shown.
POSITIONS: list[tuple[str, str, str, str, str]] = [
    (
        "incident_commander",
        "コマンダー",
        "Commander",
        "対応の旗を振る。方針を決め、担当を指名して作業を指示し、状況を報告する。",
        "Leads the response: sets the course, names people, directs the work and reports.",
    ),
    (
        "investigator",
        "原因調査担当",
        "Investigator",
        "起きている現象の原因を調べ、そのための情報を集める。",
        "Looks for the cause of what is happening and gathers what is needed to find it.",
    ),
    (
        "first_aid",
        "応急処置担当",
        "First aid",
        "決められた手順で再起動や小さな修正のデプロイを行い、復旧を試みる。",
        "Tries to restore service by the agreed procedures: restarts, small fixes deployed.",
    ),
    (
        "impact_assessor",
        "影響範囲担当",
        "Impact assessor",
        "原因の見当がついたら、影響を受けたお客さまと機能を確かめる。",
        "Once the cause is roughly known, checks which customers and functions were hit.",
    ),
    (
        "root_fix_owner",
        "根本対応担当",
        "Root-fix owner",
        "原因が分かったあと、根本的な対応を進める。",
        "Once the cause is known, carries out the lasting fix.",
    ),
    (
        "scribe",
        "記録担当",
        "Scribe",
        "起きたことと行った対応を時系列で記録し、資料を整理する。",
        "Records events and actions on the timeline and keeps the documents in order.",
    ),
    (
        "bridge",
        "ブリッジング担当",
        "Bridge",
        "システム対応と顧客対応の両方の通話に入り、状況をまとめて伝える。",
        "Sits in both the system and the customer calls and passes on a summary of each.",
    ),
]

# slug, names, role slug, severity levels (empty: every severity), items (ja, en).
CHECKLISTS: list[dict[str, Any]] = [
    {
        "slug": "commander-start-up",
        "order": 1,
        "role": "incident_commander",
        "levels": [],
        "name_ja": "コマンダーの初動",
        "name_en": "Commander's start-up",
        "description_ja": "どんな障害でも迷わず動けるように、最初の4ステップ。",
        "description_en": "The first four steps, the same for every incident.",
        "items": [
            ("障害発生を宣言する", "Declare the incident"),
            ("障害対応用のチャンネルを開く", "Open the incident channel"),
            ("各領域のキーパーソンを呼び出す", "Page the key people of every area"),
            (
                "ブリッジコールを2つ開く（システム復旧用と顧客対応用）",
                "Open both bridge calls (system recovery and customer response)",
            ),
        ],
    },
    {
        "slug": "commander-conduct",
        "order": 2,
        "role": "incident_commander",
        "levels": [1, 2, 3],
        "name_ja": "コマンダーの動き方",
        "name_en": "How the commander works",
        "description_ja": "コマンダーは自分で調査せず、人を集めて進行に集中する。",
        "description_en": "The commander does not dig in personally: gather people and drive.",
        "items": [
            (
                "障害チャンネルにスレッドを立て、関係者を通話に集める",
                "Start a thread in the incident channel and bring the people onto a call",
            ),
            (
                "コマンダーとして通話に入ったことを伝える",
                "Announce on the call that you are the commander",
            ),
            (
                "調査と作業は担当に任せ、自分ではログを調べない",
                "Hand investigation and fixes to others; do not dig into logs yourself",
            ),
            (
                "担当者ごとの対応状況をチャンネルで更新し続ける",
                "Keep each person's progress updated in the channel",
            ),
            (
                "業務側の担当がいなければ、業務への影響と復旧を確認する",
                "If nobody liaises with the business side, confirm the business impact and recovery",
            ),
            ("対応体制の解散を宣言する", "Announce that the response team stands down"),
            (
                "ふりかえりを開くかどうかを決める",
                "Decide whether to hold a retrospective",
            ),
        ],
    },
]
