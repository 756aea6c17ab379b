"""REST endpoints for a person's notification rules (their own, or anyone's for admins)."""

from django.http import HttpRequest
from ninja import Router, Status

from kizuki.notify import access, actions, queries
from kizuki.notify.schemas import RuleIn, RuleOrderIn, RuleOut, rule_out

router = Router(tags=["paging"])


@router.get("/users/{username}/notification-rules", response=list[RuleOut])
def list_rules(request: HttpRequest, username: str) -> list[RuleOut]:
    _actor, person = access.access_rules_of(request.user, username)
    return [rule_out(rule) for rule in queries.rules_for(person)]


@router.post("/users/{username}/notification-rules", response={201: RuleOut})
def add_rule(request: HttpRequest, username: str, body: RuleIn) -> Status[RuleOut]:
    actor, person = access.access_rules_of(request.user, username)
    rule = actions.add_rule(actor, person, body.method, body.address, body.delay_minutes)
    return Status(201, rule_out(rule))


@router.put("/users/{username}/notification-rules/order", response=list[RuleOut])
def reorder_rules(request: HttpRequest, username: str, body: RuleOrderIn) -> list[RuleOut]:
    actor, person = access.access_rules_of(request.user, username)
    rules = actions.reorder_rules(actor, person, body.ids)
    return [rule_out(rule) for rule in rules]


@router.delete("/users/{username}/notification-rules/{rule_id}", response={204: None})
def remove_rule(request: HttpRequest, username: str, rule_id: int) -> Status[None]:
    actor, rule = access.access_rule(request.user, username, rule_id)
    actions.remove_rule(actor, rule)
    return Status(204, None)
