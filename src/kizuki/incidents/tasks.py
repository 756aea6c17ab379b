"""Background jobs of the incidents app. Incident changes now reach the worker as events
(core.events.deliver); the job below only remains for jobs queued before that."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def publish_incident_event(incident_id: int, event: str) -> None:
    # Queued by an earlier version and not yet run at the upgrade: nothing listens to it any
    # more, so it is only logged (the incident's next change brings its chat channel up to date).
    logger.info("incident %s: %s (queued before the upgrade, dropped)", incident_id, event)
