"""The request type of views that answer htmx's own requests with a partial template."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request that has been through django-htmx's middleware: `request.htmx` is truthy
    when htmx sent it (a live refresh), so the view renders just the partial."""

    htmx: HtmxDetails


def wants_partial(request: HtmxHttpRequest) -> bool:
    """True for htmx's own requests; false for a history restore, which needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request
