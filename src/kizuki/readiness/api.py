"""REST endpoints for the readiness of a team, read-throughs before peak periods, and looking
after responders (break reminders, hand-off, today's must-dos): thin wrappers that authorise,
call an action and serialise."""

from django.http import HttpRequest
from ninja import Query, Router, Status

from kizuki.accounts.models import Team
from kizuki.core import clock
from kizuki.readiness import access, actions, care_actions, care_queries, queries
from kizuki.readiness.schemas import (
    CareOut,
    CareSettingIn,
    CareSettingOut,
    HandoffIn,
    MovedOut,
    MoveIn,
    ReadinessOut,
    ReadinessQuery,
    ReadThroughIn,
    ReadThroughOut,
    ReadThroughQuery,
    WorkItemIn,
    WorkItemOut,
    WorkItemPatch,
    care_out,
    care_setting_out,
    read_through_out,
    readiness_out,
    work_item_out,
)
from kizuki.schedules import queries as schedule_queries

router = Router(tags=["readiness"])


@router.get("/readiness", response=ReadinessOut)
def readiness(request: HttpRequest, query: Query[ReadinessQuery]) -> ReadinessOut:
    user = access.can_read(request.user)
    team: Team | None = queries.get_team(query.team) if query.team else queries.team_of(user)
    return readiness_out(queries.readiness(team, clock.now(), user))


@router.get("/read-throughs", response=list[ReadThroughOut])
def list_read_throughs(
    request: HttpRequest, query: Query[ReadThroughQuery]
) -> list[ReadThroughOut]:
    access.can_read(request.user)
    team = queries.get_team(query.team) if query.team else None
    found = queries.read_throughs(team)
    if query.upcoming:
        found = found.filter(ends_on__gte=clock.now().date())
    return [read_through_out(queries.state_of(item)) for item in found]


@router.post("/read-throughs", response={201: ReadThroughOut})
def create_read_through(request: HttpRequest, body: ReadThroughIn) -> Status[ReadThroughOut]:
    user = access.can_manage(request.user)
    item = actions.create_read_through(user, **body.model_dump())
    return Status(201, read_through_out(queries.state_of(queries.get_read_through(item.pk))))


@router.get("/read-throughs/{read_through_id}", response=ReadThroughOut)
def show_read_through(request: HttpRequest, read_through_id: int) -> ReadThroughOut:
    _user, item = access.access_read_through(request.user, read_through_id)
    return read_through_out(queries.state_of(item))


@router.post("/read-throughs/{read_through_id}/read", response=ReadThroughOut)
def mark_read(request: HttpRequest, read_through_id: int) -> ReadThroughOut:
    user, item = access.access_read_through(request.user, read_through_id)
    actions.mark_read(user, item)
    return read_through_out(queries.state_of(queries.get_read_through(item.pk)))


@router.get("/care-settings", response=list[CareSettingOut], tags=["configuration"])
def list_care_settings(request: HttpRequest) -> list[CareSettingOut]:
    access.can_read(request.user)
    return [care_setting_out(row) for row in care_queries.care_settings()]


@router.post("/care-settings", response=CareSettingOut, tags=["configuration"])
def set_care_setting(request: HttpRequest, body: CareSettingIn) -> CareSettingOut:
    user = access.can_manage(request.user)
    return care_setting_out(actions.set_care(user, **body.model_dump()))


@router.get("/incidents/{ref}/care", response=CareOut, tags=["incidents"])
def incident_care(request: HttpRequest, ref: str) -> CareOut:
    _user, incident = access.access_incident_read(request.user, ref)
    now = clock.now()
    care = care_queries.care_for(incident.severity)
    proposal = care_queries.handoff(incident, now) if care_queries.is_long(incident, now) else None
    return care_out(
        care,
        care_queries.started_at(incident),
        care_queries.next_reminder_at(incident, care, now),
        care_queries.reminders(incident),
        proposal,
    )


@router.post("/incidents/{ref}/handoff", response=CareOut, tags=["incidents"])
def hand_over(request: HttpRequest, ref: str, body: HandoffIn) -> CareOut:
    user, incident = access.access_command(request.user, ref)
    care_actions.hand_over(user, incident, schedule_queries.get_person(body.user))
    return incident_care(request, ref)


@router.get("/incidents/{ref}/work-items", response=list[WorkItemOut], tags=["incidents"])
def list_work_items(request: HttpRequest, ref: str) -> list[WorkItemOut]:
    _user, incident = access.access_incident_read(request.user, ref)
    return [work_item_out(item) for item in care_queries.work_items(incident)]


@router.post("/incidents/{ref}/work-items", response={201: WorkItemOut}, tags=["incidents"])
def add_work_item(request: HttpRequest, ref: str, body: WorkItemIn) -> Status[WorkItemOut]:
    user, incident = access.access_command(request.user, ref)
    item = care_actions.add_work_item(user, incident, body.text, today=body.today)
    return Status(201, work_item_out(item))


# Declared before /work-items/{item_id}, whose path would take "move-to-followups" as an id.
@router.post("/incidents/{ref}/work-items/move-to-followups", response=MovedOut, tags=["incidents"])
def move_to_followups(request: HttpRequest, ref: str, body: MoveIn) -> MovedOut:
    user, incident = access.access_command(request.user, ref)
    moved = care_actions.move_rest_to_followups(user, incident, body.due_date)
    return MovedOut(followups=[followup.pk for followup in moved])


@router.patch("/incidents/{ref}/work-items/{item_id}", response=WorkItemOut, tags=["incidents"])
def update_work_item(
    request: HttpRequest, ref: str, item_id: int, body: WorkItemPatch
) -> WorkItemOut:
    user, item = access.access_work_item(request.user, ref, item_id)
    item = care_actions.update_work_item(user, item, body.model_dump(exclude_unset=True))
    return work_item_out(item)
