"""Reading a message into a report: English and Japanese mail programs, plain text and HTML,
replies and signatures, and the automatic mail that must never be answered."""

import base64

from kizuki.mailin.parse import DESCRIPTION_LIMIT, TITLE_LIMIT, html_to_text, parse_mail
from tests.mailin.support import japanese_message, message


def test_an_english_message_gives_sender_title_text_and_message_id() -> None:
    mail = parse_mail(message(name="Rei Sato"))

    assert mail.sender == "rei@example.test"
    assert mail.sender_name == "Rei Sato"
    assert mail.title == "Checkout returns 500"
    assert mail.description == "Customers cannot pay since 10:00."
    assert mail.message_id == "<report-1@mail.example.test>"
    assert not mail.automatic
    assert not mail.is_empty


def test_a_japanese_iso_2022_jp_message_is_decoded() -> None:
    mail = parse_mail(japanese_message())

    assert mail.sender == "taro@example.test"
    assert mail.sender_name == "山田 太郎"
    assert mail.title == "決済が失敗しています"
    assert mail.description == "チェックアウトで500エラーが出ます。\n10時から発生しています。"
    assert mail.message_id == "<jis-1@mail.example.test>"


def test_a_japanese_utf8_message_is_decoded() -> None:
    raw = message(
        "hanako@example.test",
        "ログインできません",
        "管理画面に入れません。\n",
        name="佐藤 花子",
    )
    assert b"=?utf-8?" in raw  # the subject really is MIME-encoded

    mail = parse_mail(raw)

    assert (mail.sender_name, mail.title) == ("佐藤 花子", "ログインできません")
    assert mail.description == "管理画面に入れません。"


def test_a_subject_in_several_encoded_words_and_folded_lines_is_one_title() -> None:
    first = base64.b64encode("決済".encode("iso-2022-jp")).decode()
    second = base64.b64encode("障害".encode("iso-2022-jp")).decode()
    raw = (
        "From: taro@example.test\r\n"
        f"Subject: =?ISO-2022-JP?B?{first}?=\r\n =?ISO-2022-JP?B?{second}?=  on\r\n  checkout\r\n"
        "\r\nbody\r\n"
    ).encode()

    assert parse_mail(raw).title == "決済障害 on checkout"


def test_the_plain_text_part_wins_over_the_html_one() -> None:
    mail = parse_mail(message(body="Plain words.\n", html="<p>HTML words</p>"))

    assert mail.description == "Plain words."


def test_an_html_only_message_is_turned_into_text() -> None:
    html = (
        "<html><head><style>p { color: red }</style><title>x</title></head><body>"
        "<p>Checkout is <b>down</b> &amp; slow</p><p>since 10:00<br>for everyone</p>"
        "<script>alert(1)</script></body></html>"
    )

    mail = parse_mail(message(body="", html=html))

    assert mail.description == "Checkout is down & slow\n\nsince 10:00\nfor everyone"


def test_html_to_text_keeps_blocks_apart_and_drops_markup() -> None:
    assert html_to_text("<ul><li>one</li><li>two &lt;3</li></ul>") == "one\ntwo <3"


def test_without_a_subject_the_first_line_of_the_text_is_the_title() -> None:
    mail = parse_mail(message(subject="", body="\n  Checkout   is down\nsince ten\n"))

    assert mail.title == "Checkout is down"
    assert mail.description == "Checkout   is down\nsince ten"  # the text keeps its spacing


def test_a_message_without_subject_or_text_is_empty() -> None:
    assert parse_mail(message(subject="", body="\n \n")).is_empty
    assert parse_mail(message(subject="  ", body="-- \nRei\n")).is_empty


def test_a_quoted_reply_and_the_signature_are_trimmed() -> None:
    body = (
        "It is failing again.\n\n"
        "-- \nRei Sato\nPayments\n\n"
        "On Tue, 25 Nov 2026, Kizuki <kizuki@example.test> wrote:\n"
        "> Thank you for reporting\n> INC-1\n"
    )
    japanese = (
        "再発しました。\n\n2026年11月25日(火) 10:00 Kizuki <kizuki@example.test>:\n> ご報告\n"
    )

    assert parse_mail(message(body=body)).description == "It is failing again."
    assert parse_mail(message(body=japanese)).description == "再発しました。"


def test_quoted_lines_without_a_reply_line_and_long_tails_after_dashes_are_kept() -> None:
    quoted_log = "The error was\n> 500 Internal Server Error\n"
    forwarded = "See below.\n-- \n" + "".join(f"alert line {n}\n" for n in range(12))

    assert parse_mail(message(body=quoted_log)).description == quoted_log.strip()
    assert parse_mail(message(body=forwarded)).description == forwarded.replace(" \n", "\n").strip()


def test_long_subjects_and_texts_are_cut_to_fit() -> None:
    mail = parse_mail(message(subject="x" * 300, body="y" * (DESCRIPTION_LIMIT + 50)))

    assert len(mail.title) == TITLE_LIMIT
    assert mail.title.endswith("…")
    assert len(mail.description) == DESCRIPTION_LIMIT


def test_an_mbox_from_line_before_the_headers_is_fine() -> None:
    raw = b"From rei@example.test Tue Nov 25 10:00:00 2026\n" + message()

    mail = parse_mail(raw)

    assert (mail.sender, mail.title) == ("rei@example.test", "Checkout returns 500")


def test_without_a_message_id_the_same_bytes_get_the_same_key() -> None:
    raw = message(message_id=None)

    key = parse_mail(raw).message_id

    assert key.startswith("sha256:")
    assert parse_mail(raw).message_id == key
    assert parse_mail(message(message_id=None, body="other")).message_id != key


def test_a_from_header_without_an_address_gives_no_sender() -> None:
    raw = b"From: Nobody Here\r\nSubject: hi\r\n\r\ntext\r\n"

    assert parse_mail(raw).sender == ""


def test_an_unknown_charset_is_read_as_far_as_it_goes() -> None:
    raw = (
        b"From: rei@example.test\r\nSubject: x\r\n"
        b"Content-Type: text/plain; charset=klingon\r\n\r\nplain ascii\r\n"
    )

    assert parse_mail(raw).description == "plain ascii"


def test_auto_replies_and_bounces_are_recognised() -> None:
    vacation = parse_mail(message(Auto_Submitted="auto-replied"))
    out_of_office = parse_mail(message(X_Autoreply="yes"))
    generated = parse_mail(message(Auto_Submitted="auto-generated"))
    bulk = parse_mail(message(Precedence="bulk"))
    daemon = parse_mail(message("MAILER-DAEMON@mail.example.test"))
    bounce = parse_mail(b"Return-Path: <>\r\n" + message())

    assert vacation.auto_reply
    assert vacation.automatic
    assert out_of_office.auto_reply
    # Mail from a machine can be a report (a monitoring job), but is never answered.
    for mail in (generated, bulk, daemon, bounce):
        assert mail.automatic
        assert not mail.auto_reply
    assert not parse_mail(message(Auto_Submitted="no")).automatic
