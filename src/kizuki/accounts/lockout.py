"""What a locked-out client sees."""

from math import ceil
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def lockout_response(
    request: HttpRequest, _original_response: HttpResponse | None, _credentials: Any
) -> HttpResponse:
    """The page a locked-out login gets, with 429 and when to come back (axes calls it with
    the response the view made and the credentials tried; neither changes the answer)."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    context = {"minutes": ceil(seconds / 60)}
    response = render(request, "accounts/locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
