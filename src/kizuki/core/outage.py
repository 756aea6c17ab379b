"""While the database is unreachable, answer 503 with Retry-After instead of Django's HTML
500, so Alertmanager and other senders retry instead of dropping the alert: JSON
`{"detail", "code": "database_unavailable"}` on the API, a short plain page elsewhere."""

import json
import logging
import sys
from collections.abc import Callable
from typing import Any

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# What a lost, restarting or locked database raises, as Django wraps it.
DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 10
API_PREFIX = "/api/"


def database_unavailable(request: HttpRequest) -> HttpResponse:
    logger.warning("database unavailable; answered 503 to %s", request.method)
    detail = _("The database is unavailable right now. Retry in a few seconds.")
    if request.path_info.startswith(API_PREFIX):
        body = json.dumps({"detail": detail, "code": "database_unavailable"})
        response = HttpResponse(body, status=503, content_type="application/json")
    else:
        response = HttpResponse(detail, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseOutageMiddleware:
    """Put it near the top: it also turns a database error raised by a middleware below it
    (loading the session or the user) into the 503."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "database_unavailable", False):
            return database_unavailable(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable(request)
        return None


@receiver(got_request_exception)
def _note_database_error(request: HttpRequest | None = None, **_signal: Any) -> None:
    # Django sends this while handling the exception, before it renders its 500 page.
    if request is not None and isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        request.database_unavailable = True  # type: ignore[attr-defined]
