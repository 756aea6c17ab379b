"""`kizuki retro show|export INC-n --format md|pdf [--output FILE]`, as an operator types it."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from kizuki.accounts.models import User
from tests.conftest import Api, MovableClock, make_user
from tests.retros.domain_support import in_language, ok, resolved_incident, start

pytestmark = pytest.mark.django_db


def kizuki(*argv: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command(*argv, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def written(responder_api: Api, frozen_clock: MovableClock) -> str:
    """An incident whose retrospective has some text; returns its reference."""
    api = in_language(responder_api, "en")
    ref = resolved_incident(api, frozen_clock)
    start(api, ref, "incident-review")
    ok(api.patch(f"/incidents/{ref}/retrospective", {"sections": {"root-cause": "Flag X."}}))
    return ref


def test_show_prints_the_document(written: str) -> None:
    shown = kizuki("retro", "show", written)
    assert shown.startswith(f"# Retrospective: {written} Checkout fails\n")
    assert "- **Status**: Draft" in shown
    assert "- **Template**: Incident review" in shown
    assert "- **Owner**: rei" in shown
    assert "## Cause and response: root cause\n\nFlag X." in shown
    assert "- Time to resolve: 42 min" in shown
    assert "_(not written yet)_" in shown


def test_show_as_json_is_what_the_api_returns(written: str) -> None:
    shown = json.loads(kizuki("retro", "show", written, "--json"))
    assert shown["incident"] == written
    assert shown["version"] == 2


def test_export_markdown_to_stdout_and_to_a_file(written: str, tmp_path: Path) -> None:
    printed = kizuki("retro", "export", written, "--format", "md")
    assert printed == kizuki("retro", "show", written)
    target = tmp_path / "retro.md"
    assert kizuki("retro", "export", written, "--format", "md", "--output", str(target)) == ""
    assert target.read_text(encoding="utf-8") == printed


def test_export_pdf_to_a_file(written: str, tmp_path: Path) -> None:
    target = tmp_path / "retro.pdf"
    kizuki("retro", "export", written, "--format", "pdf", "--output", str(target))
    assert target.read_bytes().startswith(b"%PDF-")


def test_the_acting_user_needs_to_read_it(written: str, viewer: User) -> None:
    assert "Flag X." in kizuki("retro", "show", written, "--as", "vera")
    inactive = make_user("gone", "viewer")
    inactive.is_active = False
    inactive.save()
    with pytest.raises(CommandError, match="gone"):
        kizuki("retro", "show", written, "--as", "gone")


def test_bad_references_fail_clearly(written: str, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="INC-404"):
        kizuki("retro", "show", "INC-404")
    ref = written.replace("INC-", "")
    assert "Flag X." in kizuki("retro", "show", ref)
    with pytest.raises(CommandError, match="Cannot write"):
        kizuki("retro", "export", written, "--output", str(tmp_path / "missing" / "x.md"))
    with pytest.raises(CommandError):
        kizuki("retro", "export", written, "--format", "docx")


def test_an_incident_without_one_says_so(responder_api: Api, frozen_clock: MovableClock) -> None:
    ref = resolved_incident(responder_api, frozen_clock)
    with pytest.raises(CommandError, match="has no retrospective yet"):
        kizuki("retro", "show", ref)
