"""The /api/v1 assembly: one NinjaAPI, error mapping, and each app's router."""

from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kizuki.alerts.api import router as alerts_router
from kizuki.api.auth import API_AUTH
from kizuki.catalog.api import router as catalog_router
from kizuki.core.errors import DomainError
from kizuki.incidents.api import router as incidents_router
from kizuki.notify.api import router as notify_router
from kizuki.oncall.api import router as oncall_router
from kizuki.oncall.schedule_api import router as schedule_router
from kizuki.stakeholders.api import router as stakeholders_router

api = NinjaAPI(
    title="Kizuki",
    version="1",
    description="Incident management: report, declare, respond and record.",
    auth=API_AUTH,
    urls_namespace="api",
)


def _respond(
    request: HttpRequest, status: int, detail: str, code: str, **extra: Any
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return _respond(request, error.status, error.detail, error.code)


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
    return _respond(request, error.status_code, str(error), "error")


class HealthOut(Schema):
    status: str
    database: str


@api.get("/health", auth=None, response={200: HealthOut, 503: HealthOut}, tags=["health"])
def health(request: HttpRequest) -> Status[HealthOut]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return Status(503, HealthOut(status="error", database="unreachable"))
    return Status(200, HealthOut(status="ok", database=connection.vendor))


api.add_router("/", incidents_router)
api.add_router("/", oncall_router)
api.add_router("/", schedule_router)
api.add_router("/", notify_router)
api.add_router("/", catalog_router)
api.add_router("/", alerts_router)
api.add_router("/", stakeholders_router)
