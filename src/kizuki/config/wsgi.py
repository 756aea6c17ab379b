import os
from collections.abc import Iterable
from typing import Any

import django
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

from kizuki.config.env import WEB_PROCESS_VARIABLE

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuki.config.settings")
# Before the settings load: web requests get the statement timeout, other commands do not.
os.environ[WEB_PROCESS_VARIABLE] = "1"
django.setup(set_prefix=False)

# Alert intake (the integrations' webhook URLs) is the hottest path and is called by
# machines, with a token in the URL: it needs request ids and timing, security headers, the
# 503 of a database outage, the body limits and the sender's language, and none of the
# middleware for people's pages (static files, sessions, logins, CSRF, messages, page
# headers), which cost about a fifth of a request.
INTAKE_PATH = "/api/v1/integrations/"
INTAKE_MIDDLEWARE = {
    "kizuki.core.request_log.RequestIdMiddleware",
    "kizuki.core.metrics.RequestLatencyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "kizuki.core.outage.DatabaseOutageMiddleware",
    "kizuki.core.request_limits.RequestLimitsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
}


class IntakeHandler(WSGIHandler):
    """Django's handler with the intake's share of settings.MIDDLEWARE, in the same order."""

    def load_middleware(self, is_async: bool = False) -> None:
        everything = settings.MIDDLEWARE
        # Built once at start-up, before any request is served.
        settings.MIDDLEWARE = [path for path in everything if path in INTAKE_MIDDLEWARE]
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = everything


pages = WSGIHandler()
intake = IntakeHandler()


def application(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    path: str = environ.get("PATH_INFO", "")
    handler = intake if path.startswith(INTAKE_PATH) else pages
    return handler(environ, start_response)
