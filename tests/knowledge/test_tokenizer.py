"""The tokenizer both databases index with: what a text's terms are, and where they are."""

from kizuki.knowledge.fulltext import tsvector_literal
from kizuki.knowledge.tokenizer import parse_query, terms, tokenize


def spans(text: str) -> list[tuple[str, str]]:
    return [(token.term, text[token.start : token.end]) for token in tokenize(text)]


def test_japanese_runs_become_overlapping_bigrams_and_their_last_character() -> None:
    assert terms("決済基盤") == ["決済", "済基", "基盤", "盤"]
    assert terms("障害") == ["障害", "害"]
    assert terms("遅") == ["遅"]
    # A query needs the bigrams only; one character is a prefix.
    assert parse_query("決済基盤").exact == ("決済", "済基", "基盤")
    assert parse_query("遅").prefixes == ("遅",)


def test_scripts_split_words_and_widths_fold() -> None:
    assert terms("決済APIで障害") == ["決済", "済", "api", "で障", "障害", "害"]
    assert terms("ＡＰＩ　ｴﾗｰ") == ["api", "エラ", "ラー", "ー"]
    # Each term knows where it was in the text as written.
    assert spans("ﾊﾟｽﾜｰﾄﾞ") == [
        ("パス", "ﾊﾟｽ"),
        ("スワ", "ｽﾜ"),
        ("ワー", "ﾜｰ"),
        ("ード", "ｰﾄﾞ"),
        ("ド", "ﾄﾞ"),
    ]


def test_english_is_stemmed() -> None:
    assert terms("Payments failing failed failure fails") == ["payment"] + ["fail"] * 4
    assert terms("timeouts delayed departure") == ["timeout", "delay", "depart"]


def test_incident_numbers_are_one_term() -> None:
    assert spans("see INC-7, inc-70 and INC-8で障害") == [
        ("see", "see"),
        ("inc7", "INC-7"),
        ("inc70", "inc-70"),
        ("and", "and"),
        ("inc8", "INC-8"),
        ("で障", "で障"),
        ("障害", "障害"),
        ("害", "害"),
    ]
    assert terms("INC-7a") == ["inc", "7a"]


def test_punctuation_and_symbols_are_not_terms() -> None:
    assert terms("「障害」、(timeout)! ・ <b>") == ["障害", "害", "timeout", "b"]
    assert not parse_query("!!! ・・・")


def test_the_postgresql_vector_holds_the_same_terms() -> None:
    assert tsvector_literal(["inc7", "決済", "決済"]) == "'inc7':1 '決済':2,3"
