"""`kizuki report summary --from … --to … --format html|csv|json --lang ja|en`."""

import csv
import io
import json
import statistics
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import Api, MovableClock
from tests.reports.history import PERIOD, TTA, TTR, build

pytestmark = pytest.mark.django_db


def kizuki(*argv: str) -> str:
    out = io.StringIO()
    call_command(*argv, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def history(responder_api: Api, frozen_clock: MovableClock) -> None:
    build(responder_api, frozen_clock)


def summary_argv(*extra: str) -> list[str]:
    return ["report", "summary", "--from", PERIOD[0], "--to", PERIOD[1], *extra]


def test_json_has_the_api_numbers(history: None) -> None:
    body = json.loads(kizuki(*summary_argv("--format", "json")))
    assert body["incidents"] == 3
    assert body["mtta_seconds"] == pytest.approx(statistics.fmean(TTA.values()))
    assert body["mttr_seconds"] == pytest.approx(statistics.fmean(TTR.values()))
    assert body["followups"]["overdue"] == 1


def test_csv_has_a_row_per_incident(history: None) -> None:
    rows = list(csv.DictReader(io.StringIO(kizuki(*summary_argv("--format", "csv")))))
    assert [row["time_to_acknowledge_seconds"] for row in rows] == [str(TTA[key]) for key in "ABC"]


def test_html_in_english_and_japanese(history: None) -> None:
    english = kizuki(*summary_argv("--format", "html", "--lang", "en"))
    assert english.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in english
    assert "Incident Summary Report" in english
    assert "Payments" in english
    assert "7 min" in english  # MTTA
    japanese = kizuki(*summary_argv("--lang", "ja", "--team", "search"))
    assert '<html lang="ja">' in japanese
    assert "Payments" not in japanese
    assert "Search" in japanese


def test_bad_dates_are_a_command_error(db: None) -> None:
    with pytest.raises(CommandError, match="from"):
        kizuki("report", "summary", "--from", "2026-02-30")


def test_pdf_to_a_file(history: None, tmp_path: Path) -> None:
    target = tmp_path / "summary.pdf"
    kizuki(*summary_argv("--format", "pdf", "--lang", "ja", "--output", str(target)))
    assert target.read_bytes().startswith(b"%PDF-")
