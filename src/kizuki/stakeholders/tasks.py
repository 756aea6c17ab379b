"""Background jobs: relaying a stakeholder update to its subscribers."""

from django_tasks import task

from kizuki.incidents.models import Audience
from kizuki.stakeholders import actions


@task()
def relay_status_update(status_update_id: int) -> int:
    """Send the update to every subscriber; returns how many deliveries went out."""
    return actions.relay_update(status_update_id)


def on_status_update(status_update_id: int, audience: str) -> None:
    """The `incident.status_update` event: stakeholder updates get a relay job, enqueued in
    the transaction that posted them (so it commits, or is lost, with the update)."""
    if audience == Audience.STAKEHOLDERS:
        relay_status_update.enqueue(status_update_id)
