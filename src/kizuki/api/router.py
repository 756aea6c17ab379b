"""The /api/v1 assembly: one NinjaAPI, error mapping, and each app's router."""

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import Error as DatabaseFailure
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kizuki.accounts.api import router as tokens_router
from kizuki.accounts.api_auth import API_AUTH
from kizuki.alerts.api import router as alerts_router
from kizuki.api.health import router as health_router
from kizuki.api.openapi import KizukiAPI
from kizuki.api.parser import SafeJsonParser
from kizuki.areas.api import router as areas_router
from kizuki.automation.api import router as automation_router
from kizuki.catalog.api import router as catalog_router
from kizuki.core.errors import DomainError
from kizuki.core.middleware import with_retry_after
from kizuki.core.outage import database_unavailable
from kizuki.drills.api import router as drills_router
from kizuki.followups.api import router as followups_router
from kizuki.formations.api import router as formations_router
from kizuki.incidents.api import router as incidents_router
from kizuki.incidents.paging_api import router as paging_settings_router
from kizuki.knowledge.api import router as knowledge_router
from kizuki.notify.api import router as notify_router
from kizuki.oncall.api import router as oncall_router
from kizuki.readiness.api import router as readiness_router
from kizuki.reports.api import router as reports_router
from kizuki.reports.regulatory_api import router as regulatory_router
from kizuki.retros.api import router as retros_router
from kizuki.risks.api import router as risks_router
from kizuki.schedules.api import router as schedule_router
from kizuki.stakeholders.api import router as stakeholders_router

api = KizukiAPI(
    title="Kizuki",
    version="1",
    description="Incident management: report, declare, respond and record.",
    auth=API_AUTH,
    urls_namespace="api",
    parser=SafeJsonParser(),
)


def _respond(
    request: HttpRequest, status: int, detail: str, code: str, **extra: Any
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return with_retry_after(_respond(request, error.status, error.detail, error.code), error)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    problems = []
    for item in error.errors:
        where = ".".join(
            str(part) for part in item.get("loc", ()) if part not in {"body", "payload"}
        )
        problems.append(f"{where}: {item.get('msg', '')}" if where else str(item.get("msg", "")))
    return _respond(request, 422, "; ".join(problems), "invalid", errors=error.errors)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, _error: AuthenticationError) -> HttpResponse:
    return _respond(request, 401, _("Log in or send a valid API token."), "unauthenticated")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    # ninja wraps whatever the body parser raises; the parser's own message says what to fix.
    if isinstance(error.__cause__, DomainError):
        return domain_error(request, error.__cause__)
    return _respond(request, error.status_code, str(error), "error")


@api.exception_handler(RequestDataTooBig)
def too_large(request: HttpRequest, _error: RequestDataTooBig) -> HttpResponse:
    # Normally refused earlier by RequestLimitsMiddleware; this covers bodies without a length.
    return _respond(request, 413, _("The request body is too large."), "too_large")


@api.exception_handler(InterfaceError)
@api.exception_handler(OperationalError)
def database_error(request: HttpRequest, _error: DatabaseFailure) -> HttpResponse:
    # Senders retry a 503 with Retry-After; even with DEBUG on, ninja must not answer 500.
    return database_unavailable(request)


api.add_router("/", health_router)
api.add_router("/", tokens_router)
api.add_router("/", incidents_router)
api.add_router("/", paging_settings_router)
api.add_router("/", oncall_router)
api.add_router("/", schedule_router)
api.add_router("/", notify_router)
api.add_router("/", catalog_router)
api.add_router("/", alerts_router)
api.add_router("/", stakeholders_router)
api.add_router("/", retros_router)
api.add_router("/", followups_router)
api.add_router("/", risks_router)
api.add_router("/", reports_router)
api.add_router("/", regulatory_router)
api.add_router("/", knowledge_router)
api.add_router("/", areas_router)
api.add_router("/", formations_router)
api.add_router("/", drills_router)
api.add_router("/", readiness_router)
api.add_router("/", automation_router)
