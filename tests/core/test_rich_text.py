"""The rich_text filter: what people typed is shown escaped, with only http(s) links made
clickable, the way a reader of a note or a status update sees it."""

import pytest
from django.template import Context, Template

LINK = '<a href="{0}" rel="noopener noreferrer nofollow">{0}</a>'


def shown(text: str) -> str:
    return Template("{% load kizuki_text %}{{ text|rich_text }}").render(Context({"text": text}))


@pytest.mark.parametrize(
    ("typed", "html"),
    [
        (
            "see https://x.test/a?b=1&c=2.",
            "see " + LINK.format("https://x.test/a?b=1&amp;c=2") + ".",
        ),
        ("詳細はhttps://x.test/を参照", "詳細は" + LINK.format("https://x.test/") + "を参照"),
        ("(https://w.test/Foo_(bar))", "(" + LINK.format("https://w.test/Foo_(bar)") + ")"),
        ("<b>bold</b>\nnext", "&lt;b&gt;bold&lt;/b&gt;<br>next"),
        ('"https://q.test/"', "&quot;" + LINK.format("https://q.test/") + "&quot;"),
    ],
)
def test_links_are_made_after_escaping(typed: str, html: str) -> None:
    assert shown(typed) == html


@pytest.mark.parametrize(
    "typed",
    ["javascript:alert(1)", "data:text/html,<script>", "ftp://files.test/x", "mailto:a@b.test"],
)
def test_other_schemes_stay_text(typed: str) -> None:
    assert "<a " not in shown(typed)
    assert "<script>" not in shown(typed)
