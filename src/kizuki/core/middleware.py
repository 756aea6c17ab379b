"""Turn domain errors raised in web views into a readable error page with the right status."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kizuki.core.errors import DomainError, RateLimited


def with_retry_after(response: HttpResponse, error: DomainError) -> HttpResponse:
    """A rate-limited answer says when to come back."""
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


class DomainErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        page = render(request, "core/error.html", {"error": exception}, status=exception.status)
        return with_retry_after(page, exception)
