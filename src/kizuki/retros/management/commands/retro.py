"""`kizuki retro show INC-3` and `kizuki retro export INC-3 --format md|pdf [--output FILE]`:
the retrospective on the terminal, or exported (to stdout without --output)."""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from ninja.responses import NinjaJSONEncoder

from kizuki.accounts.commands import ActingCommand
from kizuki.accounts.models import User
from kizuki.incidents import queries as incidents
from kizuki.retros import access, queries
from kizuki.retros.access import Need
from kizuki.retros.export import to_markdown
from kizuki.retros.models import Retrospective
from kizuki.retros.pdf import to_pdf
from kizuki.retros.schemas import retrospective_out


class Command(ActingCommand):
    help = "Show or export an incident's retrospective. `kizuki retro <action> --help`."

    def add_arguments(self, parser: CommandParser) -> None:
        common = self.common_options()
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", parents=[common], help="show the retrospective")
        show.add_argument("ref", help="the incident: INC-3 or 3")
        export = sub.add_parser("export", parents=[common], help="export it as Markdown or PDF")
        export.add_argument("ref", help="the incident: INC-3 or 3")
        export.add_argument("--format", choices=["md", "pdf"], default="md")
        export.add_argument("--output", help="write to this file instead of stdout")

    def _retro(self, actor: User | None, ref: str) -> Retrospective:
        """The retrospective, if the actor may read it (the system, without --as, may)."""
        if actor is None:
            return queries.get_retrospective(incidents.get_incident(ref))
        return access.access_retrospective(actor, ref, Need.READ)[1]

    def do_show(self, actor: User | None, options: dict[str, Any]) -> None:
        retro = self._retro(actor, options["ref"])
        if options["json"]:
            data = retrospective_out(retro).model_dump()
            self.stdout.write(json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False, indent=2))
            return
        self.stdout.write(to_markdown(retro), ending="")
        for review in queries.reviews(retro):
            self.stdout.write(f"  {review.reviewer.username}: {review.state} {review.comment}")

    def do_export(self, actor: User | None, options: dict[str, Any]) -> None:
        retro = self._retro(actor, options["ref"])
        data = to_pdf(retro) if options["format"] == "pdf" else to_markdown(retro).encode()
        if options["output"]:
            try:
                Path(options["output"]).write_bytes(data)
            except OSError as error:
                raise CommandError(f"Cannot write {options['output']}: {error}") from error
            return
        if options["format"] == "md":
            self.stdout.write(data.decode(), ending="")
            return
        # PDF bytes go to the real stdout's binary side (a pipe or a redirect).
        self.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
