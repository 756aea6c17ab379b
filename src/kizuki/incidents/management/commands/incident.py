import json
from datetime import datetime
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from ninja.responses import NinjaJSONEncoder

from kizuki.accounts.commands import ActingCommand, positive
from kizuki.accounts.models import User
from kizuki.accounts.queries import get_team, get_user
from kizuki.catalog.queries import services_by_slug
from kizuki.incidents import access, actions, queries, timeline_actions
from kizuki.incidents.access import Need
from kizuki.incidents.lifecycle import TRANSITIONS
from kizuki.incidents.models import Audience, Incident
from kizuki.incidents.schemas import incident_out
from kizuki.incidents.timeline_text import describe as describe_entry


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"Not an ISO 8601 time: {value!r} (e.g. 2026-11-25T10:00+09:00)."
        ) from None
    return moment if moment.tzinfo else timezone.make_aware(moment)


class Command(ActingCommand):
    help = "Report, declare, move and inspect incidents. `kizuki incident <action> --help`."

    def add_arguments(self, parser: CommandParser) -> None:
        common = self.common_options()
        sub = parser.add_subparsers(dest="action", required=True)
        report = sub.add_parser("report", parents=[common], help="report a suspected incident")
        report.add_argument("title")
        report.add_argument("--description", default="")
        report.add_argument("--severity", type=int, help="1-5: declare at once")
        report.add_argument(
            "--service", action="append", default=[], help="service slug (repeatable)"
        )
        report.add_argument("--team", help="owning team slug")
        report.add_argument("--drill", action="store_true", help="a practice incident")
        declare = sub.add_parser(
            "declare", parents=[common], help="declare a reported incident with a severity"
        )
        declare.add_argument("ref", help="INC-3 or 3")
        declare.add_argument("--severity", type=int, required=True)
        declare.add_argument("--note", default="")
        move = sub.add_parser(
            "transition", parents=[common], help="move an incident along its lifecycle"
        )
        move.add_argument("ref")
        move.add_argument("to", choices=TRANSITIONS)
        move.add_argument("--severity", type=int)
        move.add_argument("--note", default="")
        listing = sub.add_parser("list", parents=[common], help="list incidents, newest first")
        listing.add_argument("--status", default="")
        listing.add_argument("--severity", type=int)
        listing.add_argument("--team", default="")
        listing.add_argument("--service", default="")
        listing.add_argument("--text", default="")
        listing.add_argument("--limit", type=positive, default=50)
        show = sub.add_parser("show", parents=[common], help="show one incident with its timeline")
        show.add_argument("ref")
        role = sub.add_parser(
            "role", parents=[common], help="assign a role, e.g. incident_commander"
        )
        role.add_argument("ref")
        role.add_argument("role")
        role.add_argument("username")
        note = sub.add_parser("note", parents=[common], help="add a timeline entry")
        note.add_argument("ref")
        note.add_argument("text")
        note.add_argument("--at", help="when it really happened (ISO 8601)")
        status = sub.add_parser("status", parents=[common], help="post a status update")
        status.add_argument("ref")
        status.add_argument("text")
        status.add_argument("--next", help="when the next update is due (ISO 8601)")
        status.add_argument(
            "--stakeholders",
            action="store_true",
            help="also for stakeholders: the status page and their subscribers",
        )
        status.add_argument("--plain", default="", help="the plain-language version they read")

    def _json(self, data: Any) -> None:
        # The API's encoder, so scripts get exactly what GET /api/v1/incidents/… returns.
        self.stdout.write(json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False, indent=2))

    def _print(self, incident: Incident, options: dict[str, Any]) -> None:
        out = incident_out(incident)
        if options["json"]:
            self._json(out.model_dump())
        else:
            severity = out.severity_label or "-"
            self.stdout.write(f"{out.number}  {out.status}  {severity}  {out.title}")

    def _incident(self, actor: User | None, ref: str, need: Need) -> Incident:
        """The incident, if the actor may do `need` to it (the system, without --as, may)."""
        if actor is None:
            return queries.get_incident(ref)
        return access.access_incident(actor, ref, need)[1]

    def do_report(self, actor: User | None, options: dict[str, Any]) -> None:
        self._check(access.can_report, actor, options["severity"])
        incident = actions.report_incident(
            actor,
            options["title"],
            options["description"],
            severity=options["severity"],
            services=services_by_slug(options["service"]) if options["service"] else None,
            team=get_team(options["team"]) if options["team"] else None,
            is_drill=options["drill"],
        )
        self._print(incident, options)

    def do_declare(self, actor: User | None, options: dict[str, Any]) -> None:
        options["to"] = "declared"
        self.do_transition(actor, options)

    def do_transition(self, actor: User | None, options: dict[str, Any]) -> None:
        incident = actions.transition(
            actor,
            self._incident(actor, options["ref"], Need.RESPOND),
            options["to"],
            severity=options["severity"],
            note=options["note"],
        )
        self._print(incident, options)

    def do_list(self, actor: User | None, options: dict[str, Any]) -> None:
        self._check(access.can_read, actor)
        matching = queries.filter_incidents(
            queries.IncidentFilter(
                status=options["status"],
                severity=options["severity"],
                team=options["team"],
                service=options["service"],
                text=options["text"],
            ),
            viewer=actor,  # without --as the operator, who sees private incidents too
        )
        found = queries.with_details(matching[: options["limit"]])
        if options["json"]:
            self._json([incident_out(i).model_dump() for i in found])
            return
        for incident in found:
            self._print(incident, options)

    def do_show(self, actor: User | None, options: dict[str, Any]) -> None:
        incident = self._incident(actor, options["ref"], Need.READ)
        self._print(incident, options)
        if options["json"]:
            return
        out = incident_out(incident)
        for role in out.roles:
            self.stdout.write(f"  {role.role_name}: {role.user}")
        for entry in queries.timeline(incident):
            when = timezone.localtime(entry.occurred_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(f"  {when}  {describe_entry(entry)}")

    def do_role(self, actor: User | None, options: dict[str, Any]) -> None:
        incident = self._incident(actor, options["ref"], Need.RESPOND)
        actions.assign_role(actor, incident, options["role"], get_user(options["username"]))
        self._print(queries.get_incident(options["ref"]), options)

    def do_note(self, actor: User | None, options: dict[str, Any]) -> None:
        incident = self._incident(actor, options["ref"], Need.NOTE)
        timeline_actions.add_timeline_entry(actor, incident, options["text"], _time(options["at"]))
        self._print(queries.get_incident(options["ref"]), options)

    def do_status(self, actor: User | None, options: dict[str, Any]) -> None:
        incident = self._incident(actor, options["ref"], Need.RESPOND)
        timeline_actions.post_status_update(
            actor,
            incident,
            options["text"],
            _time(options["next"]),
            audience=Audience.STAKEHOLDERS if options["stakeholders"] else Audience.INTERNAL,
            plain_text=options["plain"],
        )
        self._print(queries.get_incident(options["ref"]), options)
