"""REST endpoints for services: thin wrappers that authorise, call an action, serialise."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from kizuki.accounts.queries import get_team
from kizuki.catalog import access, actions, queries
from kizuki.catalog.access import Need
from kizuki.catalog.schemas import (
    ServiceChangePage,
    ServiceIn,
    ServiceOut,
    ServicePage,
    ServicePatch,
    change_out,
    service_out,
)
from kizuki.core.paging import PageQuery, page_of

router = Router(tags=["services"])


@router.post("/services", response={201: ServiceOut})
def create_service(request: HttpRequest, body: ServiceIn) -> Status[ServiceOut]:
    user = access.can_create_service(request.user)
    service = actions.register_service(
        user,
        body.name,
        slug=body.slug,
        team=get_team(body.team) if body.team else None,
        description=body.description,
        escalation_policy=(
            queries.escalation_policy(body.escalation_policy)
            if body.escalation_policy is not None
            else None
        ),
    )
    return Status(201, service_out(queries.get_service(service.pk)))


@router.get("/services", response=ServicePage)
def list_services(request: HttpRequest, paging: Query[PageQuery]) -> ServicePage:
    access.can_read(request.user)
    found = queries.services()
    part = page_of(found, paging.page, paging.page_size, queries.PAGE_SIZE_MAX)
    return ServicePage(**part.fields([service_out(s) for s in part.items]))


@router.get("/services/{service_id}", response=ServiceOut)
def show_service(request: HttpRequest, service_id: int) -> ServiceOut:
    _user, service = access.access_service(request.user, service_id)
    return service_out(service)


@router.patch("/services/{service_id}", response=ServiceOut)
def edit_service(request: HttpRequest, service_id: int, body: ServicePatch) -> ServiceOut:
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    if "team" in changes:
        changes["team"] = get_team(changes["team"]) if changes["team"] else None
    user, service = access.access_service(
        request.user, service_id, Need.CHANGE, changes.get("team")
    )
    if changes.get("escalation_policy") is not None:
        changes["escalation_policy"] = queries.escalation_policy(changes["escalation_policy"])
    actions.update_service(user, service, changes)
    return service_out(queries.get_service(service_id))


@router.get(
    "/services/{service_id}/changes",
    response=ServiceChangePage,
    description="Changes senders reported for the service (Events API v2 change events),"
    " newest first.",
)
def list_changes(
    request: HttpRequest, service_id: int, paging: Query[PageQuery]
) -> ServiceChangePage:
    _user, service = access.access_service(request.user, service_id)
    found = queries.changes(service)
    part = page_of(found, paging.page, paging.page_size, queries.PAGE_SIZE_MAX)
    return ServiceChangePage(**part.fields([change_out(c) for c in part.items]))
