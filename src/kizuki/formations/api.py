"""REST endpoints for formations, an incident's positions and its checklists: thin wrappers
that authorise, call an action and serialise."""

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from kizuki.accounts.queries import get_user
from kizuki.formations import access, actions, queries
from kizuki.formations.schemas import (
    ChecklistOut,
    ChecklistTemplateOut,
    FormationOut,
    IncidentPositionOut,
    ItemOut,
    PositionIn,
    checklist_out,
    formation_out,
    incident_position_out,
    item_out,
    template_out,
)
from kizuki.incidents import access as incident_access
from kizuki.incidents.access import Need

router = Router(tags=["formations"])


@router.get("/formations", response=list[FormationOut], tags=["configuration"])
def list_formations(request: HttpRequest) -> list[FormationOut]:
    access.can_read(request.user)
    picks = queries.severity_formations()
    return [
        formation_out(
            formation, sorted(level for level, f in picks.items() if f.pk == formation.pk)
        )
        for formation in queries.formations()
    ]


@router.get("/checklist-templates", response=list[ChecklistTemplateOut], tags=["configuration"])
def list_templates(request: HttpRequest) -> list[ChecklistTemplateOut]:
    access.can_read(request.user)
    return [template_out(template) for template in queries.templates()]


@router.get("/incidents/{ref}/positions", response=list[IncidentPositionOut], tags=["incidents"])
def list_positions(request: HttpRequest, ref: str) -> list[IncidentPositionOut]:
    _user, incident = incident_access.access_incident(request.user, ref)
    return [incident_position_out(filled) for filled in queries.positions_of(incident)]


@router.put(
    "/incidents/{ref}/positions/{position_id}", response=IncidentPositionOut, tags=["incidents"]
)
def fill_position(
    request: HttpRequest, ref: str, position_id: int, body: PositionIn
) -> IncidentPositionOut:
    user, incident, filled = access.access_position(request.user, ref, position_id)
    people = [get_user(name) for name in body.users]
    return incident_position_out(actions.fill_position(user, incident, filled.position.pk, people))


@router.get("/incidents/{ref}/checklists", response=list[ChecklistOut], tags=["incidents"])
def list_checklists(request: HttpRequest, ref: str) -> list[ChecklistOut]:
    _user, incident = incident_access.access_incident(request.user, ref)
    return [checklist_out(checklist) for checklist in queries.checklists_of(incident)]


class ChecklistIn(Schema):
    template: str = Field(max_length=50, description="The template's id or slug.")


@router.post(
    "/incidents/{ref}/checklists",
    response={200: ChecklistOut, 201: ChecklistOut},
    tags=["incidents"],
)
def post_checklist(request: HttpRequest, ref: str, body: ChecklistIn) -> Status[ChecklistOut]:
    """Post a template's checklist on the incident; one already there is answered with 200."""
    user, incident = incident_access.access_incident(request.user, ref, Need.RESPOND)
    template = queries.get_template(body.template)
    existed = queries.has_checklist(incident, template)
    checklist = actions.post_checklist(incident, template, user)
    found = queries.get_checklist(incident, checklist.pk)
    return Status(200 if existed else 201, checklist_out(found))


def _tick(request: HttpRequest, ref: str, checklist_id: int, item_id: int, ticked: bool) -> ItemOut:
    user, incident, item = access.access_item(request.user, ref, checklist_id, item_id)
    actions.set_item(user, incident, item, ticked)
    return item_out(queries.get_item(incident, checklist_id, item_id))


@router.post(
    "/incidents/{ref}/checklists/{checklist_id}/items/{item_id}/tick",
    response=ItemOut,
    tags=["incidents"],
)
def tick(request: HttpRequest, ref: str, checklist_id: int, item_id: int) -> ItemOut:
    return _tick(request, ref, checklist_id, item_id, True)


@router.post(
    "/incidents/{ref}/checklists/{checklist_id}/items/{item_id}/untick",
    response=ItemOut,
    tags=["incidents"],
)
def untick(request: HttpRequest, ref: str, checklist_id: int, item_id: int) -> ItemOut:
    return _tick(request, ref, checklist_id, item_id, False)
