"""The report form in Slack (`/incident report`): title, what you see, service, private.

Submitting it files the report through incidents.actions.report_incident, in the name of the
matching Kizuki user or, for a workspace member without an account, with their Slack name in
the description. A refused title is shown on the form itself. A private report is seen only by
its reporter and admins (incidents.visibility), so it needs a reporter: someone without an
account is asked to report it publicly or sign up first."""

import json
from typing import Any

from django.utils.translation import gettext as _
from slack_bolt import Ack, App
from slack_sdk import WebClient

from kizuki.catalog.queries import all_services, services_by_slug
from kizuki.chat.access import can_report_from_slack
from kizuki.chat.replies import best_effort, for_the_record, tell
from kizuki.chat.users import SlackPerson, person, speaking_to
from kizuki.core.errors import DomainError, InvalidInput
from kizuki.incidents.actions import report_incident

CALLBACK_ID = "kizuki_report"
MAX_OPTIONS = 100  # Slack's limit for a static select
TITLE_MAX = 200


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": {"action_id": "value", **element},
    }


def _text(value: str) -> dict[str, str]:
    return {"type": "plain_text", "text": value}


def report_view(channel_id: str, title: str) -> dict[str, Any]:
    title_input: dict[str, Any] = {"type": "plain_text_input", "max_length": TITLE_MAX}
    if title:
        title_input["initial_value"] = title[:TITLE_MAX]
    blocks = [
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": _(
                        "Anyone may report. A false alarm is fine — thank you for telling us."
                    ),
                }
            ],
        },
        _input("title", _("Title"), title_input, optional=False),
        _input(
            "description",
            _("What you see"),
            {"type": "plain_text_input", "multiline": True},
            optional=True,
        ),
    ]
    services = all_services()[:MAX_OPTIONS]
    if services:
        options = [{"text": _text(s.name[:75]), "value": s.slug} for s in services]
        select = {"type": "static_select", "options": options}
        blocks.append(_input("service", _("Service"), select, optional=True))
    private = {
        "text": _text(_("Private incident")),
        "description": _text(_("Only its participants and admins see it.")),
        "value": "private",
    }
    blocks.append(
        _input(
            "private", _("Who sees it"), {"type": "checkboxes", "options": [private]}, optional=True
        )
    )
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "private_metadata": json.dumps({"channel": channel_id}),
        "title": _text(_("Report an incident")),
        "submit": _text(_("Report")),
        "close": _text(_("Cancel")),
        "blocks": blocks,
    }


def open_report(client: WebClient, trigger_id: str, channel_id: str, title: str) -> None:
    client.views_open(trigger_id=trigger_id, view=report_view(channel_id, title))


def _value(values: dict[str, Any], block_id: str) -> str:
    element = values.get(block_id, {}).get("value", {})
    if element.get("type") == "static_select":
        return str((element.get("selected_option") or {}).get("value") or "")
    if element.get("type") == "checkboxes":
        return " ".join(str(o.get("value") or "") for o in element.get("selected_options") or [])
    return str(element.get("value") or "")


def _description(text: str, someone: SlackPerson) -> str:
    if someone.user is not None:
        return text
    # No Kizuki account to be the reporter: say who it was.
    with for_the_record():
        by = _("Reported in Slack by %(name)s (<@%(id)s>).") % {
            "name": someone.name,
            "id": someone.slack_id,
        }
    return f"{text}\n\n{by}".strip()


def _thank(client: WebClient, channel_id: str, someone: SlackPerson, ref: str) -> None:
    text = _("Thank you — %(ref)s is reported. False alarms are welcome.") % {"ref": ref}
    if channel_id:
        tell(client, channel_id, someone, text)
    else:
        best_effort(
            "thank the reporter",
            lambda: client.chat_postMessage(channel=someone.slack_id, text=text),
        )


def on_submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
    someone = person(client, str(body.get("user", {}).get("id", "")))
    values = view.get("state", {}).get("values", {})
    channel_id = str(json.loads(view.get("private_metadata") or "{}").get("channel", ""))
    with speaking_to(someone):
        block = "title"  # where a refusal shows on the form
        try:
            actor = can_report_from_slack(someone)
            service = _value(values, "service")
            block = "service"
            services = services_by_slug([service]) if service else None
            block = "private"
            private = _value(values, "private") == "private"
            if private and actor is None:
                raise InvalidInput(
                    _(
                        "Only people with a Kizuki account can report a private incident: report"
                        " it without ticking this, or ask an admin for an account."
                    )
                )
            block = "title"
            incident = report_incident(
                actor,
                _value(values, "title"),
                _description(_value(values, "description"), someone),
                services=services,
                private=private,
            )
        except DomainError as error:
            ack(response_action="errors", errors={block: error.detail})
            return
        ack()
        _thank(client, channel_id, someone, incident.ref)


def register(app: App) -> None:
    app.view(CALLBACK_ID)(on_submit)
