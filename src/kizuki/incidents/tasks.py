"""Background jobs caused by incident changes. They are enqueued inside the change's transaction."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def publish_incident_event(incident_id: int, event: str) -> None:
    # Chat and stakeholder relays subscribe here as they are configured; today it is logged.
    logger.info("incident %s: %s", incident_id, event)
