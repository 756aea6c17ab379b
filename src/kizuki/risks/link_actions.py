"""Recording a risk in one click from a retrospective whose permanent fix will take long, or
from a follow-up: the risk is prefilled from it (title, summary, the incident and its
services, an owner), starts "not started", and is linked back, so both pages show each other.
Each is one transaction: the risk (through actions.create_risk, with its history and audit)
and its links commit together."""

from django.db import transaction

from kizuki.accounts.models import User
from kizuki.core.actions import record_audit
from kizuki.core.events import publish
from kizuki.core.text import TEXT_MAX
from kizuki.followups.models import FollowUp
from kizuki.retros.models import Purpose, Retrospective
from kizuki.risks import actions, events, queries
from kizuki.risks.models import Risk, Status

SUMMARY_MAX = TEXT_MAX


def _sections(retro: Retrospective, purpose: str) -> str:
    """The written sections of `purpose`, each under its title."""
    parts = [
        f"{section.title}\n\n{section.body.strip()}"
        for section in retro.sections.order_by("position", "id")
        if section.purpose == purpose and section.body.strip()
    ]
    return "\n\n".join(parts)[:SUMMARY_MAX]


def _link(
    actor: User, risk: Risk, retrospectives: list[Retrospective], followups: list[FollowUp]
) -> Risk:
    risk.retrospectives.add(*retrospectives)
    risk.followups.add(*followups)
    record_audit(
        actor,
        "risk.link",
        risk,
        after={
            "retrospectives": sorted(r.incident.ref for r in retrospectives),
            "followups": sorted(f.ref for f in followups),
        },
    )
    publish(events.RiskChanged(risk.pk, actor.pk))
    return queries.get_risk(risk.pk)


@transaction.atomic
def record_from_followup(actor: User, followup: FollowUp) -> Risk:
    """A risk from a follow-up: its title and description, its incident and the incident's
    services, its owner (or whoever records it); linked to the follow-up and to the
    retrospective it came from, if any."""
    incident = followup.incident
    risk = actions.create_risk(
        actor,
        {
            "title": followup.title,
            "summary": followup.description[:SUMMARY_MAX],
            "services": list(incident.services.all()),
            "owner": followup.owner or actor,
            "status": Status.NOT_STARTED,
            "incidents": [incident],
        },
    )
    retros = [followup.retrospective] if followup.retrospective else []
    return _link(actor, risk, retros, [followup])


@transaction.atomic
def record_from_retrospective(actor: User, retro: Retrospective) -> Risk:
    """A risk from a retrospective: the incident's title, the summary for stakeholders (or the
    incident's description), the cause and prevention sections as cause and plan, the incident
    and its services; owned by whoever records it; linked to the retrospective."""
    incident = retro.incident
    risk = actions.create_risk(
        actor,
        {
            "title": incident.title,
            "summary": (retro.stakeholder_summary.strip() or incident.description)[:SUMMARY_MAX],
            "cause": _sections(retro, Purpose.CAUSE),
            "plan": _sections(retro, Purpose.PREVENTION),
            "services": list(incident.services.all()),
            "owner": actor,
            "status": Status.NOT_STARTED,
            "incidents": [incident],
        },
    )
    return _link(actor, risk, [retro], [])
