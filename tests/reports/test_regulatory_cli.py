"""`kizuki regulatory prepare|export INC-n --stage … --format pdf|docx|json`, as an operator
types it."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from docx import Document

from kizuki.accounts.models import User
from tests.conftest import Api, MovableClock
from tests.retros.domain_support import in_language, resolved_incident

pytestmark = pytest.mark.django_db


def kizuki(*argv: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command(*argv, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def ref(responder_api: Api, frozen_clock: MovableClock) -> str:
    return resolved_incident(in_language(responder_api, "en"), frozen_clock)


def test_prepare_then_export_each_stage(ref: str, responder: User, tmp_path: Path) -> None:
    for stage in ("initial", "interim", "final"):
        printed = kizuki("regulatory", "prepare", ref, "--stage", stage, "--as", responder.username)
        assert f"{ref} {stage} version 1" in printed
        target = tmp_path / f"{stage}.pdf"
        kizuki("regulatory", "export", ref, "--stage", stage, "--output", str(target))
        assert target.read_bytes().startswith(b"%PDF-")
    word = tmp_path / "final.docx"
    kizuki(
        "regulatory", "export", ref, "--stage", "final", "--format", "docx", "--output", str(word)
    )
    assert "Cause" in [p.text for p in Document(str(word)).paragraphs]
    data = json.loads(kizuki("regulatory", "export", ref, "--stage", "interim", "--format", "json"))
    assert data["stage"] == "interim"
    assert "Checkout fails" in data["sections"]["what_happened"]


def test_refusals_say_why(ref: str, viewer: User) -> None:
    with pytest.raises(CommandError, match="no final report yet"):
        kizuki("regulatory", "export", ref, "--stage", "final")
    with pytest.raises(CommandError):
        kizuki("regulatory", "prepare", ref, "--as", viewer.username)
