"""The severities and roles a new installation starts with (admins edit them afterwards)."""

from typing import Any

SEVERITIES: list[dict[str, Any]] = [
    {
        "level": 1,
        "name_ja": "致命的",
        "name_en": "Critical",
        "description_ja": "サービス全体の停止、金銭・個人情報に関わる影響。全社的に即時対応し、当局報告の要否を判断する。",
        "description_en": "Whole service down, or money or personal data affected. Company-wide response at once; decide whether regulators must be told.",
        "retrospective_required": True,
        "follow_up_due_days": 14,
        "status_update_interval_minutes": 30,
        "page_all_key_people": True,
    },
    {
        "level": 2,
        "name_ja": "重大",
        "name_en": "Major",
        "description_ja": "主要機能が使えない、または多くのお客さまに影響がある。即時対応する。",
        "description_en": "A main function is unusable or many customers are affected. Respond at once.",
        "retrospective_required": True,
        "follow_up_due_days": 30,
        "status_update_interval_minutes": 30,
        "page_all_key_people": True,
    },
    {
        "level": 3,
        "name_ja": "中程度",
        "name_en": "Moderate",
        "description_ja": "一部の機能やお客さまに影響があるが回避策がある。営業時間内に優先対応する。",
        "description_en": "Some functions or customers are affected and a workaround exists. Handle first thing in working hours.",
        "retrospective_required": True,
        "follow_up_due_days": 60,
        "status_update_interval_minutes": 60,
        "page_all_key_people": False,
    },
    {
        "level": 4,
        "name_ja": "軽微",
        "name_en": "Minor",
        "description_ja": "お客さま影響はないが、バグなど潜在的なリスクが見つかった。リスクを取り除く。",
        "description_en": "No customer impact, but a latent risk such as a bug was found. Remove the risk.",
        "retrospective_required": False,
        "follow_up_due_days": 90,
        "status_update_interval_minutes": 240,
        "page_all_key_people": False,
    },
    {
        "level": 5,
        "name_ja": "情報",
        "name_en": "Informational",
        "description_ja": "記録のみ。対応は任意。",
        "description_en": "For the record only; response is optional.",
        "retrospective_required": False,
        "follow_up_due_days": 180,
        "status_update_interval_minutes": 1440,
        "page_all_key_people": False,
    },
]

ROLES: list[dict[str, Any]] = [
    {
        "slug": "incident_commander",
        "order": 1,
        "name_ja": "インシデントコマンダー",
        "name_en": "Incident Commander",
        "description_ja": "対応方針を決め、人を集めて割り当て、報告する。自分ではログを掘らない。",
        "description_en": "Decides the course, gathers and assigns people, reports. Does not dig into logs personally.",
    },
    {
        "slug": "communications_lead",
        "order": 2,
        "name_ja": "コミュニケーションリード",
        "name_en": "Communications Lead",
        "description_ja": "情報を集めて関係者に共有し、ステータス更新を出す。",
        "description_en": "Collects information, keeps stakeholders informed and posts status updates.",
    },
    {
        "slug": "technical_lead",
        "order": 3,
        "name_ja": "テクニカルリード",
        "name_en": "Technical Lead",
        "description_ja": "技術面で現場を仕切り、復旧作業を指揮する。",
        "description_en": "Leads the technical work and directs recovery.",
    },
    {
        "slug": "investigator",
        "order": 4,
        "allow_several": True,
        "name_ja": "原因調査担当",
        "name_en": "Investigator",
        "description_ja": "発生している現象の原因を調べ、そのための情報を集める。",
        "description_en": "Finds the cause of what is happening and gathers the information for it.",
    },
    {
        "slug": "first_aid",
        "order": 5,
        "allow_several": True,
        "name_ja": "応急処置担当",
        "name_en": "First-aid / Mitigation",
        "description_ja": "影響を止めるための暫定対応を行う。",
        "description_en": "Applies temporary measures that stop the impact.",
    },
    {
        "slug": "impact_assessor",
        "order": 6,
        "name_ja": "影響範囲担当",
        "name_en": "Impact Assessor",
        "description_ja": "原因がある程度分かった段階で、影響を受けたお客さまと機能を確認する。",
        "description_en": "Once the cause is roughly known, confirms which customers and functions were affected.",
    },
    {
        "slug": "root_fix_owner",
        "order": 7,
        "name_ja": "根本対応担当",
        "name_en": "Root-fix Owner",
        "description_ja": "原因判明後、根本的な対応を行う。",
        "description_en": "After the cause is found, carries out the permanent fix.",
    },
    {
        "slug": "scribe",
        "order": 8,
        "name_ja": "記録担当",
        "name_en": "Scribe",
        "description_ja": "共同編集の記録ドキュメントを用意し、時系列を記録する。",
        "description_en": "Opens the shared recording document and keeps the timeline.",
    },
    {
        "slug": "bridge",
        "order": 9,
        "name_ja": "ブリッジ担当",
        "name_en": "Bridge",
        "description_ja": "システム対応と顧客対応の両方の通話に入り、状況を翻訳して伝える。",
        "description_en": "Joins both the system-recovery and the customer-response calls and translates between them.",
    },
]

# The impact scales (dinii's, in general words); admins rename the steps afterwards.
# (axis, value, English label, Japanese label)
IMPACT_SCALES: list[tuple[str, int, str, str]] = [
    ("scope", 1, "A few sites", "数拠点"),
    ("scope", 2, "Under half of the sites", "半数未満の拠点"),
    ("scope", 3, "Half of the sites or more", "半数以上の拠点"),
    ("effect", 1, "Only work outside the core is affected", "中核以外の業務のみに影響"),
    ("effect", 3, "Core work impaired but workable", "中核業務に支障（代替手段あり）"),  # noqa: RUF001
    ("effect", 5, "Core work impossible", "中核業務の遂行が困難"),
]

# The lowest impact level each severity stands for: 10 → SEV1, 6 → SEV2, 3 → SEV3, lower →
# SEV4. SEV5 is never suggested.
IMPACT_THRESHOLDS: dict[int, int] = {1: 10, 2: 6, 3: 3, 4: 0}

# The cause categories a new installation starts with (the reports count incidents per
# cause; admins rename, reorder and retire them afterwards). "unknown" is for an incident
# whose cause was looked for and not found; an incident not yet classified has none.
CAUSE_CATEGORIES: list[dict[str, Any]] = [
    {
        "slug": "change",
        "position": 1,
        "name_ja": "変更・リリース",
        "name_en": "Change or release",
        "description_ja": "デプロイ、リリース、マイグレーションなど、システムへの変更が引き金になったもの。",
        "description_en": "Set off by a change to the system: a deploy, a release, a migration.",
    },
    {
        "slug": "configuration",
        "position": 2,
        "name_ja": "設定",
        "name_en": "Configuration",
        "description_ja": "設定値、フラグ、権限、証明書の期限など、設定の誤りや漏れによるもの。",
        "description_en": "A wrong or missing setting: values, flags, permissions, an expired certificate.",
    },
    {
        "slug": "capacity",
        "position": 3,
        "name_ja": "容量・負荷",
        "name_en": "Capacity or load",
        "description_ja": "アクセス集中、リソースの枯渇、キューの滞留など、負荷が容量を超えたもの。",
        "description_en": "Load beyond capacity: traffic peaks, exhausted resources, queues backing up.",
    },
    {
        "slug": "dependency",
        "position": 4,
        "name_ja": "外部サービス・依存先",
        "name_en": "External service or dependency",
        "description_ja": "クラウド、決済代行、SaaS、社内の他システムなど、依存先の障害によるもの。",
        "description_en": "A failure of something we depend on: a cloud, a payment provider, a SaaS, another internal system.",
    },
    {
        "slug": "infrastructure",
        "position": 5,
        "name_ja": "インフラ・ハードウェア",
        "name_en": "Infrastructure or hardware",
        "description_ja": "サーバー、ネットワーク、ストレージ、データベース基盤の故障によるもの。",
        "description_en": "A fault in servers, the network, storage or the database platform.",
    },
    {
        "slug": "defect",
        "position": 6,
        "name_ja": "ソフトウェアの不具合",
        "name_en": "Software defect",
        "description_ja": "以前から潜んでいたバグが特定の条件で表面化したもの。",
        "description_en": "A bug that was already there and surfaced under some condition.",
    },
    {
        "slug": "operation",
        "position": 7,
        "name_ja": "運用作業",
        "name_en": "Operational work",
        "description_ja": "手作業での操作、メンテナンス、データ修正などの作業ミスによるもの。",
        "description_en": "A slip in manual work: an operation, maintenance, a data fix.",
    },
    {
        "slug": "security",
        "position": 8,
        "name_ja": "セキュリティ",
        "name_en": "Security",
        "description_ja": "攻撃、不正アクセス、脆弱性の悪用によるもの。",
        "description_en": "An attack, unauthorised access or an exploited vulnerability.",
    },
    {
        "slug": "unknown",
        "position": 9,
        "name_ja": "不明",
        "name_en": "Unknown",
        "description_ja": "調査したが原因を特定できなかったもの。",
        "description_en": "Investigated, but the cause could not be found.",
    },
]
