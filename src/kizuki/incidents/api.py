"""REST endpoints for incidents: thin wrappers that authorise, call an action, serialise."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from kizuki.accounts.queries import get_team, get_user
from kizuki.catalog.queries import services_by_slug
from kizuki.core.paging import page_of
from kizuki.incidents import access, actions, privacy_actions, queries, timeline_actions
from kizuki.incidents.access import Need
from kizuki.incidents.models import CauseCategory, Incident
from kizuki.incidents.schemas import (
    CauseCategoryOut,
    IncidentIn,
    IncidentOut,
    IncidentPage,
    IncidentPatch,
    ParticipantIn,
    ParticipantOut,
    RoleIn,
    RoleOut,
    RoleTypeOut,
    SeverityOut,
    SeverityPatch,
    StatusUpdateIn,
    StatusUpdateOut,
    TimelineIn,
    TimelineOut,
    TransitionIn,
    incident_out,
    participant_out,
    role_out,
    status_update_out,
    timeline_out,
)

router = Router(tags=["incidents"])


class IncidentQuery(Schema):
    status: str = ""
    severity: int | None = None
    team: str = ""
    service: str = ""
    text: str = ""
    page: int = 1
    page_size: int = 50


@router.post("/incidents", response={201: IncidentOut})
def report(request: HttpRequest, body: IncidentIn) -> Status[IncidentOut]:
    user = access.can_report(request.user, body.severity)
    incident = actions.report_incident(
        user,
        title=body.title,
        description=body.description,
        severity=body.severity,
        services=services_by_slug(body.services) if body.services else None,
        team=get_team(body.team) if body.team else None,
        is_drill=body.is_drill,
        impact_scope=body.impact_scope,
        impact_effect=body.impact_effect,
        private=body.private,
    )
    return Status(201, incident_out(incident))


@router.get("/incidents", response=IncidentPage)
def list_incidents(request: HttpRequest, filters: Query[IncidentQuery]) -> IncidentPage:
    user = access.can_read(request.user)
    found = queries.filter_incidents(
        queries.IncidentFilter(
            status=filters.status,
            severity=filters.severity,
            team=filters.team,
            service=filters.service,
            text=filters.text,
        ),
        viewer=user,
    )
    part = page_of(found, filters.page, filters.page_size, queries.PAGE_SIZE_MAX)
    return IncidentPage(**part.fields([incident_out(i) for i in queries.with_details(part.items)]))


@router.get("/incidents/{ref}", response=IncidentOut)
def show(request: HttpRequest, ref: str) -> IncidentOut:
    _user, incident = access.access_incident(request.user, ref)
    return incident_out(incident)


@router.patch("/incidents/{ref}", response=IncidentOut)
def edit(request: HttpRequest, ref: str, body: IncidentPatch) -> IncidentOut:
    user, incident = access.access_incident(request.user, ref, Need.RESPOND)
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    private = changes.pop("private", None)
    if private is not None:
        # Checked before anything changes: only the commander or an admin decides who sees it.
        access.check_privacy(user, incident)
        if not changes:
            return incident_out(privacy_actions.set_private(user, incident, private))
    if "services" in changes:
        changes["services"] = services_by_slug(changes["services"] or [])
    if "team" in changes:
        changes["team"] = get_team(changes["team"]) if changes["team"] else None
    if "cause_category" in changes:
        changes["cause_category"] = _cause(incident, changes["cause_category"])
    if set(changes) == {"cause_category"}:
        # The cause alone may change on a finished incident too (found at the retrospective).
        incident = actions.set_cause_category(user, incident, changes["cause_category"])
    else:
        incident = actions.update_incident(user, incident, changes)
    if private is not None:
        incident = privacy_actions.set_private(user, incident, private)
    return incident_out(incident)


def _cause(incident: Incident, slug: str | None) -> CauseCategory | None:
    """The category named; a retired one only if the incident has it already."""
    current = incident.cause_category
    if not slug or (current is not None and current.slug == slug):
        return current if slug else None
    return queries.cause_category(slug)


@router.post("/incidents/{ref}/transitions", response=IncidentOut)
def move(request: HttpRequest, ref: str, body: TransitionIn) -> IncidentOut:
    user, incident = access.access_incident(request.user, ref, Need.RESPOND)
    incident = actions.transition(
        user,
        incident,
        body.to,
        severity=body.severity,
        note=body.note,
        final_message=body.final_message,
    )
    return incident_out(incident)


@router.get("/incidents/{ref}/roles", response=list[RoleOut])
def roles(request: HttpRequest, ref: str) -> list[RoleOut]:
    _user, incident = access.access_incident(request.user, ref)
    return [role_out(a) for a in queries.active_roles(incident)]


@router.post("/incidents/{ref}/roles", response={201: RoleOut})
def assign(request: HttpRequest, ref: str, body: RoleIn) -> Status[RoleOut]:
    user, incident = access.access_incident(request.user, ref, Need.RESPOND)
    assignment = actions.assign_role(user, incident, body.role, get_user(body.user))
    return Status(201, role_out(assignment))


@router.delete("/incidents/{ref}/roles/{role}/{username}", response={204: None})
def release(request: HttpRequest, ref: str, role: str, username: str) -> Status[None]:
    user, incident = access.access_incident(request.user, ref, Need.RESPOND)
    actions.release_role(user, incident, role, get_user(username))
    return Status(204, None)


@router.get("/incidents/{ref}/participants", response=list[ParticipantOut])
def participants(request: HttpRequest, ref: str) -> list[ParticipantOut]:
    """The people added by hand; the reporter, role holders and people paged see it too."""
    _user, incident = access.access_incident(request.user, ref)
    return [participant_out(p) for p in queries.participants(incident)]


@router.post("/incidents/{ref}/participants", response={201: ParticipantOut})
def add_participant(request: HttpRequest, ref: str, body: ParticipantIn) -> Status[ParticipantOut]:
    user, incident = access.access_privacy(request.user, ref)
    added = privacy_actions.add_participant(user, incident, get_user(body.user))
    return Status(201, participant_out(added))


@router.delete("/incidents/{ref}/participants/{username}", response={204: None})
def remove_participant(request: HttpRequest, ref: str, username: str) -> Status[None]:
    user, incident = access.access_privacy(request.user, ref)
    privacy_actions.remove_participant(user, incident, get_user(username))
    return Status(204, None)


@router.get("/incidents/{ref}/timeline", response=list[TimelineOut])
def timeline(request: HttpRequest, ref: str) -> list[TimelineOut]:
    _user, incident = access.access_incident(request.user, ref)
    return [timeline_out(e) for e in queries.timeline(incident)]


@router.post("/incidents/{ref}/timeline", response={201: TimelineOut})
def add_entry(request: HttpRequest, ref: str, body: TimelineIn) -> Status[TimelineOut]:
    user, incident = access.access_incident(request.user, ref, Need.NOTE)
    entry = timeline_actions.add_timeline_entry(user, incident, body.text, body.occurred_at)
    return Status(201, timeline_out(entry))


@router.patch("/incidents/{ref}/timeline/{entry_id}", response=TimelineOut)
def edit_entry(request: HttpRequest, ref: str, entry_id: int, body: TimelineIn) -> TimelineOut:
    user, entry = access.access_timeline_entry(request.user, ref, entry_id)
    return timeline_out(
        timeline_actions.edit_timeline_entry(user, entry, body.text, body.occurred_at)
    )


@router.delete("/incidents/{ref}/timeline/{entry_id}", response={204: None})
def remove_entry(request: HttpRequest, ref: str, entry_id: int) -> Status[None]:
    user, entry = access.access_timeline_entry(request.user, ref, entry_id)
    timeline_actions.remove_timeline_entry(user, entry)
    return Status(204, None)


@router.get("/incidents/{ref}/status-updates", response=list[StatusUpdateOut])
def status_updates(request: HttpRequest, ref: str) -> list[StatusUpdateOut]:
    _user, incident = access.access_incident(request.user, ref)
    return [status_update_out(u) for u in queries.status_updates(incident)]


@router.post("/incidents/{ref}/status-updates", response={201: StatusUpdateOut})
def post_update(request: HttpRequest, ref: str, body: StatusUpdateIn) -> Status[StatusUpdateOut]:
    user, incident = access.access_incident(request.user, ref, Need.RESPOND)
    update = timeline_actions.post_status_update(
        user,
        incident,
        body.text,
        body.next_update_at,
        audience=body.audience,
        plain_text=body.plain_text,
    )
    return Status(201, status_update_out(update))


@router.get("/severities", response=list[SeverityOut], tags=["configuration"])
def list_severities(request: HttpRequest) -> list[Any]:
    access.can_read(request.user)
    return queries.severities()


@router.patch("/severities/{level}", response=SeverityOut, tags=["configuration"])
def edit_severity(request: HttpRequest, level: int, body: SeverityPatch) -> Any:
    user = access.can_configure(request.user)
    return actions.update_severity(user, level, body.model_dump(exclude_unset=True))


@router.get("/cause-categories", response=list[CauseCategoryOut], tags=["configuration"])
def list_cause_categories(request: HttpRequest) -> list[Any]:
    """The cause categories in their order, retired ones included (`is_active` false)."""
    access.can_read(request.user)
    return queries.cause_categories()


@router.get("/roles", response=list[RoleTypeOut], tags=["configuration"])
def list_roles(request: HttpRequest) -> list[Any]:
    access.can_read(request.user)
    return queries.role_catalogue()
