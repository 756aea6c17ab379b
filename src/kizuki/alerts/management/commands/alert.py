import json
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone
from ninja.responses import NinjaJSONEncoder

from kizuki.accounts.commands import ActingCommand, positive
from kizuki.accounts.models import User
from kizuki.alerts import access, actions, queries
from kizuki.alerts.access import Need
from kizuki.alerts.models import AlertGroup, GroupStatus
from kizuki.alerts.schemas import group_out


class Command(ActingCommand):
    help = "List, acknowledge, resolve and silence alert groups. `kizuki alert <action> --help`."

    def add_arguments(self, parser: CommandParser) -> None:
        common = self.common_options()
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", parents=[common], help="list alert groups, newest first")
        listing.add_argument("--status", default="", choices=["", *GroupStatus.values])
        listing.add_argument("--service", default="", help="service slug")
        listing.add_argument("--limit", type=positive, default=50)
        for name, text in (
            ("ack", "acknowledge an alert group: paging stops"),
            ("resolve", "resolve an alert group"),
        ):
            command = sub.add_parser(name, parents=[common], help=text)
            command.add_argument("id", type=int)
        silence = sub.add_parser(
            "silence", parents=[common], help="stop paging for a while (acknowledges too)"
        )
        silence.add_argument("id", type=int)
        silence.add_argument("--minutes", type=positive, required=True)

    def _print(self, group: AlertGroup, options: dict[str, Any]) -> None:
        out = group_out(group)
        if options["json"]:
            self.stdout.write(
                json.dumps(out.model_dump(), cls=NinjaJSONEncoder, ensure_ascii=False, indent=2)
            )
            return
        opened = timezone.localtime(group.created_at).strftime("%Y-%m-%d %H:%M")
        extra = f"  {out.incident}" if out.incident else ""
        self.stdout.write(
            f"{out.id}  {out.status}  {opened}  {out.service}  {out.title}"
            f"  ({out.alert_count}){extra}"
        )

    def do_list(self, actor: User | None, options: dict[str, Any]) -> None:
        self._check(access.can_read, actor)
        found = queries.filter_groups(
            queries.GroupFilter(status=options["status"], service=options["service"])
        )[: options["limit"]]
        if options["json"]:
            data = [group_out(g).model_dump() for g in found]
            self.stdout.write(json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False, indent=2))
            return
        for group in found:
            self._print(group, options)

    def _group(self, actor: User | None, group_id: int, need: Need) -> AlertGroup:
        """The group, if the actor may do `need` to it (the system, without --as, may)."""
        if actor is None:
            return queries.get_group(group_id)
        return access.access_alert_group(actor, group_id, need)[1]

    def do_ack(self, actor: User | None, options: dict[str, Any]) -> None:
        actions.acknowledge_group(actor, self._group(actor, options["id"], Need.ACKNOWLEDGE))
        self._print(queries.get_group(options["id"]), options)

    def do_resolve(self, actor: User | None, options: dict[str, Any]) -> None:
        actions.resolve_group(actor, self._group(actor, options["id"], Need.RESPOND))
        self._print(queries.get_group(options["id"]), options)

    def do_silence(self, actor: User | None, options: dict[str, Any]) -> None:
        group = self._group(actor, options["id"], Need.RESPOND)
        actions.silence_group(actor, group, options["minutes"])
        self._print(queries.get_group(options["id"]), options)
