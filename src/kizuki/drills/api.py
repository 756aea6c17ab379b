"""REST endpoints for drill scenarios, drills and test pages: thin wrappers that authorise,
call an action and serialise."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from kizuki.accounts import queries as accounts
from kizuki.core.paging import PageQuery, page_of
from kizuki.drills import access, actions, queries
from kizuki.drills.schemas import (
    DrillIn,
    DrillOut,
    DrillPage,
    DrillQuery,
    DrillTestPageOut,
    ScenarioIn,
    ScenarioOut,
    ScenarioPatch,
    TestPageIn,
    TestPagePage,
    drill_out,
    scenario_out,
    test_page_out,
)

router = Router(tags=["drills"])


@router.get("/drill-scenarios", response=list[ScenarioOut])
def list_scenarios(request: HttpRequest) -> list[ScenarioOut]:
    access.can_read(request.user)
    return [scenario_out(scenario) for scenario in queries.scenarios()]


@router.post("/drill-scenarios", response={201: ScenarioOut})
def create_scenario(request: HttpRequest, body: ScenarioIn) -> Status[ScenarioOut]:
    user = access.can_create_scenario(request.user)
    scenario = actions.create_scenario(user, body.model_dump())
    return Status(201, scenario_out(queries.get_scenario(scenario.pk)))


@router.get("/drill-scenarios/{scenario_id}", response=ScenarioOut)
def show_scenario(request: HttpRequest, scenario_id: int) -> ScenarioOut:
    _user, scenario = access.access_scenario(request.user, scenario_id)
    return scenario_out(scenario)


@router.patch("/drill-scenarios/{scenario_id}", response=ScenarioOut)
def edit_scenario(request: HttpRequest, scenario_id: int, body: ScenarioPatch) -> ScenarioOut:
    user, scenario = access.access_scenario(request.user, scenario_id, access.Need.CHANGE)
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    scenario = actions.update_scenario(user, scenario, changes)
    return scenario_out(queries.get_scenario(scenario.pk))


@router.delete("/drill-scenarios/{scenario_id}", response={204: None})
def delete_scenario(request: HttpRequest, scenario_id: int) -> Status[None]:
    user, scenario = access.access_scenario(request.user, scenario_id, access.Need.CHANGE)
    actions.delete_scenario(user, scenario)
    return Status(204, None)


@router.get("/drills", response=DrillPage)
def list_drills(
    request: HttpRequest, paging: Query[PageQuery], filters: Query[DrillQuery]
) -> DrillPage:
    user = access.can_read(request.user)
    found = queries.drills(user)
    if filters.team:
        team = accounts.get_team(filters.team)
        found = queries.drills_of(team, user)
    part = page_of(found, paging.page, paging.page_size, queries.PAGE_SIZE_MAX)
    return DrillPage(**part.fields([drill_out(drill) for drill in part.items]))


@router.post("/drills", response={201: DrillOut})
def start_drill(request: HttpRequest, body: DrillIn) -> Status[DrillOut]:
    user, scenario = access.access_scenario(request.user, body.scenario, access.Need.START)
    drill = actions.start_drill(user, scenario)
    return Status(201, drill_out(queries.get_drill(drill.pk, user)))


@router.get("/drills/{drill_id}", response=DrillOut)
def show_drill(request: HttpRequest, drill_id: int) -> DrillOut:
    _user, drill = access.access_drill(request.user, drill_id)
    return drill_out(drill)


@router.get("/test-pages", response=TestPagePage)
def list_test_pages(request: HttpRequest, paging: Query[PageQuery]) -> TestPagePage:
    access.can_read(request.user)
    part = page_of(queries.test_pages(), paging.page, paging.page_size, queries.PAGE_SIZE_MAX)
    return TestPagePage(**part.fields([test_page_out(item) for item in part.items]))


@router.post("/test-pages", response={201: DrillTestPageOut})
def send_test_page(request: HttpRequest, body: TestPageIn) -> Status[DrillTestPageOut]:
    user = access.can_send_test_page(request.user)
    test_page = actions.send_test_page(user, body.target.type, body.target.id)
    return Status(201, test_page_out(queries.get_test_page(test_page.pk)))


@router.get("/test-pages/{test_page_id}", response=DrillTestPageOut)
def show_test_page(request: HttpRequest, test_page_id: int) -> DrillTestPageOut:
    _user, test_page = access.access_test_page(request.user, test_page_id)
    return test_page_out(test_page)


@router.post("/test-pages/{test_page_id}/acknowledge", response=DrillTestPageOut)
def acknowledge_test_page(request: HttpRequest, test_page_id: int) -> DrillTestPageOut:
    user, test_page = access.access_test_page(request.user, test_page_id, access.Need.CHANGE)
    return test_page_out(actions.acknowledge_test_page(user, test_page))
