"""Site-wide files that browsers ask for at fixed addresses."""

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

FAVICON = "kizuki/favicon.svg"


@require_GET
@cache_control(public=True, max_age=86400)
def favicon(_request: HttpRequest) -> FileResponse:
    """Browsers fetch /favicon.ico whatever the page says: answer with our SVG icon (every
    current browser shows an SVG served there), so the log has no 404 per visit."""
    found = finders.find(FAVICON)
    if not isinstance(found, str):
        raise Http404
    return FileResponse(open(found, "rb"), content_type="image/svg+xml")
