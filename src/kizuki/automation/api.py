"""REST endpoints for automation rules and their runs: thin wrappers that authorise, call an
action and serialise. Admins change rules; responders read them."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from kizuki.automation import access, actions, queries
from kizuki.automation.schemas import (
    AutomationRuleIn,
    AutomationRuleOut,
    RulePatch,
    RunPage,
    rule_out,
    run_out,
)
from kizuki.core.paging import PageQuery, page_of

router = Router(tags=["automation"])

RUNS_PAGE_MAX = 100


@router.get("/automation-rules", response=list[AutomationRuleOut], tags=["configuration"])
def list_rules(request: HttpRequest) -> list[AutomationRuleOut]:
    access.can_read(request.user)
    return [rule_out(rule) for rule in queries.rules()]


@router.post("/automation-rules", response={201: AutomationRuleOut}, tags=["configuration"])
def create_rule(request: HttpRequest, body: AutomationRuleIn) -> Status[AutomationRuleOut]:
    user = access.can_manage(request.user)
    rule = actions.create_rule(user, body.model_dump(exclude_none=True))
    return Status(201, rule_out(rule))


@router.get("/automation-rules/{rule_id}", response=AutomationRuleOut, tags=["configuration"])
def show_rule(request: HttpRequest, rule_id: int) -> AutomationRuleOut:
    _user, rule = access.access_rule(request.user, rule_id)
    return rule_out(rule)


@router.patch("/automation-rules/{rule_id}", response=AutomationRuleOut, tags=["configuration"])
def edit_rule(request: HttpRequest, rule_id: int, body: RulePatch) -> AutomationRuleOut:
    user, rule = access.access_rule(request.user, rule_id, access.Need.CHANGE)
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    return rule_out(actions.update_rule(user, rule, changes))


@router.delete("/automation-rules/{rule_id}", response={204: None}, tags=["configuration"])
def delete_rule(request: HttpRequest, rule_id: int) -> Status[None]:
    user, rule = access.access_rule(request.user, rule_id, access.Need.CHANGE)
    actions.delete_rule(user, rule)
    return Status(204, None)


@router.get("/automation-rules/{rule_id}/runs", response=RunPage, tags=["configuration"])
def list_runs(request: HttpRequest, rule_id: int, paging: Query[PageQuery]) -> RunPage:
    user, rule = access.access_rule(request.user, rule_id)
    found = queries.runs_of(rule, user)
    part = page_of(found, paging.page, paging.page_size, RUNS_PAGE_MAX)
    return RunPage(**part.fields([run_out(run) for run in part.items]))
