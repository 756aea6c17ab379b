"""Template context for every page: whether to show responders that paging has stopped."""

from typing import Any

from django.http import HttpRequest

from kizuki.accounts.models import OrgRole
from kizuki.oncall.liveness import paging_stopped


def paging_banner(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    # Viewers cannot page anyone or fix the worker; the banner is for those who can act.
    if user is None or not user.is_authenticated or not user.has_org_role(OrgRole.RESPONDER):
        return {}
    return {"paging_stopped": paging_stopped()}
