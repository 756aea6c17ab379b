"""`/incident …` in Slack: parse the words, authorise the matching Kizuki user through the
incidents app's access check, call the same action the API and the CLI call, and answer
with an ephemeral message (the channel hears about the change from Kizuki's relay).

Which incident: an explicit `INC-12` right after the subcommand, else the incident whose
channel the command is typed in."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from kizuki.accounts.models import User
from kizuki.accounts.queries import get_user
from kizuki.chat import mrkdwn, report_modal
from kizuki.chat.access import can_report_from_slack
from kizuki.chat.queries import incident_for_channel
from kizuki.chat.replies import refusal, slack_failure
from kizuki.chat.users import SlackPerson, name_of, person, speaking_to
from kizuki.core.errors import DomainError, InvalidInput
from kizuki.followups import actions as followup_actions
from kizuki.followups import queries as followups
from kizuki.incidents import access, actions, queries, timeline_actions
from kizuki.incidents.access import Need
from kizuki.incidents.models import Audience, Incident, Status

COMMAND = "/incident"
REF = re.compile(r"^INC-\d+$", re.IGNORECASE)
SEVERITY = re.compile(r"^(?:SEV)?(\d+)$", re.IGNORECASE)
MENTION = re.compile(r"^<@([A-Z0-9]+)(?:\|[^>]*)?>$")
MOVES = {"mitigated": "mitigated", "resolved": "resolved", "close": "closed"}


@dataclass
class Said:
    """One `/incident` command: who typed it, where, and the words after the subcommand."""

    someone: SlackPerson
    channel_id: str
    args: str
    trigger_id: str
    client: WebClient

    def plain(self, text: str) -> str:
        return mrkdwn.plain(text, lambda slack_id: name_of(self.client, slack_id))


def _target(said: Said, need: Need) -> tuple[User, Incident, str]:
    """The person and the incident the command is about, if they may do `need` to it, and the
    words left after an explicit reference."""
    first, _sep, rest = said.args.strip().partition(" ")
    if REF.match(first):
        return *access.access_incident(said.someone.user, first, need), rest.strip()
    in_channel = incident_for_channel(said.channel_id)
    if in_channel is None:
        raise InvalidInput(
            _(
                "This channel belongs to no incident; name one first,"
                " e.g. `/incident note INC-12 …`."
            )
        )
    return *access.access_incident(said.someone.user, in_channel.number, need), said.args.strip()


def _changed(incident: Incident) -> str:
    return _("%(ref)s is now %(status)s.") % {
        "ref": incident.ref,
        "status": Status(incident.status).label,
    }


def do_report(said: Said) -> str:
    can_report_from_slack(said.someone)
    report_modal.open_report(said.client, said.trigger_id, said.channel_id, said.plain(said.args))
    return ""


def do_declare(said: Said) -> str:
    user, incident, rest = _target(said, Need.RESPOND)
    level = None
    if rest:
        match = SEVERITY.match(rest.split()[0])
        if match is None:
            raise InvalidInput(
                _("Give the severity as a number, e.g. `/incident declare 2`, not %(word)s.")
                % {"word": rest.split()[0]}
            )
        level = int(match.group(1))
    incident = actions.transition(user, incident, "declared", severity=level)
    severity = incident.severity.label if incident.severity else ""
    return _("%(ref)s is declared: %(severity)s.") % {"ref": incident.ref, "severity": severity}


def do_move(to: str) -> Callable[[Said], str]:
    def move(said: Said) -> str:
        user, incident, rest = _target(said, Need.RESPOND)
        return _changed(actions.transition(user, incident, to, note=said.plain(rest)))

    return move


def do_status(said: Said) -> str:
    """`/incident status <text>` tells stakeholders too (subscribers and the status page), as
    the commander's updates in the channel are meant for everyone; `--internal` keeps it in."""
    user, incident, rest = _target(said, Need.RESPOND)
    internal = rest.startswith("--internal")
    text = said.plain(rest.removeprefix("--internal").strip())
    audience = Audience.INTERNAL if internal else Audience.STAKEHOLDERS
    timeline_actions.post_status_update(user, incident, text, audience=audience)
    return _("Status update posted on %(ref)s.") % {"ref": incident.ref}


def _member(said: Said, word: str) -> User:
    """A Kizuki user from a Slack mention (matched by e-mail) or a Kizuki username."""
    match = MENTION.match(word)
    if match is None:
        return get_user(word.lstrip("@"))
    member = person(said.client, match.group(1))
    if member.user is None:
        raise InvalidInput(
            _("%(name)s has no Kizuki account: no user has their Slack e-mail address.")
            % {"name": member.name}
        )
    return member.user


def do_role(said: Said) -> str:
    user, incident, rest = _target(said, Need.RESPOND)
    words = rest.split()
    if len(words) != 2:
        raise InvalidInput(
            _("Use `/incident role <role> @person`, e.g. `role incident_commander @sato`.")
        )
    assignment = actions.assign_role(user, incident, words[0], _member(said, words[1]))
    return _("%(user)s is now %(role)s on %(ref)s.") % {
        "user": words[1],
        "role": assignment.role.name,
        "ref": incident.ref,
    }


def do_note(said: Said) -> str:
    user, incident, rest = _target(said, Need.NOTE)
    timeline_actions.add_timeline_entry(user, incident, said.plain(rest))
    return _("Added to the timeline of %(ref)s.") % {"ref": incident.ref}


def do_followup(said: Said) -> str:
    """`/incident followup <title>`: a follow-up owned by whoever typed it, due by the
    severity policy; the reply carries the quality check's findings, if any."""
    user, incident, rest = _target(said, Need.RESPOND)
    followup = followup_actions.create_followup(
        user, incident, {"title": said.plain(rest), "owner": user}
    )
    due = followup.due_date.isoformat() if followup.due_date else _("no due date")
    lines = [
        _("Follow-up %(ref)s added to %(incident)s, due %(due)s: %(url)s")
        % {
            "ref": followup.ref,
            "incident": incident.ref,
            "due": due,
            "url": settings.KIZUKI_BASE_URL + followups.page_path(followup),
        }
    ]
    lines += [f"• {finding.message}" for finding in followups.quality_of(followup)]
    return "\n".join(lines)


def do_help(_said: Said) -> str:
    roles = ", ".join(role.slug for role in queries.role_catalogue())
    lines = [
        _("*Kizuki in Slack*"),
        "`/incident report` — "
        + _("report what you see. Anyone may report; a false alarm is fine, thank you."),
        "`/incident declare [1-5]` — " + _("declare an incident, with its severity."),
        "`/incident status [--internal] <text>` — "
        + _("post a status update; it reaches stakeholders unless --internal."),
        "`/incident role <role> @person` — "
        + _("give someone a role: %(roles)s.") % {"roles": roles},
        "`/incident note <text>` — " + _("add a line to the timeline."),
        "`/incident followup <title>` — "
        + _("write a follow-up that you own; Kizuki checks how it is written."),
        "`/incident mitigated` · `resolved` · `close` — " + _("move the incident along."),
        _(
            "In an incident's channel the commands act on its incident; elsewhere name it"
            " first: `/incident note INC-12 the database is back`."
        ),
        _(
            "To copy a message into the timeline with its original time and author, use the"
            " message shortcut “Add to timeline” or react with :%(reaction)s:."
        )
        % {"reaction": settings.KIZUKI_SLACK_PIN_REACTION.strip(":")},
    ]
    return "\n".join(lines)


HANDLERS: dict[str, Callable[[Said], str]] = {
    "report": do_report,
    "declare": do_declare,
    "status": do_status,
    "role": do_role,
    "note": do_note,
    "followup": do_followup,
    **{word: do_move(to) for word, to in MOVES.items()},
    "help": do_help,
}


def answer(said: Said, word: str) -> str:
    """The reply to one command, in the person's language; domain errors become the reply."""
    handler = HANDLERS.get(word.lower())
    try:
        if handler is None:
            unknown = _("Unknown command %(word)s.") % {"word": word}
            return unknown + "\n" + do_help(said)
        return handler(said)
    except DomainError as error:
        return refusal(error, said.someone)
    except SlackApiError as error:
        return slack_failure(error)


def on_command(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
    someone = person(client, str(command.get("user_id", "")))
    word, _sep, args = str(command.get("text", "")).strip().partition(" ")
    said = Said(
        someone,
        str(command.get("channel_id", "")),
        args,
        str(command.get("trigger_id", "")),
        client,
    )
    with speaking_to(someone):
        reply = answer(said, word or "help")
    if reply:
        ack(text=reply, response_type="ephemeral")
    else:
        ack()


def register(app: App) -> None:
    app.command(COMMAND)(on_command)
