"""The hotline channel (KIZUKI_SLACK_HOTLINE_CHANNEL): "when in doubt, post it there".

Every new message there gets a threaded reply with a "Report this" button. One click files
the message as a report (incidents.actions.report_incident) in the name of whoever wrote it,
replaces the button with the incident's reference, and thanks the writer in the thread:
false alarms are welcome. A second click, or a second person clicking, files nothing more."""

import json
import re
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from kizuki.chat import mrkdwn
from kizuki.chat.access import can_report_from_slack
from kizuki.chat.actions import claim_hotline_message, settle_hotline_claim
from kizuki.chat.capture import fetch_message
from kizuki.chat.models import HotlineReport
from kizuki.chat.replies import best_effort, for_the_record, refusal, tell
from kizuki.chat.users import SlackPerson, name_of, person, speaking_to
from kizuki.core.errors import Conflict, DomainError, InvalidInput
from kizuki.incidents.actions import report_incident
from kizuki.incidents.models import Incident

ACTION_ID = "kizuki_hotline_report"
TITLE_MAX = 200
# Subtypes that are still someone writing in the channel (a file with a comment is one).
PEOPLE_SUBTYPES = {None, "file_share"}
CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{6,}$")
CHANNEL_NAME_SECONDS = 3600


def hotline_id(client: WebClient) -> str:
    """The hotline's channel ID. KIZUKI_SLACK_HOTLINE_CHANNEL may be the ID or the name;
    events carry IDs only, so a name is looked up (conversations.list) and remembered."""
    wanted = settings.KIZUKI_SLACK_HOTLINE_CHANNEL.strip().lstrip("#")
    if not wanted or CHANNEL_ID.match(wanted):
        return wanted
    key = f"kizuki:slack-channel:{client.base_url}:{wanted}"
    found = cache.get(key)
    if found is None:
        found = ""
        try:
            for page in client.conversations_list(exclude_archived=True, limit=1000):
                channels = page.get("channels") or []
                found = next((str(c["id"]) for c in channels if c.get("name") == wanted), "")
                if found:
                    break
        except SlackApiError:
            return ""  # asked again with the next message
        cache.set(key, found, CHANNEL_NAME_SECONDS)
    return str(found)


def _is_report_candidate(event: dict[str, Any], client: WebClient) -> bool:
    ts = event.get("ts")
    return (
        bool(settings.KIZUKI_SLACK_HOTLINE_CHANNEL)
        and event.get("subtype") in PEOPLE_SUBTYPES
        and not event.get("bot_id")
        and bool(event.get("user"))
        and event.get("thread_ts", ts) == ts  # a new message, not a reply in a thread
        and event.get("channel") == hotline_id(client)
    )


def offer_blocks(ts: str) -> list[dict[str, Any]]:
    return [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": _(
                    "Thank you for raising this. If it may be an incident, one click files it"
                    " as a report — false alarms are welcome."
                ),
            },
        },
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": ACTION_ID,
                    "style": "primary",
                    "text": {"type": "plain_text", "text": _("Report this")},
                    "value": json.dumps({"ts": ts}),
                }
            ],
        },
    ]


def on_message(event: dict[str, Any], client: WebClient) -> None:
    if not _is_report_candidate(event, client):
        return
    writer = person(client, str(event["user"]))
    with speaking_to(writer):
        client.chat_postMessage(
            channel=str(event["channel"]),
            thread_ts=str(event["ts"]),
            text=_("Report this as an incident? False alarms are welcome."),
            blocks=offer_blocks(str(event["ts"])),
        )


def _title(text: str, writer: SlackPerson) -> str:
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if not line:
        return _("Hotline report from %(name)s") % {"name": writer.name}
    return line if len(line) <= TITLE_MAX else line[: TITLE_MAX - 1] + "…"


def _permalink(client: WebClient, channel: str, ts: str) -> str:
    try:
        return str(client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink", ""))
    except SlackApiError:
        return ""


def _description(text: str, writer: SlackPerson, clicker: SlackPerson, link: str) -> str:
    lines = [text, ""]
    lines.append(_("Posted in the Slack hotline by %(name)s.") % {"name": writer.name})
    if clicker.slack_id != writer.slack_id:
        lines.append(_("Filed as a report by %(name)s.") % {"name": clicker.name})
    if link:
        lines.append(link)
    return "\n".join(lines).strip()


def file_report(
    client: WebClient, channel: str, ts: str, clicker: SlackPerson
) -> tuple[Incident, SlackPerson]:
    """File the hotline message `ts` as a report; returns it and the person who wrote it."""
    message = fetch_message(client, channel, ts)
    if message is None:
        raise InvalidInput(_("Slack did not let Kizuki read that message."))
    writer = person(client, str(message.get("user", "")))
    reporter = can_report_from_slack(writer)
    text = mrkdwn.plain(str(message.get("text") or ""), lambda id_: name_of(client, id_))
    link = _permalink(client, channel, ts)
    with for_the_record():
        title, description = _title(text, writer), _description(text, writer, clicker, link)
    return report_incident(reporter, title, description), writer


def _claim(channel: str, ts: str) -> HotlineReport:
    claim = claim_hotline_message(channel, ts)
    if claim is None:
        raise Conflict(_("This message has already been filed as a report."))
    return claim


def on_report_click(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    ack()
    clicker = person(client, str(body.get("user", {}).get("id", "")))
    channel = str(body.get("channel", {}).get("id", ""))
    button = (body.get("actions") or [{}])[0]
    ts = str(json.loads(button.get("value") or "{}").get("ts", ""))
    with speaking_to(clicker):
        try:
            claim = _claim(channel, ts)
            try:
                incident, writer = file_report(client, channel, ts, clicker)
            except Exception:
                settle_hotline_claim(claim, None)  # not filed: the next click may try again
                raise
            settle_hotline_claim(claim, incident)
        except DomainError as error:
            tell(client, channel, clicker, refusal(error, clicker))
            return
        done = _("Filed as %(ref)s by <@%(id)s>.") % {"ref": incident.ref, "id": clicker.slack_id}
    # The offer becomes a record: no button left to file it twice.
    offer_ts = str((body.get("message") or {}).get("ts", ""))
    best_effort(
        "replace the offer",
        lambda: client.chat_update(channel=channel, ts=offer_ts, text=done, blocks=[]),
    )
    with speaking_to(writer):
        thanks = _(
            "<@%(id)s> Thank you — %(ref)s is reported. False alarms are welcome:"
            " please keep telling us."
        ) % {"id": writer.slack_id, "ref": incident.ref}
    best_effort(
        "thank the reporter",
        lambda: client.chat_postMessage(channel=channel, thread_ts=ts, text=thanks),
    )


def register(app: App) -> None:
    app.event("message")(on_message)
    app.action(ACTION_ID)(on_report_click)
