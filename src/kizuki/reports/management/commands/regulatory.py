"""`kizuki regulatory prepare INC-3 --stage initial` drafts a stage's regulator report from the
incident; `kizuki regulatory export INC-3 --stage initial --format pdf|docx|json [--output
FILE]` writes its latest version (to stdout without --output)."""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from ninja.responses import NinjaJSONEncoder

from kizuki.accounts.commands import ActingCommand
from kizuki.accounts.models import User
from kizuki.incidents import queries as incidents
from kizuki.incidents.access import Need
from kizuki.reports import regulatory_actions as actions
from kizuki.reports import regulatory_export as export
from kizuki.reports import regulatory_queries as queries
from kizuki.reports.models import RegulatoryReport, Stage
from kizuki.reports.regulatory_access import access_incident_reports
from kizuki.reports.regulatory_api import report_out


class Command(ActingCommand):
    help = "Regulator-ready reports. `kizuki regulatory <action> --help`."

    def add_arguments(self, parser: CommandParser) -> None:
        common = self.common_options()
        sub = parser.add_subparsers(dest="action", required=True)
        prepare = sub.add_parser(
            "prepare", parents=[common], help="draft a stage from the incident"
        )
        export_ = sub.add_parser("export", parents=[common], help="write a stage as PDF or Word")
        for each in (prepare, export_):
            each.add_argument("ref", help="the incident: INC-3 or 3")
            each.add_argument("--stage", choices=Stage.values, default=Stage.INITIAL)
        export_.add_argument("--format", choices=["pdf", "docx", "json"], default="pdf")
        export_.add_argument("--output", help="write to this file instead of stdout")

    def do_prepare(self, actor: User | None, options: dict[str, Any]) -> None:
        # Without --as the command runs as the system, like a migration would.
        ref = options["ref"]
        incident = (
            incidents.get_incident(ref)
            if actor is None
            else access_incident_reports(actor, ref, Need.RESPOND)[1]
        )
        report = actions.prepare(actor, incident, options["stage"])
        self._print(report, options)

    def do_export(self, actor: User | None, options: dict[str, Any]) -> None:
        ref = options["ref"]
        incident = (
            incidents.get_incident(ref) if actor is None else access_incident_reports(actor, ref)[1]
        )
        report = queries.find_report(incident, options["stage"])
        if report is None:
            raise CommandError(
                f"{incident.ref} has no {options['stage']} report yet:"
                f" kizuki regulatory prepare {incident.ref} --stage {options['stage']}"
            )
        if options["format"] == "json":
            self._print(report, {**options, "json": True})
            return
        data = export.to_pdf(report) if options["format"] == "pdf" else export.to_docx(report)
        if options["output"]:
            try:
                Path(options["output"]).write_bytes(data)
            except OSError as error:
                raise CommandError(f"Cannot write {options['output']}: {error}") from error
            return
        # Binary output goes to the real stdout's binary side (a pipe or a redirect).
        self.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()

    def _print(self, report: RegulatoryReport, options: dict[str, Any]) -> None:
        if options["json"]:
            data = report_out(report).model_dump()
            self.stdout.write(json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False, indent=2))
            return
        version = queries.latest(report)
        self.stdout.write(
            f"{report.incident.ref} {report.stage} version {version.number} (id {report.pk})"
        )
