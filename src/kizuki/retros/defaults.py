"""The three templates a new installation starts with (admins edit or retire them later),
following the formats the seed articles describe: Merpay's incident review, Mirrativ's
postmortem with evidence, and Asoview's response record. Loaded by a data migration."""

from typing import Any

BLAMELESS_EN = "Blameless: describe what the system and the organisation allowed, not who slipped."
BLAMELESS_JA = "非難しない：誰がミスしたかではなく、仕組みと組織の何がそれを許したかを書きます。"

EVIDENCE_EN = (
    "Back every statement with evidence others can check: chat links, the commands you ran and"
    " their output, dashboard links or screenshots."
)
EVIDENCE_JA = (
    "他の人が確かめられるよう、エビデンスと一緒に書きます（Slack のリンク、調査で実行したコマンドと"
    "その出力、監視画面のリンクやスクリーンショットなど）。"
)

INCIDENT_REVIEW: dict[str, Any] = {
    "key": "incident-review",
    "position": 1,
    "name_en": "Incident review",
    "name_ja": "インシデントレビュー",
    "description_en": (
        "Overview, cause and response, and a reflection on how the response went; reviewed by"
        " the incident management committee."
    ),
    "description_ja": (
        "インシデントの概要、原因と対応、対応の振り返りをまとめ、インシデントマネジメント"
        "委員会でレビューします。"
    ),
    "sections": [
        {
            "key": "service",
            "title_en": "Overview: the service",
            "title_ja": "概要：サービスの概要",
            "guidance_en": (
                "What the affected service does and for whom, so a reader from another team can"
                " follow the rest."
            ),
            "guidance_ja": "影響を受けたサービスが何を誰に提供しているかを、他チームの人にも分かるように書きます。",
            "prefill": ["overview"],
            "purpose": "overview",
        },
        {
            "key": "timeline",
            "title_en": "Overview: timeline",
            "title_ja": "概要：タイムライン",
            "guidance_en": (
                "From the first sign to the resolution. Check the times to acknowledge and to"
                " resolve: where did the minutes go?"
            ),
            "guidance_ja": "最初の兆候から解決まで。検知（MTTA）と解決（MTTR）にかかった時間を確かめ、どこで時間がかかったかを見ます。",
            "prefill": ["milestones", "timeline"],
            "purpose": "timeline",
        },
        {
            "key": "damage",
            "title_en": "Overview: damage",
            "title_ja": "概要：被害状況",
            "guidance_en": "Who and what was affected, for how long, and any damage that followed.",
            "guidance_ja": "誰に何の影響がどれだけの時間あったか、その後に生じた被害も含めて書きます。",
            "prefill": ["impact"],
            "purpose": "impact",
        },
        {
            "key": "direct-cause",
            "title_en": "Cause and response: direct cause",
            "title_ja": "原因と対応：直接的な原因",
            "guidance_en": "The change, fault or operation that set it off.",
            "guidance_ja": "インシデントの引き金になった変更・故障・操作を書きます。",
            "purpose": "cause",
        },
        {
            "key": "interim-action",
            "title_en": "Cause and response: interim action",
            "title_ja": "原因と対応：暫定対応",
            "guidance_en": "What stopped the damage for now, and what it leaves in place.",
            "guidance_ja": "ひとまず被害を止めた対応と、それで残っているものを書きます。",
            "purpose": "response",
        },
        {
            "key": "root-cause",
            "title_en": "Cause and response: root cause",
            "title_ja": "原因と対応：根本的な原因",
            "guidance_en": "Why the direct cause could happen at all. Keep asking why.",
            "guidance_ja": "そもそもなぜ直接的な原因が起こり得たのか。「なぜ」を繰り返して掘り下げます。",
            "purpose": "cause",
        },
        {
            "key": "permanent-fix",
            "title_en": "Cause and response: permanent fix",
            "title_ja": "原因と対応：恒久対応",
            "guidance_en": (
                "The fix that removes the root cause rather than patching over it; a ticket with"
                " a due date, split into milestones when it cannot be done at once."
            ),
            "guidance_ja": "場当たり的な修正ではなく根本原因を潰し切る対応。期限つきのチケットにし、すぐに完了できない場合はマイルストーンに分けて計画します。",
            "purpose": "prevention",
        },
        {
            "key": "prevention",
            "title_en": "Cause and response: prevention",
            "title_ja": "原因と対応：再発防止策",
            "guidance_en": (
                "Consider: bug fixes, better operation or design, the team set-up, residual"
                " risks, monitoring and SLOs, shorter times to acknowledge and to resolve."
            ),
            "guidance_ja": "観点：バグ修正、運用や設計の改善、体制の見直し、残存リスクへの対応、監視や SLO の見直し、MTTA・MTTR の改善。",
            "purpose": "prevention",
        },
        {
            "key": "response-reflection",
            "title_en": "Reflection on the response",
            "title_ja": "インシデント対応の振り返り",
            "guidance_en": (
                "How the response went: escalation, roles, communication, what to keep and what"
                " to change next time. " + BLAMELESS_EN
            ),
            "guidance_ja": "エスカレーション、役割、コミュニケーションなど対応の進め方を振り返り、次も続けることと変えることを書きます。"
            + BLAMELESS_JA,
            "prefill": ["roles", "alerts", "status_updates"],
            "purpose": "reflection",
        },
    ],
}

POSTMORTEM: dict[str, Any] = {
    "key": "postmortem",
    "position": 2,
    "name_en": "Postmortem with evidence",
    "name_ja": "障害振り返り（エビデンス付き）",
    "description_en": (
        "Impact, background, how it happened and was recovered, cause, and prevention by"
        " phase; every section backed by evidence others can check."
    ),
    "description_ja": "影響・背景・発生と復旧の流れ・原因・フェーズごとの被害の最小化と再発防止策。どの章もエビデンスとセットで書きます。",
    "sections": [
        {
            "key": "impact",
            "title_en": "Impact",
            "title_ja": "影響",
            "guidance_en": "When it happened, which functions and which users were affected.",
            "guidance_ja": "発生日時、影響を受けた機能と対象者を書きます。",
            "prefill": ["impact", "milestones"],
            "purpose": "impact",
        },
        {
            "key": "background",
            "title_en": "Background",
            "title_ja": "背景",
            "guidance_en": (
                "The domain knowledge needed to follow the rest, for engineers from other teams"
                " or who do not know the history."
            ),
            "guidance_ja": "以降の章を理解するために必要なドメイン知識を、他事業部や経緯を知らないエンジニアにも分かるように説明します。",
            "purpose": "overview",
        },
        {
            "key": "flow",
            "title_en": "How it happened and how it was recovered",
            "title_ja": "発生・復旧フロー",
            "guidance_en": (
                "In time order: what set it off, how it was detected, what was done until it"
                " recovered. Name the channel it was detected through: was there a game of"
                " telephone, is the channel so noisy people mute it, should it rank higher?"
                " Which step took the longest?"
            ),
            "guidance_ja": "何がどう作用して障害が起き、どう検知され、どう作業して復旧したかを時系列で書きます。検知したチャネルを明記し、不要な伝言ゲームがなかったか、ノイズが多くミュートされていないか、優先度を上げるべきかを確かめます。どこに時間がかかったかも洗い出します。",
            "prefill": ["alerts", "timeline", "roles", "status_updates"],
            "purpose": "timeline",
        },
        {
            "key": "cause",
            "title_en": "Cause",
            "title_ja": "原因",
            "guidance_en": "The chain of cause and effect that led to the failure, in detail.",
            "guidance_ja": "どういう因果関係で障害が発生したのかを詳細に書きます。",
            "purpose": "cause",
        },
        {
            "key": "prevention",
            "title_en": "Minimising damage and preventing recurrence",
            "title_ja": "被害の最小化・再発防止策",
            "guidance_en": (
                "Mechanisms that prevent it, find it earlier or explain it faster, by phase:"
                " during development (types and architecture, CI tests, code review,"
                " onboarding), during verification (share past cases with QA), after release"
                " (canary, error logs, watching response times and slow queries). Avoid: ad hoc"
                " fixes that hide errors, punitive rules that slow development, 'be more"
                " careful' without a checklist, heavyweight programmes out of proportion."
            ),
            "guidance_ja": "再発を防ぐ仕組み、早期発見や原因の解像度を上げる仕組みをフェーズごとに考えます。開発時（型やアーキテクチャ、CI の自動テスト、コードレビュー、オンボーディング資料）、機能検証時（過去の障害事例を QA に共有）、本番リリース後（カナリアリリース、エラーログ、レスポンス速度や slow query の監視）。避けること：エラーを握りつぶすような場当たり的な対応、開発速度を過剰に制限する罰則的な対応、手順やチェック項目に落とし込まない「細心の注意」、効果に見合わない重厚長大な対策。",
            "prefill": ["phases"],
            "purpose": "prevention",
        },
    ],
}

RESPONSE_RECORD: dict[str, Any] = {
    "key": "response-record",
    "position": 3,
    "name_en": "Response record",
    "name_ja": "障害対応記録",
    "description_en": (
        "The shared record the scribe keeps from the start of the response; it becomes the"
        " base of the incident report and the postmortem."
    ),
    "description_ja": "記録担当が対応開始直後から共同編集で残す記録。障害報告書とポストモーテムのベースになります。",
    "sections": [
        {
            "key": "what-happened",
            "title_en": "What happened",
            "title_ja": "発生事象",
            "guidance_en": "What happened, as observed.",
            "guidance_ja": "何が起こったかを書きます。",
            "prefill": ["overview"],
            "purpose": "overview",
        },
        {
            "key": "recovery-history",
            "title_en": "History of the recovery work",
            "title_ja": "経緯・復旧作業の対応履歴",
            "guidance_en": (
                "Each action with its time: restarted the database at 10:12, deployed the fix at"
                " 10:40, confirmed recovery at 10:45."
            ),
            "guidance_ja": "実施した対応を時刻とともに残します（例：10時12分 DB 再起動、10時40分 修正をデプロイ、10時45分 復旧を確認）。",
            "prefill": ["milestones", "timeline", "roles", "alerts", "status_updates"],
            "purpose": "timeline",
        },
        {
            "key": "impact",
            "title_en": "Impact",
            "title_ja": "影響範囲",
            "guidance_en": (
                "By customer (guests, partners), by function, by time; and whether there was"
                " secondary damage."
            ),
            "guidance_ja": "顧客軸（ゲスト・パートナー）、機能軸、時間軸で整理し、二次被害の有無も書きます。",
            "prefill": ["impact"],
            "purpose": "impact",
        },
        {
            "key": "investigation",
            "title_en": "Investigation notes and hypotheses",
            "title_ja": "原因調査記録と考察",
            "guidance_en": (
                "Logs and data snapshots; the hypotheses the facts suggest and how each was"
                " checked."
            ),
            "guidance_ja": "ログやデータのスナップショット、ファクトから導ける仮説とその検証内容を書きます。",
            "asks_evidence": True,
            "purpose": "cause",
        },
        {
            "key": "final-cause",
            "title_en": "Final cause",
            "title_ja": "最終的な原因",
            "guidance_en": "The cause the investigation settled on.",
            "guidance_ja": "調査の結果たどり着いた原因を書きます。",
            "purpose": "cause",
        },
        {
            "key": "prevention",
            "title_en": "Prevention",
            "title_ja": "再発防止策",
            "guidance_en": (
                "Prevent (how to stop this recurring), detect (how to notice it sooner),"
                " mitigate (how to make the next one smaller), repair (how to recover faster)."
            ),
            "guidance_ja": "予防（再発をどう防ぐか）、検出（どうすれば早く正確に検出できるか）、緩和（次に起きたときの影響をどう減らすか）、修正（どうすればより速く回復できるか）。",
            "purpose": "prevention",
        },
    ],
}

for _section in POSTMORTEM["sections"]:
    _section["asks_evidence"] = True
    _section["guidance_en"] = f"{_section['guidance_en']} {EVIDENCE_EN}"
    _section["guidance_ja"] = f"{_section['guidance_ja']}{EVIDENCE_JA}"

TEMPLATES: list[dict[str, Any]] = [INCIDENT_REVIEW, POSTMORTEM, RESPONSE_RECORD]
DEFAULT_TEMPLATE = INCIDENT_REVIEW["key"]
# Days after resolving when a required retrospective is due, until an admin sets a policy.
DEFAULT_DUE_DAYS = 14


def seed_templates(template_model: Any, section_model: Any) -> None:
    """Create the built-in templates that are missing (a data migration passes its historical
    models, so this runs on a fresh database as on an old one)."""
    for data in TEMPLATES:
        fields = {k: v for k, v in data.items() if k != "sections"}
        template, created = template_model.objects.get_or_create(
            key=data["key"], defaults={**fields, "built_in": True}
        )
        if not created:
            continue
        for position, section in enumerate(data["sections"], start=1):
            section_model.objects.create(template=template, position=position, **section)
