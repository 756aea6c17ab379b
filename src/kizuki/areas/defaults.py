"""The response areas a new installation starts with: created without owners, so the
readiness page shows each as a gap until an admin names an owner and deputies."""

from typing import Any

AREAS: list[dict[str, Any]] = [
    {
        "slug": "customers-guests",
        "position": 1,
        "name_ja": "顧客（対ゲスト）",
        "name_en": "Customers — guests",
        "description_ja": "一般のお客さまからの問い合わせや報告に対応し、案内を決める。",
        "description_en": "Answers questions and reports from guests (consumers) and decides what they are told.",
    },
    {
        "slug": "customers-partners",
        "position": 2,
        "name_ja": "顧客（対パートナー）",
        "name_en": "Customers — partners",
        "description_ja": "パートナー事業者からの問い合わせに対応し、影響と見通しを伝える。",
        "description_en": "Answers partner businesses and tells them the impact and what to expect.",
    },
    {
        "slug": "system",
        "position": 3,
        "name_ja": "システム",
        "name_en": "System",
        "description_ja": "システム復旧の旗振り役。対応方針を決め、担当者に作業を指示する。",
        "description_en": "Leads the system recovery: decides the approach and directs the work.",
    },
    {
        "slug": "bridge",
        "position": 4,
        "name_ja": "ブリッジング役",
        "name_en": "Bridge",
        "description_ja": "システム対応と顧客対応の両方の通話に入り、状況をまとめて橋渡しする。",
        "description_en": "Joins both the system and the customer calls and carries the situation between them.",
    },
]
