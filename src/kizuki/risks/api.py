"""System risk records in the API: thin wrappers that authorise, call an action, serialise.
Services are named by slug, people by username, incidents by reference (INC-n)."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from kizuki.accounts.models import User
from kizuki.accounts.queries import get_user
from kizuki.catalog.queries import services_by_slug
from kizuki.core.paging import PageQuery, page_of
from kizuki.incidents import access as incident_access
from kizuki.risks import (
    access,
    actions,
    link_actions,
    queries,
    review_actions,
    review_queries,
)
from kizuki.risks.access import Need
from kizuki.risks.review_schemas import (
    PerfFindingIn,
    PerfFindingOut,
    PerfFindingPatch,
    PerfReviewIn,
    PerfReviewOut,
    PerfReviewPage,
    PerfReviewPatch,
    PromoteIn,
    ReviewSettingsIn,
    ReviewSettingsOut,
    finding_out,
    review_out,
    settings_out,
    weekday_value,
)
from kizuki.risks.schemas import (
    RiskChangeOut,
    RiskIn,
    RiskOut,
    RiskPage,
    RiskPatch,
    VisitIn,
    change_out,
    risk_out,
)

router = Router(tags=["risks"])


class RiskListQuery(Schema):
    status: str = ""
    service: str = ""
    owner: str = ""
    page: int = 1
    page_size: int = 50


def _named(user: User, body: dict[str, Any]) -> dict[str, Any]:
    """Usernames, service slugs and incident references in a body, as what they name (an
    incident the caller may not read is refused)."""
    if "owner" in body:
        body["owner"] = get_user(body["owner"]) if body["owner"] else None
    if body.get("services") is not None:
        body["services"] = services_by_slug(list(dict.fromkeys(body["services"])))
    if body.get("incidents") is not None:
        body["incidents"] = [
            incident_access.access_incident(user, ref)[1]
            for ref in dict.fromkeys(body["incidents"])
        ]
    return body


@router.get("/risks", response=RiskPage)
def list_risks(request: HttpRequest, filters: Query[RiskListQuery]) -> RiskPage:
    """The register: open risks, highest priority first (status=all for every risk)."""
    access.can_read(request.user)
    found = queries.filter_risks(
        queries.RiskFilter(status=filters.status, service=filters.service, owner=filters.owner)
    )
    part = page_of(found, filters.page, filters.page_size, queries.PAGE_SIZE_MAX)
    return RiskPage(**part.fields([risk_out(risk) for risk in part.items]))


@router.post("/risks", response={201: RiskOut})
def add(request: HttpRequest, body: RiskIn) -> Status[RiskOut]:
    user = access.can_add(request.user)
    risk = actions.create_risk(user, _named(user, body.model_dump()))
    return Status(201, risk_out(risk))


@router.get("/risks/{risk_id}", response=RiskOut)
def show(request: HttpRequest, risk_id: int) -> RiskOut:
    _user, risk = access.access_risk(request.user, risk_id, Need.READ)
    return risk_out(risk)


@router.patch("/risks/{risk_id}", response=RiskOut)
def edit(request: HttpRequest, risk_id: int, body: RiskPatch) -> RiskOut:
    user, risk = access.access_risk(request.user, risk_id, Need.CHANGE)
    changes = _named(user, body.model_dump(exclude_unset=True))
    return risk_out(actions.update_risk(user, risk, changes))


@router.post("/risks/{risk_id}/visits", response={201: RiskOut})
def visit(request: HttpRequest, risk_id: int, body: VisitIn) -> Status[RiskOut]:
    """Record what was checked; the next visit moves (left out: the status's default)."""
    user, risk = access.access_risk(request.user, risk_id, Need.CHANGE)
    return Status(201, risk_out(actions.visit_risk(user, risk, body.note, body.next_visit)))


@router.get("/risks/{risk_id}/history", response=list[RiskChangeOut])
def history(request: HttpRequest, risk_id: int) -> list[RiskChangeOut]:
    _user, risk = access.access_risk(request.user, risk_id, Need.READ)
    return [change_out(change) for change in queries.history(risk)]


@router.post("/followups/{followup_id}/risks", response={201: RiskOut})
def record_from_followup(request: HttpRequest, followup_id: int) -> Status[RiskOut]:
    """Record a risk from a follow-up in one call: prefilled from it, not started, linked."""
    user, followup = access.access_followup_for_risk(request.user, followup_id)
    return Status(201, risk_out(link_actions.record_from_followup(user, followup)))


@router.post("/incidents/{ref}/retrospective/risks", response={201: RiskOut})
def record_from_retrospective(request: HttpRequest, ref: str) -> Status[RiskOut]:
    """Record a risk from an incident's retrospective: prefilled from it, not started, linked."""
    user, retro = access.access_retrospective_for_risk(request.user, ref)
    return Status(201, risk_out(link_actions.record_from_retrospective(user, retro)))


@router.get("/reviews", response=PerfReviewPage, tags=["reviews"])
def list_reviews(request: HttpRequest, paging: Query[PageQuery]) -> PerfReviewPage:
    """Performance Reviews, the latest first, each with its agenda."""
    access.can_read(request.user)
    part = page_of(review_queries.reviews(), paging.page, paging.page_size, queries.PAGE_SIZE_MAX)
    return PerfReviewPage(**part.fields([review_out(review) for review in part.items]))


@router.post("/reviews", response={201: PerfReviewOut}, tags=["reviews"])
def hold_review(request: HttpRequest, body: PerfReviewIn) -> Status[PerfReviewOut]:
    user = access.can_add(request.user)
    return Status(201, review_out(review_actions.hold_review(user, body.model_dump())))


@router.get("/reviews/{review_id}", response=PerfReviewOut, tags=["reviews"])
def show_review(request: HttpRequest, review_id: int) -> PerfReviewOut:
    access.can_read(request.user)
    return review_out(review_queries.get_review(review_id))


@router.patch("/reviews/{review_id}", response=PerfReviewOut, tags=["reviews"])
def edit_review(request: HttpRequest, review_id: int, body: PerfReviewPatch) -> PerfReviewOut:
    """Write or correct the review's minutes."""
    user = access.can_add(request.user)
    review = review_queries.get_review(review_id)
    return review_out(review_actions.update_review(user, review, body.minutes))


@router.get("/review-settings", response=ReviewSettingsOut, tags=["reviews"])
def review_settings(request: HttpRequest) -> ReviewSettingsOut:
    """The weekly review's day, the next review and this week's review."""
    access.can_read(request.user)
    return settings_out(review_queries.review_settings())


@router.patch("/review-settings", response=ReviewSettingsOut, tags=["reviews"])
def edit_review_settings(request: HttpRequest, body: ReviewSettingsIn) -> ReviewSettingsOut:
    """Choose the review day (admins)."""
    user = access.can_configure(request.user)
    found = review_actions.update_review_settings(user, weekday_value(body.weekday))
    return settings_out(found)


@router.post("/reviews/{review_id}/findings", response={201: PerfFindingOut}, tags=["reviews"])
def add_finding(
    request: HttpRequest, review_id: int, body: PerfFindingIn
) -> Status[PerfFindingOut]:
    user = access.can_add(request.user)
    review = review_queries.get_review(review_id)
    data = body.model_dump()
    data["assignee"] = get_user(data["assignee"]) if data["assignee"] else None
    return Status(201, finding_out(review_actions.add_finding(user, review, data)))


@router.patch("/findings/{finding_id}", response=PerfFindingOut, tags=["reviews"])
def edit_finding(request: HttpRequest, finding_id: int, body: PerfFindingPatch) -> PerfFindingOut:
    """Report on a finding (`note`) or change it; each report is kept in its notes."""
    user = access.can_add(request.user)
    finding = review_queries.get_finding(finding_id)
    changes = body.model_dump(exclude_unset=True)
    if "assignee" in changes:
        changes["assignee"] = get_user(changes["assignee"]) if changes["assignee"] else None
    return finding_out(review_actions.update_finding(user, finding, changes))


@router.post("/findings/{finding_id}/promote", response={201: RiskOut}, tags=["reviews"])
def promote(request: HttpRequest, finding_id: int, body: PromoteIn) -> Status[RiskOut]:
    """Make a risk record of a finding that meets the entry criteria (investigated for a week,
    not solved at the root, potential impact 3 or more); 409 with the reasons otherwise."""
    user = access.can_add(request.user)
    finding = review_queries.get_finding(finding_id)
    data = _named(user, body.model_dump())
    return Status(201, risk_out(review_actions.promote_finding(user, finding, data)))
