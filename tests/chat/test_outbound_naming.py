"""Channel names follow Slack's rules whatever the title and the pattern."""

from datetime import UTC, datetime

import pytest

from kizuki.chat.naming import MAX_LENGTH, candidates, channel_name, slug

DECLARED = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


def name(title: str, pattern: str = "incident_{YYYYMMDD}_{slug}", **extra: object) -> str:
    declared = extra.get("declared", DECLARED)
    assert isinstance(declared, datetime)
    return channel_name(pattern, title=title, number=12, declared=declared, zone="Asia/Tokyo")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Checkout fails", "checkout-fails"),
        ("Payment API v2.1: 500s on /checkout", "payment-api-v2-1-500s-on-checkout"),
        ("決済APIの遅延", "kessai-api-no-chien"),
        ("ＤＢ接続エラー", "db-setsuzoku-eraa"),  # full-width letters are folded first
        ("ﾛｸﾞｲﾝできない", "roguin-dekinai"),  # half-width katakana too
        ("東京リージョンで障害発生", "toukyou-riijon-de-shougai-hassei"),
        ("Café down", "cafe-down"),
        ("🔥🔥🔥", "inc-12"),
        ("   ", "inc-12"),
    ],
)
def test_slugs(title: str, expected: str) -> None:
    assert slug(title, 12) == expected


def test_the_date_is_the_declaration_day_in_the_configured_zone() -> None:
    late = datetime(2026, 11, 25, 15, 30, tzinfo=UTC)  # 00:30 on the 26th in Tokyo
    assert name("Checkout fails", declared=late) == "incident_20261126_checkout-fails"


def test_patterns_are_cleaned_to_slack_rules() -> None:
    assert name("Login", "INC {number}.{YYYY}/{MM}/{DD} {slug}") == "inc-12-2026-11-25-login"
    assert (
        name("Login", "障害_{slug}") == "障害_login"
    )  # Slack takes lower-case letters of any script
    assert name("", "{slug}") == "inc-12"


def test_long_titles_are_cut_to_80_characters_with_room_for_a_suffix() -> None:
    long = name("Everything " * 20)
    assert len(long) == MAX_LENGTH
    assert not long.endswith("-")
    tried = list(candidates(long))
    assert tried[0] == long
    assert all(len(candidate) <= MAX_LENGTH for candidate in tried)
    assert tried[1].endswith("-2")
    assert tried[-1].endswith("-50")
    assert len(set(tried)) == len(tried)
