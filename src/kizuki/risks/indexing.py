"""Risks in the search index (knowledge): each one a document of kind "risk", pushed after its
change committed (subscriptions.py), so indexing never slows down or breaks a response.
`reindex_all` is what `kizuki search-index rebuild` asks of this app.

Every viewer reads every risk (risks.access), so a risk's document has no incident: the
knowledge app's visibility rule for documents without one (every viewer) is the risks' rule.
Its services (and their teams) let the search's filters find it."""

from django.urls import reverse

from kizuki.knowledge import actions as knowledge
from kizuki.knowledge.models import Kind
from kizuki.risks.events import RiskEvent
from kizuki.risks.models import Risk

KIND = Kind.RISK
SECTIONS = ["summary", "noticed", "cause", "plan", "countermeasures", "next_action"]


def index_risk(risk: Risk) -> None:
    services = list(risk.services.select_related("team"))
    knowledge.index_document(
        KIND,
        risk.pk,
        title=f"{risk.ref} {risk.title}",
        body="\n\n".join(filter(None, (getattr(risk, section) for section in SECTIONS))),
        url=reverse("risk-detail", args=[risk.pk]),
        incident_id=None,
        team=services[0].team if services else None,
        services=services,
        occurred_at=risk.created_at,
    )


def on_risk_changed(event: RiskEvent) -> None:
    risk = Risk.objects.filter(pk=event.risk_id).first()
    if risk is None:
        knowledge.remove_document(KIND, event.risk_id)
        return
    index_risk(risk)


def reindex_all() -> int:
    count = 0
    for risk in Risk.objects.order_by("pk").iterator():
        index_risk(risk)
        count += 1
    return count
