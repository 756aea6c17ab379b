"""Demo System Risk Records, built through the risks app's actions: the article's own example
(a rate limit of an external payment API, lowered by an interim measure: its history shows the
step down), a memory climb on the gateway being watched and due for a visit this week, and a
slow search query nobody has looked at yet; two Performance Reviews, whose finding about
a batch running longer each week is proposed as a risk (investigated for a week, potential
impact 3)."""

from collections.abc import Callable
from datetime import datetime

from django.utils import translation

from kizuki.accounts.models import User
from kizuki.catalog import queries as catalog
from kizuki.incidents.models import Incident
from kizuki.risks import actions as risks
from kizuki.risks import review_actions


def load(users: dict[str, User], login: Incident, at: Callable[[float], datetime]) -> None:
    services = {s.slug: s for s in catalog.services_by_slug(["checkout", "search", "api-gateway"])}
    at(24 * 40)
    limit = risks.create_risk(
        users["tanaka"],
        {
            "title": "外部決済APIの呼び出し回数制限",
            "summary": "外部決済APIの呼び出しが一定時間あたりの制限を超えるとエラーになる。"
            "注文が増えると確実に超える。",
            "services": [services["checkout"]],
            "owner": users["tanaka"],
            "status": "in_progress",
            "current_impact": 3,
            "potential_impact": 6,
            "likelihood": 2,
            "noticed": "Performance Review で外部APIのエラー率の上昇を確認。"
            "ダッシュボード: https://grafana.example.com/d/payments",
            "cause": "1回のリクエストで外部APIを二重に呼び出している箇所があった。",
            "plan": "暫定: 二重呼び出しをやめる。恒久: 呼び出し結果をキャッシュし、"
            "上限緩和を先方と交渉する。キャッシュ案とキュー案を比較してキャッシュ案を採用。",
            "next_action": "先方の回答を待って上限緩和の可否を確認する。",
        },
    )
    at(24 * 33)
    risks.update_risk(
        users["tanaka"],
        limit,
        {
            "status": "interim_done",
            "current_impact": 1,
            "countermeasures": "暫定対策: 二重呼び出しを解消した。PR: https://github.com/example/shop/pull/812",
            "reason": "二重呼び出しを解消し、エラーが止まった。恒久対策はまだ。",
        },
    )
    at(24 * 3)
    risks.visit_risk(users["tanaka"], limit, "エラーは0件のまま。注文数は前月比で2割増。")

    with translation.override("en"):
        at(24 * 27)
        risks.create_risk(
            users["emma"],
            {
                "title": "API gateway memory climbs after each release",
                "summary": "Memory grows about 5% a day until the next deploy restarts the pods.",
                "services": [services["api-gateway"]],
                "owner": users["emma"],
                "status": "watching",
                "current_impact": 0,
                "potential_impact": 3,
                "likelihood": 1,
                "noticed": "Seen in the weekly Performance Review (memory panel).",
                "incidents": [login],
                "next_action": "Check whether the climb stops with the new session cache.",
            },
        )
    at(24 * 2)
    risks.create_risk(
        users["sato"],
        {
            "title": "検索の遅いクエリ",
            "summary": "商品名の部分一致検索で全件走査になるクエリがある。",
            "services": [services["search"]],
            "owner": users["sato"],
        },
    )

    at(24 * 9)
    review = review_actions.hold_review(
        users["sato"], {"minutes": "決済・検索・バッチのメトリクスを確認。気になる点は2件。"}
    )
    batch = review_actions.add_finding(
        users["sato"],
        review,
        {
            "title": "夜間バッチの処理時間が毎週伸びている",
            "link": "https://grafana.example.com/d/batch",
            "assignee": users["sato"],
            "status": "investigating",
        },
    )
    review_actions.add_finding(
        users["sato"],
        review,
        {"title": "検索APIの5xxが一時的に増加", "assignee": users["emma"], "status": "open"},
    )
    at(24 * 2)
    review_actions.hold_review(users["sato"], {"minutes": "前回の2件の調査結果を確認。"})
    review_actions.update_finding(
        users["sato"],
        batch,
        {
            "note": "注文テーブルの全件走査が原因。データ量に比例して伸びるため、"
            "このままでは朝の営業開始に間に合わなくなる。",
            "potential_impact": 3,
        },
    )
