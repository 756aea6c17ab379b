"""The Japanese follows one style: full-width punctuation in Japanese sentences and one
spelling of お客さま, in the catalogue and in the prose kept beside the code."""

import re
from pathlib import Path

import pytest
from django.test import Client

from kizuki.accounts.models import User

SRC = Path(__file__).resolve().parents[2] / "src" / "kizuki"
CATALOGUE = SRC / "locale" / "ja" / "LC_MESSAGES" / "django.po"
PROSE = [SRC / "incidents" / "defaults.py", SRC / "chat" / "guide.py"]

JAPANESE = r"[\u3040-\u30ff\u4e00-\u9fff\u3000-\u303f\uff01-\uff60]"
# Placeholders and markup keep their ASCII punctuation: %(name)s, {name}, <b>, URLs.
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}|<[^>]+>|https?://\S+")
HALF_WIDTH = [
    re.compile(rf"{JAPANESE}[?!]"),  # a half-width question or exclamation mark
    re.compile(rf"{JAPANESE}[.,](\s|$)"),  # a half-width full stop or comma
    re.compile(rf"{JAPANESE}:\s"),  # a half-width colon after a label
    re.compile(rf"\([^()]*{JAPANESE}[^()]*\)"),  # half-width brackets around Japanese
]


def msgstrs(text: str) -> list[str]:
    """Every translation in a .po file, continuation lines joined."""
    found: list[str] = []
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("msgstr"):
            current = [line.split(" ", 1)[1].strip('"')]
            found.append("")
        elif line.startswith('"') and current is not None:
            current.append(line.strip('"'))
        else:
            current = None
        if current is not None:
            found[-1] = "".join(current)
    return [s for s in found if re.search(JAPANESE, s)]


def japanese_literals(path: Path) -> list[str]:
    return [s for s in re.findall(r'"([^"\n]*)"', path.read_text()) if re.search(JAPANESE, s)]


def offences(texts: list[str]) -> list[str]:
    return [
        text
        for text in texts
        if "お客様" in text or any(rule.search(PLACEHOLDER.sub("X", text)) for rule in HALF_WIDTH)
    ]


def test_the_catalogue_follows_the_style() -> None:
    texts = msgstrs(CATALOGUE.read_text())
    assert len(texts) > 500  # the parser found the translations
    assert offences(texts) == []
    assert sum("お客さま" in text for text in texts) >= 2


def test_the_prose_beside_the_code_follows_the_style() -> None:
    for path in PROSE:
        texts = japanese_literals(path)
        assert texts, path
        assert offences(texts) == [], path


@pytest.mark.django_db
def test_a_page_reads_in_that_style(viewer: User) -> None:
    client = Client(headers={"Accept-Language": "ja"})
    client.force_login(viewer)
    html = client.get("/sos/").content.decode()
    assert "どのサービスに問題がありますか？" in html
    assert "何が起きていますか？" in html
