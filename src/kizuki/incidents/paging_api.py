"""REST endpoints for the organisation's paging settings (who a report or a SEV1 pages)."""

from datetime import time

from django.http import HttpRequest
from ninja import Router, Schema

from kizuki.accounts.access import require_role
from kizuki.accounts.models import OrgRole
from kizuki.incidents import mobilisation

router = Router(tags=["paging"])


class PagingSettingsIn(Schema):
    """Only the fields sent change; a policy set to null is cleared."""

    triage_policy: int | None = None
    key_people: list[str] | None = None
    key_teams: list[str] | None = None
    key_policy: int | None = None
    key_people_out_of_hours_only: bool | None = None
    business_day_start: time | None = None
    business_day_end: time | None = None


class PagingSettingsOut(Schema):
    triage_policy: int | None
    key_people: list[str]
    key_teams: list[str]
    key_policy: int | None
    key_people_out_of_hours_only: bool
    business_day_start: str
    business_day_end: str


@router.get("/paging-settings", response=PagingSettingsOut)
def get_settings(request: HttpRequest) -> PagingSettingsOut:
    require_role(request.user, OrgRole.RESPONDER)
    return PagingSettingsOut(**mobilisation.describe_settings(mobilisation.paging_settings()))


@router.patch("/paging-settings", response=PagingSettingsOut)
def change_settings(request: HttpRequest, body: PagingSettingsIn) -> PagingSettingsOut:
    user = require_role(request.user, OrgRole.ADMIN)
    found = mobilisation.update_paging_settings(user, body.model_dump(exclude_unset=True))
    return PagingSettingsOut(**mobilisation.describe_settings(found))
