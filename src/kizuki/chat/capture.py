"""Copy a Slack message into an incident's timeline, with the time it was written and its
author: the message shortcut "Add to timeline", or the configured reaction (📌 by default)
on a message in the incident's channel. The entry reads "<author>: <text>"; the person who
copied it is the entry's author in Kizuki and needs the right to add to the timeline."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from kizuki.chat import mrkdwn
from kizuki.chat.queries import incident_for_channel
from kizuki.chat.replies import for_the_record, refusal, tell
from kizuki.chat.users import SlackPerson, name_of, person, speaking_to
from kizuki.core.errors import DomainError, InvalidInput
from kizuki.incidents import access, queries, timeline_actions
from kizuki.incidents.access import Need
from kizuki.incidents.models import Incident

SHORTCUT = "kizuki_add_to_timeline"


def fetch_message(client: WebClient, channel: str, ts: str) -> dict[str, Any] | None:
    """One message by its ts: the channel's history holds top-level messages, a thread's
    replies the rest. None when Slack has it no more (or the bot may not read the channel)."""
    try:
        found = client.conversations_history(
            channel=channel, oldest=ts, latest=ts, inclusive=True, limit=1
        ).get("messages")
        if not any(m.get("ts") == ts for m in found or []):
            found = client.conversations_replies(
                channel=channel, ts=ts, oldest=ts, latest=ts, inclusive=True, limit=2
            ).get("messages")
    except SlackApiError:
        return None
    return next((m for m in found or [] if m.get("ts") == ts), None)


def author_name(client: WebClient, message: dict[str, Any]) -> str:
    if message.get("user"):
        return name_of(client, str(message["user"]))
    profile = message.get("bot_profile") or {}
    return str(message.get("username") or profile.get("name") or _("a bot"))


def entry_text(client: WebClient, message: dict[str, Any]) -> str:
    text = mrkdwn.plain(str(message.get("text") or ""), lambda id_: name_of(client, id_))
    if not text and message.get("files"):
        text = _("(a file)")
    return f"{author_name(client, message)}: {text}"


def _already(incident: Incident, text: str, message_ts: str) -> bool:
    when = mrkdwn.ts_time(message_ts)
    return any(e.text == text and e.occurred_at == when for e in queries.timeline(incident))


def copy_to_timeline(
    client: WebClient, someone: SlackPerson, incident: Incident, message: dict[str, Any]
) -> str:
    """Authorise, then add the entry; returns the reply for the person who copied it."""
    user, incident = access.access_incident(someone.user, incident.number, Need.NOTE)
    ts = str(message.get("ts", ""))
    with for_the_record():
        text = entry_text(client, message)
    if _already(incident, text, ts):
        return _("This message is already on the timeline of %(ref)s.") % {"ref": incident.ref}
    timeline_actions.add_timeline_entry(user, incident, text, mrkdwn.ts_time(ts))
    return _("Added to the timeline of %(ref)s, at the time it was written.") % {
        "ref": incident.ref
    }


def on_shortcut(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    ack()
    someone = person(client, str(body.get("user", {}).get("id", "")))
    channel = str(body.get("channel", {}).get("id", ""))
    with speaking_to(someone):
        try:
            incident = incident_for_channel(channel)
            if incident is None:
                raise InvalidInput(
                    _("This channel belongs to no incident: use the shortcut in its channel.")
                )
            reply = copy_to_timeline(client, someone, incident, body.get("message") or {})
        except DomainError as error:
            reply = refusal(error, someone)
        tell(client, channel, someone, reply)


def _is_pin(event: dict[str, Any]) -> bool:
    wanted = settings.KIZUKI_SLACK_PIN_REACTION.strip().strip(":")
    item = event.get("item") or {}
    return bool(wanted) and event.get("reaction") == wanted and item.get("type") == "message"


def on_reaction(event: dict[str, Any], client: WebClient) -> None:
    if not _is_pin(event):
        return
    channel, ts = str(event["item"].get("channel", "")), str(event["item"].get("ts", ""))
    incident = incident_for_channel(channel)
    if incident is None:
        return  # a pin anywhere else is just a pin
    someone = person(client, str(event.get("user", "")))
    with speaking_to(someone):
        try:
            message = fetch_message(client, channel, ts)
            if message is None:
                raise InvalidInput(_("Slack did not let Kizuki read that message."))
            reply = copy_to_timeline(client, someone, incident, message)
        except DomainError as error:
            reply = refusal(error, someone)
        tell(client, channel, someone, reply)


def register(app: App) -> None:
    app.shortcut(SHORTCUT)(on_shortcut)
    app.event("reaction_added")(on_reaction)
