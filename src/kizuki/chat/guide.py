"""The response guide pinned in each incident channel, per severity, in Japanese and English.

Like the default severities (incidents/defaults.py) this is prose kept in both languages side
by side rather than in the .po catalogue; `render` picks KIZUKI_LANGUAGE (LANGUAGE_CODE)."""

from dataclasses import dataclass

from kizuki.incidents.models import Incident, Severity


@dataclass(frozen=True)
class Words:
    heading: str
    steps: list[str]
    by_level: dict[int, list[str]]
    retrospective: str
    links: str
    system_call: str
    customer_call: str
    document: str
    incident_page: str
    missing: str
    similar: str
    retrospective_link: str


JA = Words(
    heading="*SEV%(level)s 対応ガイド*",
    steps=[
        "このチャンネルに情報を集約します。調査結果・判断・作業はここに書いてください。",
        "インシデントコマンダーを決めます（インシデントページまたは `/incident` で担当）。"
        "コマンダーは方針を決め、担当を割り当て、報告します。自分ではログを掘りません。",
        "ブリッジコールはシステム復旧と顧客対応の2つに分けて開きます。ブリッジ担当は両方に入ります。",
        "記録担当は共同編集の記録ドキュメントを用意し、いつ何が起き、何をしたかを時系列で残します。",
        "ステータス更新を%(interval)s分ごとに出します。変化がなくても出します。",
        "誤報でも大丈夫です。報告してくれた人に感謝し、隠さずに重大度を下げるか誤報にします。",
        "休憩と食事を取り、今日中にやることを決めて残りは引き継ぎます。",
    ],
    by_level={
        1: [
            "キーマン全員を今すぐ呼び出します。全社で即時対応します。",
            "当局への報告が必要かを IT リスク担当と判断します。",
            "お客さまへの案内を最初から顧客対応チームと進めます。",
        ],
        2: [
            "キーマンを呼び出し、即時対応します。",
            "顧客対応チームに状況を共有し、問い合わせに備えます。",
        ],
        3: ["営業時間内に優先対応します。回避策をサポートに共有します。"],
        4: ["お客さま影響はありません。潜在リスクを取り除くチケットを期限付きで作ります。"],
        5: ["記録のみです。対応は任意です。"],
    },
    retrospective="この重大度では振り返りが必須です。",
    links="*リンク*",
    system_call="システム復旧のブリッジコール",
    customer_call="顧客対応のブリッジコール",
    document="記録ドキュメント",
    incident_page="インシデントページ",
    missing="未設定 — インシデントページで追加してください",
    similar="*似た過去のインシデント*",
    retrospective_link="振り返り",
)

EN = Words(
    heading="*SEV%(level)s response guide*",
    steps=[
        "Everything about this incident goes in this channel: findings, decisions, actions.",
        "Pick an incident commander (take the role on the incident page or with `/incident`)."
        " The commander decides the course, assigns roles and reports; they do not dig into"
        " logs themselves.",
        "Open two bridge calls, system recovery and customer response; the bridge person joins"
        " both.",
        "The scribe opens the shared recording document and keeps the timeline: what happened,"
        " what was done, when.",
        "Post a status update every %(interval)s minutes, even when nothing changed.",
        "False alarms are fine: thank the reporter, and lower the severity or mark a false"
        " alarm instead of hiding it.",
        "Take breaks and eat; decide what must be done today and hand over the rest.",
    ],
    by_level={
        1: [
            "Page all key people now; the whole company responds at once.",
            "Decide with IT risk whether regulators must be told.",
            "Work on customer communication with the customer team from the start.",
        ],
        2: [
            "Page the key people and respond at once.",
            "Tell the customer team what is happening so they are ready for enquiries.",
        ],
        3: ["Handle first thing in working hours; share the workaround with support."],
        4: ["No customer impact: file a ticket with a due date to remove the latent risk."],
        5: ["For the record only; response is optional."],
    },
    retrospective="A retrospective is required for this severity.",
    links="*Links*",
    system_call="System recovery call",
    customer_call="Customer response call",
    document="Recording document",
    incident_page="Incident page",
    missing="not set yet — add it on the incident page",
    similar="*Similar past incidents*",
    retrospective_link="retrospective",
)


def words(language: str) -> Words:
    return JA if language.startswith("ja") else EN


def _link(label: str, url: str, missing: str) -> str:
    return f"• {label}: <{url}|{url}>" if url else f"• {label}: {missing}"


@dataclass(frozen=True)
class PastIncident:
    """A similar past incident to link: its page, and its retrospective's when published."""

    label: str
    url: str
    retrospective_url: str


def render(
    incident: Incident,
    severity: Severity,
    incident_url: str,
    language: str,
    similar: list[PastIncident] | None = None,
) -> str:
    """The guide for the incident's severity, with its bridge-call and document links and
    the similar past incidents (what was learnt then is the first thing to read)."""
    w = words(language)
    values = {"level": severity.level, "interval": severity.status_update_interval_minutes}
    description = severity.description_ja if language.startswith("ja") else severity.description_en
    name = severity.name_ja if language.startswith("ja") else severity.name_en
    lines = [f":rotating_light: *{incident.ref} {incident.title}* — SEV{severity.level} {name}"]
    if description:
        lines.append(description)
    lines += ["", w.heading % values]
    steps = [step % values for step in w.steps] + w.by_level.get(severity.level, [])
    lines += [f"{n}. {step}" for n, step in enumerate(steps, start=1)]
    if severity.retrospective_required:
        lines.append(w.retrospective)
    lines += [
        "",
        w.links,
        _link(w.system_call, incident.bridge_system_url, w.missing),
        _link(w.customer_call, incident.bridge_customer_url, w.missing),
        _link(w.document, incident.document_url, w.missing),
        _link(w.incident_page, incident_url, w.missing),
    ]
    if similar:
        lines += ["", w.similar]
        for past in similar:
            line = f"• <{past.url}|{past.label}>"
            if past.retrospective_url:
                line += f" — <{past.retrospective_url}|{w.retrospective_link}>"
            lines.append(line)
    return "\n".join(lines)
