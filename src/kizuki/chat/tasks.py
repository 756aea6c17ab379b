"""The Slack app's work in the background worker, in KIZUKI_LANGUAGE.

`on_incident_changed` is subscribed after commit to the incident events (subscriptions.py),
so it runs in the worker, after the change committed, once per change. `run_periodic` is
registered with core.periodic: retries, archiving and reminders. Without a bot token
(NullSlack) both return at once: nothing Slack happens and nothing fails."""

from django.conf import settings
from django.utils import translation

from kizuki.chat import actions, upkeep
from kizuki.chat.slack import slack
from kizuki.incidents.events import IncidentEvent


def on_incident_changed(event: IncidentEvent) -> None:
    port = slack()
    if not port.configured:
        return
    with translation.override(settings.LANGUAGE_CODE):
        actions.incident_changed(port, event.incident_id)


def run_periodic() -> int:
    port = slack()
    if not port.configured:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        return upkeep.sync_waiting(port) + upkeep.archive_due(port) + upkeep.remind(port)
