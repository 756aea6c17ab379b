"""Japanese has no spaces between words: two-character words are found, also inside compounds,
whatever the width of the characters; one character finds every word that holds it."""

import pytest

from tests.conftest import Api
from tests.knowledge.support import filed, refs, search

pytestmark = pytest.mark.django_db


@pytest.fixture
def incidents(responder_api: Api) -> dict[str, str]:
    """Four incidents in Japanese and one in English, by a short name."""
    made = {
        "api": filed(responder_api, "決済APIで障害が発生", "カード決済が失敗しています。"),
        "platform": filed(responder_api, "決済基盤の応答遅延", "バッチ処理が詰まっている。"),
        "login": filed(responder_api, "ログイン画面の表示崩れ", "スマートフォンで崩れる。"),
        "timeout": filed(responder_api, "配送APIのタイムアウト", "外部連携が遅い"),
        "english": filed(responder_api, "Payment gateway errors", "Cards are declined."),
    }
    return {name: incident["number"] for name, incident in made.items()}


def test_two_character_words_are_found(viewer_api: Api, incidents: dict[str, str]) -> None:
    assert refs(viewer_api, "障害") == {incidents["api"]}
    assert refs(viewer_api, "遅延") == {incidents["platform"]}
    assert refs(viewer_api, "崩れ") == {incidents["login"]}


def test_a_word_is_found_inside_compounds(viewer_api: Api, incidents: dict[str, str]) -> None:
    # 決済 inside 決済API, 決済基盤 and カード決済.
    assert refs(viewer_api, "決済") == {incidents["api"], incidents["platform"]}
    # A longer word needs all of it: 決済基盤 is not in 決済API.
    assert refs(viewer_api, "決済基盤") == {incidents["platform"]}
    # Mixed scripts and several words: every word must be there.
    assert refs(viewer_api, "決済API") == {incidents["api"]}
    assert refs(viewer_api, "API タイムアウト") == {incidents["timeout"]}
    assert refs(viewer_api, "決済 タイムアウト") == set()


def test_full_and_half_width_are_the_same(viewer_api: Api, incidents: dict[str, str]) -> None:
    assert refs(viewer_api, "ＡＰＩ") == {incidents["api"], incidents["timeout"]}
    assert refs(viewer_api, "ﾀｲﾑｱｳﾄ") == {incidents["timeout"]}
    assert refs(viewer_api, "ﾊﾞｯﾁ") == {incidents["platform"]}


def test_one_character_finds_the_words_that_hold_it(
    viewer_api: Api, incidents: dict[str, str]
) -> None:
    # 済 is the second character of 決済: found all the same.
    assert refs(viewer_api, "済") == {incidents["api"], incidents["platform"]}
    assert refs(viewer_api, "延") == {incidents["platform"]}


def test_japanese_words_do_not_find_english_and_back(
    viewer_api: Api, incidents: dict[str, str]
) -> None:
    assert refs(viewer_api, "payment") == {incidents["english"]}
    assert incidents["english"] not in refs(viewer_api, "決済")


def test_the_snippet_marks_the_words_in_the_original_text(
    viewer_api: Api, incidents: dict[str, str]
) -> None:
    (hit,) = search(viewer_api, "ｶｰﾄﾞ 失敗", kind="incident")["items"]
    # Marked as written (full-width here), though the query was half-width.
    assert hit["snippet"] == "<mark>カード</mark>決済が<mark>失敗</mark>しています。"
    (hit,) = search(viewer_api, "決済基盤", kind="incident")["items"]
    assert hit["title_html"].endswith("<mark>決済基盤</mark>の応答遅延")
