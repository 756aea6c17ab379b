"""REST endpoints for escalation policies and test pages: authorise, call an action, serialise."""

from django.http import HttpRequest
from ninja import Query, Router, Status

from kizuki.accounts.queries import get_team
from kizuki.core.paging import PageQuery, page_of
from kizuki.notify.queries import get_person
from kizuki.oncall import access, actions, queries
from kizuki.oncall.access import Need
from kizuki.oncall.schemas import PolicyIn, PolicyOut, PolicyPage, TestPageOut, policy_out

router = Router(tags=["paging"])


@router.post("/escalation-policies", response={201: PolicyOut})
def create_policy(request: HttpRequest, body: PolicyIn) -> Status[PolicyOut]:
    access.can_edit_policies(request.user)
    team = get_team(body.team) if body.team else None
    user = access.can_manage_policy(request.user, team)
    policy = actions.create_policy(user, body.name, body.repeat, body.steps_data(), team)
    return Status(201, policy_out(policy))


@router.get("/escalation-policies", response=PolicyPage)
def list_policies(request: HttpRequest, paging: Query[PageQuery]) -> PolicyPage:
    access.can_read_policies(request.user)
    found = queries.policies()
    part = page_of(found, paging.page, paging.page_size, queries.PAGE_SIZE_MAX)
    return PolicyPage(**part.fields([policy_out(p) for p in part.items]))


@router.get("/escalation-policies/{policy_id}", response=PolicyOut)
def show_policy(request: HttpRequest, policy_id: int) -> PolicyOut:
    _user, policy = access.access_policy(request.user, policy_id)
    return policy_out(policy)


@router.put("/escalation-policies/{policy_id}", response=PolicyOut)
def update_policy(request: HttpRequest, policy_id: int, body: PolicyIn) -> PolicyOut:
    user, policy = access.access_policy(request.user, policy_id, Need.MANAGE)
    team = get_team(body.team) if body.team else None
    access.can_manage_policy(user, team)
    policy = actions.update_policy(
        user, policy, body.name, body.repeat, body.steps_data(), team=team
    )
    return policy_out(policy)


@router.delete("/escalation-policies/{policy_id}", response={204: None})
def delete_policy(request: HttpRequest, policy_id: int) -> Status[None]:
    user, policy = access.access_policy(request.user, policy_id, Need.MANAGE)
    actions.delete_policy(user, policy)
    return Status(204, None)


@router.post("/users/{username}/test-page", response={202: TestPageOut})
def send_test_page(request: HttpRequest, username: str) -> Status[TestPageOut]:
    actor = access.can_send_test_page(request.user, username)
    escalation = actions.send_test_page(actor, get_person(username))
    return Status(202, TestPageOut(escalation=escalation.pk, pages=escalation.pages.count()))
