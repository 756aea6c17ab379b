"""`kizuki report summary --from 2026-10-01 --to 2026-12-31 --format html|pdf|csv|json
--lang ja|en [--team SLUG] [--severity N] [--cause SLUG] [--output FILE]`: the Incident
Summary Report, to stdout without --output."""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import translation

from kizuki.accounts.commands import ActingCommand
from kizuki.accounts.models import User
from kizuki.reports import access, forms, presenting, queries, summary


class Command(ActingCommand):
    help = "Incident reports. `kizuki report summary --help`."

    def add_arguments(self, parser: CommandParser) -> None:
        common = self.common_options()
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser(
            "summary", parents=[common], help="the Incident Summary Report of a period"
        )
        show.add_argument("--from", dest="start", default="", help="first day, YYYY-MM-DD")
        show.add_argument("--to", dest="end", default="", help="last day (inclusive)")
        show.add_argument("--team", default="", help="only this team (slug)")
        show.add_argument("--service", default="", help="only this service (slug)")
        show.add_argument("--severity", default="", help="only this severity level")
        show.add_argument("--cause", default="", help="only this cause category (slug)")
        show.add_argument("--format", choices=["html", "pdf", "csv", "json"], default="html")
        show.add_argument("--lang", choices=["ja", "en"], default="ja")
        show.add_argument("--output", help="write to this file instead of stdout")

    def do_summary(self, actor: User | None, options: dict[str, Any]) -> None:
        self._check(access.can_read_summary, actor)
        params = {
            "from": options["start"],
            "to": options["end"],
            "team": options["team"],
            "service": options["service"],
            "severity": options["severity"],
            "cause": options["cause"],
        }
        with translation.override(options["lang"]):
            filters = forms.filters_from(params, queries.day_of_now())
            result = summary.summarise(filters)
            text = self._render(result, options)
            data = presenting.document_pdf(text) if options["format"] == "pdf" else text.encode()
        if options["output"]:
            try:
                Path(options["output"]).write_bytes(data)
            except OSError as error:
                raise CommandError(f"Cannot write {options['output']}: {error}") from error
            return
        if options["format"] != "pdf":
            self.stdout.write(text, ending="")
            return
        # PDF bytes go to the real stdout's binary side (a pipe or a redirect).
        self.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()

    def _render(self, result: summary.Summary, options: dict[str, Any]) -> str:
        if options["format"] == "csv":
            return summary.csv_text(result.incidents, result.breakdowns)
        if options["format"] == "json" or (options["json"] and options["format"] == "html"):
            return json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n"
        return presenting.document_html(result, options["lang"])
