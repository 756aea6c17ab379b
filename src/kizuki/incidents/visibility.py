"""Who may see which incident: the one rule every list, search, report, export and post
follows. A public incident is seen by everyone with a role in the organisation; a private one
only by admins and its participants — the reporter (who is also its declarer, or the declarer
could not have seen it), anyone who holds or held a role on it, anyone added as a participant,
and anyone paged for it. To everyone else a private incident does not exist.

Callers filter with a subquery (`visible_incidents(user).values("pk")`, or `visible_q` on a
related model), never row by row, so a list costs the same number of queries either way."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from kizuki.accounts.models import OrgRole, User
from kizuki.incidents.models import Incident, Participant, RoleAssignment
from kizuki.incidents.paging_models import IncidentPaging
from kizuki.oncall import queries as oncall_queries

# Who looks: a person, an anonymous visitor, or None for the operator (CLI, worker jobs),
# who sees everything.
Viewer = User | AnonymousUser | None


def sees_all(viewer: Viewer) -> bool:
    """The operator (None) and active admins see private incidents without being on them."""
    if viewer is None:
        return True
    return isinstance(viewer, User) and viewer.has_org_role(OrgRole.ADMIN)


def participant_incident_ids(user_id: int) -> Q:
    """Incidents the person takes part in, as a condition on Incident (subqueries only)."""
    return (
        Q(reporter_id=user_id)
        | Q(pk__in=RoleAssignment.objects.filter(user_id=user_id).values("incident_id"))
        | Q(pk__in=Participant.objects.filter(user_id=user_id).values("incident_id"))
        | Q(
            pk__in=IncidentPaging.objects.filter(
                escalation_id__in=oncall_queries.escalations_paging(user_id)
            ).values("incident_id")
        )
    )


def hidden_incidents(viewer: Viewer) -> QuerySet[Incident]:
    """The private incidents the viewer may not see: few, found through the `private` index,
    so other tables filter with `NOT IN` this rather than `IN` every visible incident."""
    if sees_all(viewer):
        return Incident.objects.none()
    private = Incident.objects.filter(private=True)
    if not isinstance(viewer, User) or not viewer.is_active:
        return private
    return private.exclude(participant_incident_ids(viewer.pk))


def visible_q(viewer: Viewer, field: str = "incident") -> Q:
    """The condition on a model whose `field` (a foreign key) points at an incident: the rows
    whose incident the viewer may see, as a subquery on the key (no join). Rows without an
    incident (a nullable key) are kept."""
    if sees_all(viewer):
        return Q()
    return ~Q(**{f"{field}__in": hidden_incidents(viewer).values("pk")})


def visible_incidents(viewer: Viewer) -> QuerySet[Incident]:
    """Every incident the viewer may see."""
    if sees_all(viewer):
        return Incident.objects.all()
    if not isinstance(viewer, User) or not viewer.is_active:
        return Incident.objects.filter(private=False)
    return Incident.objects.filter(Q(private=False) | participant_incident_ids(viewer.pk))


def can_see(viewer: Viewer, incident: Incident) -> bool:
    """One incident already fetched: public, or the viewer sees all or takes part in it."""
    if not incident.private or sees_all(viewer):
        return True
    if not isinstance(viewer, User) or not viewer.is_active:
        return False
    return Incident.objects.filter(Q(pk=incident.pk) & participant_incident_ids(viewer.pk)).exists()


def public_only() -> Q:
    """For what reaches people outside the organisation (the status page, stakeholder
    subscribers, shared chat channels): private incidents never do."""
    return Q(private=False)
