"""Prometheus `/metrics`: one registry that the apps add their collectors to.

An app registers a collector from its AppConfig.ready() with `register(collector)`; a
collector is any object whose `collect()` yields prometheus_client metric families (see
reports/gauges.py). Collectors run on every scrape, so each one must be cheap: a fixed number
of aggregate queries. Series are named `kizuki_…`.

Access: with KIZUKI_METRICS_TOKEN set, a scrape must send `Authorization: Bearer <token>`
(else 401). Without it the page is open to anyone who can reach the server: it holds
aggregate numbers only (no titles, no names)."""

import hmac
from collections.abc import Iterable, Iterator
from typing import Protocol

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4, generate_latest
from prometheus_client.metrics_core import Metric


class Collector(Protocol):
    def collect(self) -> Iterable[Metric]: ...


class Registry:
    """The collectors, in the order registered; registering a collector of a class already
    registered replaces it (ready() may run more than once in tests)."""

    def __init__(self) -> None:
        self._collectors: dict[type, Collector] = {}

    def register(self, collector: Collector) -> None:
        self._collectors[type(collector)] = collector

    def collect(self) -> Iterator[Metric]:
        for collector in list(self._collectors.values()):
            yield from collector.collect()


registry = Registry()


def register(collector: Collector) -> None:
    registry.register(collector)


def _authorised(request: HttpRequest) -> bool:
    token = str(getattr(settings, "KIZUKI_METRICS_TOKEN", "") or "")
    if not token:
        return True
    scheme, _space, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )


@require_safe
@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    """The Prometheus text format. No session needed: a scraper has none."""
    if not _authorised(request):
        response = HttpResponse(
            _("A bearer token is required.") + "\n",
            status=401,
            content_type="text/plain; charset=utf-8",
        )
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    # generate_latest only calls collect(): our registry is enough. The classic text format
    # (0.0.4): every name is a plain one, so every Prometheus version reads it.
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_PLAIN_0_0_4)
