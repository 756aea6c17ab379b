"""REST endpoints for retros: thin wrappers that authorise, call an action, serialise."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from kizuki.accounts.queries import get_team, get_user
from kizuki.retros import (
    access,
    actions,
    policy_actions,
    queries,
    review_actions,
    template_actions,
)
from kizuki.retros.access import Need
from kizuki.retros.schemas import (
    CommentIn,
    CommentOut,
    CommentPatch,
    DiffOut,
    DiffQuery,
    RequirementIn,
    RequirementOut,
    RetroPolicyOut,
    RetrospectiveListItem,
    RetrospectiveOut,
    RetrospectivePatch,
    RetroTransitionIn,
    ReviewersIn,
    ReviewIn,
    ReviewOut,
    SectionDiffOut,
    SeverityPolicyOut,
    SeverityPolicyPatch,
    StartIn,
    TeamTemplateIn,
    TeamTemplateOut,
    TemplateIn,
    TemplateOut,
    TemplatePatch,
    VersionDetailOut,
    VersionOut,
    comment_out,
    list_item,
    requirement_out,
    retrospective_out,
    review_out,
    template_out,
    version_detail_out,
    version_out,
)

router = Router(tags=["retrospectives"])

DOC = "/incidents/{ref}/retrospective"


class TemplateQuery(Schema):
    retired: bool = False


class RetroListQuery(Schema):
    status: str = ""
    overdue: bool = False


# Templates ---------------------------------------------------------------------------------


@router.get("/retrospective-templates", response=list[TemplateOut], tags=["configuration"])
def list_templates(request: HttpRequest, filters: Query[TemplateQuery]) -> list[TemplateOut]:
    access.can_read(request.user)
    return [template_out(t) for t in queries.templates(include_retired=filters.retired)]


@router.post("/retrospective-templates", response={201: TemplateOut}, tags=["configuration"])
def add_template(request: HttpRequest, body: TemplateIn) -> Status[TemplateOut]:
    user = access.can_manage_templates(request.user)
    template = template_actions.create_template(user, body.model_dump())
    return Status(201, template_out(queries.get_template(template.key)))


@router.get("/retrospective-templates/{key}", response=TemplateOut, tags=["configuration"])
def show_template(request: HttpRequest, key: str) -> TemplateOut:
    access.can_read(request.user)
    return template_out(queries.get_template(key))


@router.patch("/retrospective-templates/{key}", response=TemplateOut, tags=["configuration"])
def edit_template(request: HttpRequest, key: str, body: TemplatePatch) -> TemplateOut:
    user = access.can_manage_templates(request.user)
    template = template_actions.update_template(
        user, queries.get_template(key), body.model_dump(exclude_unset=True)
    )
    return template_out(queries.get_template(template.key))


# The document -------------------------------------------------------------------------------


@router.post(DOC, response={201: RetrospectiveOut})
def start(request: HttpRequest, ref: str, body: StartIn) -> Status[RetrospectiveOut]:
    user, incident = access.access_start(request.user, ref)
    retro = actions.start_retrospective(user, incident, body.template)
    return Status(201, retrospective_out(queries.get_retrospective(retro.incident)))


@router.get(DOC, response=RetrospectiveOut)
def show(request: HttpRequest, ref: str) -> RetrospectiveOut:
    _user, retro = access.access_retrospective(request.user, ref, Need.READ)
    return retrospective_out(retro)


@router.patch(DOC, response=RetrospectiveOut)
def edit(request: HttpRequest, ref: str, body: RetrospectivePatch) -> RetrospectiveOut:
    user, retro = access.access_retrospective(request.user, ref, Need.EDIT)
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    if "owner" in changes:
        changes["owner"] = get_user(changes["owner"]) if changes["owner"] else None
    if changes.get("sections") is None:
        changes.pop("sections", None)
    actions.update_retrospective(user, retro, changes)
    return retrospective_out(queries.get_retrospective(retro.incident))


@router.post(DOC + "/transitions", response=RetrospectiveOut)
def move(request: HttpRequest, ref: str, body: RetroTransitionIn) -> RetrospectiveOut:
    user, retro = access.access_retrospective(request.user, ref, Need.EDIT)
    actions.transition_retrospective(user, retro, body.to)
    return retrospective_out(queries.get_retrospective(retro.incident))


@router.get(DOC + "/versions", response=list[VersionOut])
def list_versions(request: HttpRequest, ref: str) -> list[VersionOut]:
    _user, retro = access.access_retrospective(request.user, ref, Need.READ)
    return [version_out(v) for v in queries.versions(retro)]


@router.get(DOC + "/versions/{number}", response=VersionDetailOut)
def show_version(request: HttpRequest, ref: str, number: int) -> VersionDetailOut:
    _user, retro = access.access_retrospective(request.user, ref, Need.READ)
    return version_detail_out(queries.get_version(retro, number))


@router.get(DOC + "/diff", response=DiffOut)
def compare(request: HttpRequest, ref: str, versions: Query[DiffQuery]) -> DiffOut:
    _user, retro = access.access_retrospective(request.user, ref, Need.READ)
    found = queries.diff(retro, versions.old, versions.new)
    return DiffOut(
        old=versions.old,
        new=versions.new,
        sections=[SectionDiffOut(**vars(d)) for d in found],
    )


# Reviews and comments -------------------------------------------------------------------------


@router.get(DOC + "/reviews", response=list[ReviewOut])
def list_reviews(request: HttpRequest, ref: str) -> list[ReviewOut]:
    _user, retro = access.access_retrospective(request.user, ref, Need.READ)
    return [review_out(r, retro.version) for r in queries.reviews(retro)]


@router.post(DOC + "/reviews", response={201: list[ReviewOut]})
def ask_reviewers(request: HttpRequest, ref: str, body: ReviewersIn) -> Status[list[ReviewOut]]:
    user, retro = access.access_retrospective(request.user, ref, Need.EDIT)
    reviewers = [get_user(name) for name in body.reviewers]
    asked = review_actions.request_reviews(user, retro, reviewers)
    version = queries.get_retrospective(retro.incident).version
    return Status(201, [review_out(r, version) for r in asked])


@router.post(DOC + "/review", response=ReviewOut)
def review(request: HttpRequest, ref: str, body: ReviewIn) -> ReviewOut:
    user, retro = access.access_retrospective(request.user, ref, Need.REVIEW)
    given = review_actions.give_review(user, retro, body.state, body.comment)
    return review_out(given, queries.get_retrospective(retro.incident).version)


@router.get(DOC + "/comments", response=list[CommentOut])
def list_comments(request: HttpRequest, ref: str) -> list[CommentOut]:
    _user, retro = access.access_retrospective(request.user, ref, Need.READ)
    return [comment_out(c) for c in queries.comments(retro)]


@router.post(DOC + "/comments", response={201: CommentOut})
def comment(request: HttpRequest, ref: str, body: CommentIn) -> Status[CommentOut]:
    user, retro = access.access_retrospective(request.user, ref, Need.REVIEW)
    added = review_actions.add_section_comment(user, retro, body.section, body.text)
    return Status(201, comment_out(added))


@router.patch(DOC + "/comments/{comment_id}", response=CommentOut)
def resolve_comment(
    request: HttpRequest, ref: str, comment_id: int, body: CommentPatch
) -> CommentOut:
    user, retro = access.access_retrospective(request.user, ref, Need.EDIT)
    found = queries.get_comment(retro, comment_id)
    return comment_out(review_actions.resolve_section_comment(user, found, body.resolved))


# Requirement, overdue list, policy ------------------------------------------------------------


@router.get(DOC + "/requirement", response=RequirementOut)
def requirement(request: HttpRequest, ref: str) -> RequirementOut:
    _user, incident = access.access_incident_for_reading(request.user, ref)
    return requirement_out(incident.ref, queries.find_retrospective(incident))


@router.put(DOC + "/requirement", response=RequirementOut)
def decide(request: HttpRequest, ref: str, body: RequirementIn) -> RequirementOut:
    user, incident = access.access_requirement(request.user, ref)
    if body.required:
        retro = actions.require_retrospective(user, incident, body.due_at)
    else:
        retro = actions.record_not_needed(user, incident, body.reason)
    return requirement_out(incident.ref, queries.find_retrospective(retro.incident))


@router.get("/retrospectives", response=list[RetrospectiveListItem])
def list_retrospectives(
    request: HttpRequest, filters: Query[RetroListQuery]
) -> list[RetrospectiveListItem]:
    user = access.can_read(request.user)
    found = queries.filter_retrospectives(filters.status, overdue_only=filters.overdue, viewer=user)
    return [list_item(r) for r in found]


@router.get("/retrospective-policy", response=RetroPolicyOut, tags=["configuration"])
def policy(request: HttpRequest) -> RetroPolicyOut:
    access.can_read(request.user)
    return RetroPolicyOut(
        severities=[SeverityPolicyOut(**vars(p)) for p in queries.severity_policies()],
        teams=[
            TeamTemplateOut(team=t.team.slug, template=t.template.key)
            for t in queries.team_templates()
        ],
    )


@router.patch(
    "/retrospective-policy/severities/{level}", response=SeverityPolicyOut, tags=["configuration"]
)
def edit_severity_policy(
    request: HttpRequest, level: int, body: SeverityPolicyPatch
) -> SeverityPolicyOut:
    user = access.can_set_policy(request.user)
    queries.severity_policy(level)  # 404 for an unknown level, before anything is written
    policy_actions.set_severity_policy(user, level, body.model_dump(exclude_unset=True))
    return SeverityPolicyOut(**vars(queries.severity_policy(level)))


@router.put("/retrospective-policy/teams/{slug}", response=RetroPolicyOut, tags=["configuration"])
def choose_team_template(request: HttpRequest, slug: str, body: TeamTemplateIn) -> RetroPolicyOut:
    user = access.can_set_policy(request.user)
    policy_actions.set_team_template(user, get_team(slug), body.template)
    return policy(request)
