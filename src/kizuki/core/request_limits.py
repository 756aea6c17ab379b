"""Refuse requests that cannot be handled safely before any view, session or query sees them.

- An API body over DATA_UPLOAD_MAX_MEMORY_SIZE gets 413 with the API's JSON error instead of
  Django's HTML 400, so senders see what went wrong (and do not parse HTML).
- A query string with more parameters than DATA_UPLOAD_MAX_NUMBER_FIELDS gets 400 in the
  same JSON shape (Django would answer with an HTML page).
- A NUL character in the path or the query string is refused with 400: PostgreSQL cannot
  store or compare text containing NUL, so such a filter or path parameter would 500.
- A cookie containing NUL is dropped (as if never sent) for the same reason: the session
  cookie is looked up in the database.
"""

import json
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import translation
from django.utils.translation import gettext as _

NUL = "\x00"
API_PREFIX = "/api/"


class RequestLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_api = request.path_info.startswith(API_PREFIX)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if is_api and limit is not None and _declared_length(request) > limit:
            with _language_of(request):
                detail = _("The request body is larger than %(limit)d bytes.") % {"limit": limit}
            return _error(413, detail, "too_large")
        try:
            query = _query(request)
        except TooManyFieldsSent:
            with _language_of(request):
                detail = _("The address has too many query parameters.")
            return _error(400, detail, "invalid") if is_api else HttpResponseBadRequest(detail)
        if NUL in request.path or any(NUL in key or NUL in value for key, value in query):
            with _language_of(request):
                detail = _("The address contains a NUL character, which is not allowed.")
            return _error(400, detail, "invalid") if is_api else HttpResponseBadRequest(detail)
        for name, value in list(request.COOKIES.items()):
            if NUL in name or NUL in value:
                del request.COOKIES[name]
        return self.get_response(request)


def _language_of(request: HttpRequest) -> translation.override:
    # This runs before LocaleMiddleware, so pick the language the same way it would.
    return translation.override(translation.get_language_from_request(request))


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _query(request: HttpRequest) -> list[tuple[str, str]]:
    return [(key, value) for key, values in request.GET.lists() for value in values]


def _error(status: int, detail: str, code: str) -> HttpResponse:
    body = json.dumps({"detail": detail, "code": code})
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
