"""REST endpoints for response areas, absences and an incident's area leads: thin wrappers
that authorise, call an action and serialise."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from kizuki.areas import access, actions, queries
from kizuki.areas.schemas import (
    AbsenceIn,
    AbsenceOut,
    AbsencePage,
    AbsenceQuery,
    AreaIn,
    AreaLeadIn,
    AreaLeadOut,
    AreaOut,
    AreaPatch,
    absence_out,
    area_lead_out,
    area_out,
)
from kizuki.core import clock
from kizuki.core.paging import PageQuery, page_of
from kizuki.incidents import access as incident_access

router = Router(tags=["areas"])


@router.get("/response-areas", response=list[AreaOut], tags=["configuration"])
def list_areas(request: HttpRequest) -> list[AreaOut]:
    access.can_read(request.user)
    return [area_out(lead) for lead in queries.leads_at(clock.now())]


@router.post("/response-areas", response={201: AreaOut}, tags=["configuration"])
def create_area(request: HttpRequest, body: AreaIn) -> Status[AreaOut]:
    user = access.can_manage(request.user)
    area = actions.create_area(user, body.model_dump())
    return Status(201, area_out(queries.lead_for(area, clock.now())))


@router.get("/response-areas/{area_id}", response=AreaOut, tags=["configuration"])
def show_area(request: HttpRequest, area_id: int) -> AreaOut:
    _user, area = access.access_area(request.user, area_id)
    return area_out(queries.lead_for(area, clock.now()))


@router.patch("/response-areas/{area_id}", response=AreaOut, tags=["configuration"])
def edit_area(request: HttpRequest, area_id: int, body: AreaPatch) -> AreaOut:
    user, area = access.access_area(request.user, area_id, access.Need.CHANGE)
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    area = actions.update_area(user, area, changes)
    return area_out(queries.lead_for(area, clock.now()))


@router.get("/absences", response=AbsencePage)
def list_absences(
    request: HttpRequest, paging: Query[PageQuery], filters: Query[AbsenceQuery]
) -> AbsencePage:
    access.can_read(request.user)
    found = queries.absences(filters.user or None, clock.now() if filters.current else None)
    part = page_of(found, paging.page, paging.page_size, queries.PAGE_SIZE_MAX)
    return AbsencePage(**part.fields([absence_out(item) for item in part.items]))


@router.post("/absences", response={201: AbsenceOut})
def add_absence(request: HttpRequest, body: AbsenceIn) -> Status[AbsenceOut]:
    actor, absentee = access.can_add_absence(request.user, body.user)
    absence = actions.add_absence(actor, absentee, body.starts_at, body.ends_at, body.note)
    return Status(201, absence_out(absence))


@router.delete("/absences/{absence_id}", response={204: None})
def remove_absence(request: HttpRequest, absence_id: int) -> Status[None]:
    user, absence = access.access_absence(request.user, absence_id, access.Need.CHANGE)
    actions.remove_absence(user, absence)
    return Status(204, None)


@router.get("/incidents/{ref}/area-leads", response=list[AreaLeadOut], tags=["incidents"])
def list_area_leads(request: HttpRequest, ref: str) -> list[AreaLeadOut]:
    _user, incident = incident_access.access_incident(request.user, ref)
    return [area_lead_out(found) for found in queries.leads_of(incident)]


@router.patch("/incidents/{ref}/area-leads/{area_id}", response=AreaLeadOut, tags=["incidents"])
def change_area_lead(request: HttpRequest, ref: str, area_id: int, body: AreaLeadIn) -> AreaLeadOut:
    user, found = access.access_area_lead(request.user, ref, area_id)
    person = queries.get_person(body.lead) if body.lead else None
    changed = actions.change_lead(user, found, person)
    return area_lead_out(queries.get_area_lead(changed.incident, area_id))
