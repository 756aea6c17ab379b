"""Follow-ups in the search index (knowledge): each one as a document of kind "followup",
pushed after its change committed (subscriptions.py), so indexing never slows down or breaks
a response. `reindex_all` is what `kizuki search-index rebuild` asks of this app."""

from django.urls import reverse

from kizuki.followups.events import FollowUpEvent
from kizuki.followups.models import FollowUp
from kizuki.knowledge import actions as knowledge

KIND = "followup"


def index_followup(followup: FollowUp) -> None:
    body = "\n\n".join(
        filter(
            None,
            [
                followup.description,
                "\n".join(m.title for m in followup.milestones.all()),
                followup.status_reason,
            ],
        )
    )
    knowledge.index_document(
        KIND,
        followup.pk,
        title=f"{followup.ref} {followup.title}",
        body=body,
        url=reverse("followup-detail", args=[followup.pk]),
        incident_id=followup.incident_id,
        team=followup.team or followup.incident.team,
        occurred_at=followup.created_at,
    )


def on_followup_changed(event: FollowUpEvent) -> None:
    followup = (
        FollowUp.objects.select_related("incident", "team").filter(pk=event.followup_id).first()
    )
    if followup is None:
        knowledge.remove_document(KIND, event.followup_id)
        return
    index_followup(followup)


def reindex_all() -> int:
    count = 0
    for followup in FollowUp.objects.select_related("incident", "team").order_by("pk").iterator():
        index_followup(followup)
        count += 1
    return count
