"""REST endpoints for follow-ups: thin wrappers that authorise, call an action, serialise."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from kizuki.accounts.queries import get_team, get_user
from kizuki.core.paging import page_of
from kizuki.followups import (
    access,
    actions,
    queries,
    rule_actions,
    sync,
    tracker_actions,
)
from kizuki.followups.access import Need
from kizuki.followups.quality import check
from kizuki.followups.schemas import (
    ChangeOut,
    CheckIn,
    CheckOut,
    FollowUpIn,
    FollowUpOut,
    FollowUpPage,
    FollowUpPatch,
    QualityRuleIn,
    QualityRuleOut,
    QualityRulePatch,
    TrackerIn,
    TrackerLinkOut,
    TrackerOut,
    WebhookOut,
    change_out,
    finding_out,
    followup_out,
    rule_out,
    tracker_out,
)
from kizuki.incidents import access as incident_access

router = Router(tags=["followups"])


class FollowUpListQuery(Schema):
    status: str = ""
    team: str = ""
    owner: str = ""
    overdue: bool = False
    page: int = 1
    page_size: int = 50


def _people(changes: dict[str, Any]) -> dict[str, Any]:
    """Usernames and team slugs in a body, as the people and teams they name."""
    if "owner" in changes:
        changes["owner"] = get_user(changes["owner"]) if changes["owner"] else None
    if "team" in changes:
        changes["team"] = get_team(changes["team"]) if changes["team"] else None
    return changes


@router.get("/incidents/{ref}/followups", response=list[FollowUpOut])
def incident_followups(request: HttpRequest, ref: str) -> list[FollowUpOut]:
    _user, incident = access.access_incident_followups(request.user, ref, Need.READ)
    rules = queries.extra_rules()
    return [followup_out(f, rules) for f in queries.incident_followups(incident)]


@router.post("/incidents/{ref}/followups", response={201: FollowUpOut})
def add(request: HttpRequest, ref: str, body: FollowUpIn) -> Status[FollowUpOut]:
    user, incident = access.access_incident_followups(request.user, ref, Need.CHANGE)
    data = _people(body.model_dump(exclude_unset=True))
    data["milestones"] = [m.model_dump() for m in body.milestones]
    followup = actions.create_followup(user, incident, data)
    return Status(201, followup_out(queries.get_followup(followup.pk)))


@router.get("/followups", response=FollowUpPage)
def list_followups(request: HttpRequest, filters: Query[FollowUpListQuery]) -> FollowUpPage:
    user = access.can_read(request.user)
    found = queries.filter_followups(
        queries.FollowUpFilter(
            status=filters.status, team=filters.team, owner=filters.owner, overdue=filters.overdue
        ),
        viewer=user,
    )
    part = page_of(found, filters.page, filters.page_size, queries.PAGE_SIZE_MAX)
    rules = queries.extra_rules()
    return FollowUpPage(**part.fields([followup_out(f, rules) for f in part.items]))


@router.post("/followups/check", response=CheckOut)
def check_writing(request: HttpRequest, body: CheckIn) -> CheckOut:
    """The quality findings of a follow-up being written, without saving anything. The owner
    and due date are checked only when sent (a form may not have them yet)."""
    access.can_read(request.user)
    sent = body.model_dump(exclude_unset=True)
    policy = None
    if body.incident:
        _user, incident = incident_access.access_incident(request.user, body.incident)
        policy = queries.policy_for(incident)
    findings = check(
        body.title,
        body.description,
        owner=body.owner,
        due_date=body.due_date,
        policy=policy,
        extra=queries.extra_rules(),
        fields=[field for field in ("owner", "due_date") if field in sent],
    )
    return CheckOut(quality=[finding_out(f) for f in findings])


@router.get("/followup-quality-rules", response=list[QualityRuleOut], tags=["configuration"])
def list_rules(request: HttpRequest) -> list[QualityRuleOut]:
    access.can_manage_rules(request.user)
    return [rule_out(rule) for rule in queries.quality_rules()]


@router.post("/followup-quality-rules", response={201: QualityRuleOut}, tags=["configuration"])
def add_rule(request: HttpRequest, body: QualityRuleIn) -> Status[QualityRuleOut]:
    user = access.can_manage_rules(request.user)
    return Status(201, rule_out(rule_actions.create_rule(user, body.model_dump())))


@router.patch("/followup-quality-rules/{rule_id}", response=QualityRuleOut, tags=["configuration"])
def edit_rule(request: HttpRequest, rule_id: int, body: QualityRulePatch) -> QualityRuleOut:
    user = access.can_manage_rules(request.user)
    rule = queries.get_quality_rule(rule_id)
    return rule_out(rule_actions.update_rule(user, rule, body.model_dump(exclude_unset=True)))


@router.delete("/followup-quality-rules/{rule_id}", response={204: None}, tags=["configuration"])
def remove_rule(request: HttpRequest, rule_id: int) -> Status[None]:
    user = access.can_manage_rules(request.user)
    rule_actions.delete_rule(user, queries.get_quality_rule(rule_id))
    return Status(204, None)


@router.get("/followup-trackers", response=list[TrackerOut], tags=["configuration"])
def list_trackers(request: HttpRequest) -> list[TrackerOut]:
    access.can_configure_trackers(request.user)
    return [tracker_out(config) for config in queries.trackers()]


@router.put("/followup-trackers/{team}", response=TrackerOut, tags=["configuration"])
def set_tracker(request: HttpRequest, team: str, body: TrackerIn) -> TrackerOut:
    user = access.can_configure_trackers(request.user)
    config = tracker_actions.save_tracker(user, get_team(team), body.model_dump())
    return tracker_out(queries.get_tracker(config.pk))


@router.delete("/followup-trackers/{team}", response={204: None}, tags=["configuration"])
def unset_tracker(request: HttpRequest, team: str) -> Status[None]:
    user = access.can_configure_trackers(request.user)
    tracker_actions.remove_tracker(user, get_team(team))
    return Status(204, None)


@router.post(
    "/followup-trackers/{tracker_id}/github",
    auth=None,
    url_name="followup-github-webhook",
    response=WebhookOut,
    summary="GitHub issues webhook",
    description="GitHub's `issues` events for a tracker, signed with its webhook secret"
    " (X-Hub-Signature-256). A closed issue makes its follow-up done (won't do when closed"
    " as not planned); a reopened one opens it again. 403: the signature does not match.",
)
def github_webhook(request: HttpRequest, tracker_id: int) -> WebhookOut:
    result = sync.github_webhook(
        tracker_id,
        request.headers.get("X-GitHub-Event", ""),
        request.headers.get("X-Hub-Signature-256", ""),
        request.body,
    )
    return WebhookOut(result=result)


@router.get("/followups/{followup_id}", response=FollowUpOut)
def show(request: HttpRequest, followup_id: int) -> FollowUpOut:
    _user, followup = access.access_followup(request.user, followup_id, Need.READ)
    return followup_out(followup)


@router.patch("/followups/{followup_id}", response=FollowUpOut)
def edit(request: HttpRequest, followup_id: int, body: FollowUpPatch) -> FollowUpOut:
    user, followup = access.access_followup(request.user, followup_id, Need.CHANGE)
    changes = _people(body.model_dump(exclude_unset=True))
    if "milestones" in changes:
        changes["milestones"] = [m.model_dump() for m in body.milestones or []]
    return followup_out(actions.update_followup(user, followup, changes))


@router.get("/followups/{followup_id}/history", response=list[ChangeOut])
def history(request: HttpRequest, followup_id: int) -> list[ChangeOut]:
    _user, followup = access.access_followup(request.user, followup_id, Need.READ)
    return [change_out(c) for c in queries.history(followup)]


@router.post("/followups/{followup_id}/export", response={202: TrackerLinkOut})
def export(request: HttpRequest, followup_id: int) -> Status[TrackerLinkOut]:
    """Create the follow-up's issue in its team's tracker (a background job does it; the
    follow-up shows the link once it is there)."""
    user, followup = access.access_followup(request.user, followup_id, Need.CHANGE)
    link = tracker_actions.request_export(user, followup)
    return Status(
        202,
        TrackerLinkOut(
            state=link.state,
            issue_id=link.issue_id,
            issue_url=link.issue_url,
            issue_closed=link.issue_closed,
            error=link.error,
        ),
    )
