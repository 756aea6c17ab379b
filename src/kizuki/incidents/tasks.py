"""Background jobs caused by incident changes. They are enqueued inside the change's transaction."""

import logging

from django_tasks import task

from kizuki.core import events

logger = logging.getLogger(__name__)


@task()
def publish_incident_event(incident_id: int, event: str) -> None:
    # Runs in the worker after the change committed; subscribers (the Slack app) react here.
    logger.debug("incident %s: %s", incident_id, event)
    events.emit("incident.changed", incident_id=incident_id, event=event)
