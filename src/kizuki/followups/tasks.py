"""Background jobs: creating a follow-up's issue in its team's tracker (enqueued by
tracker_actions.request_export in the transaction that asked for it)."""

from django_tasks import task

from kizuki.followups import sync


@task()
def export_followup(link_id: int) -> bool:
    """Create or find the issue; safe to run twice (the idempotency key finds the first)."""
    return sync.export(link_id)
