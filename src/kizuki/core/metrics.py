"""Prometheus `/metrics`: one registry that the apps add their collectors to.

An app registers a collector from its AppConfig.ready() with `register(collector)`; a
collector is any object whose `collect()` yields prometheus_client metric families (see
reports/gauges.py). Collectors run on every scrape, so each one must be cheap: a fixed number
of aggregate queries. Series are named `kizuki_…`.

Series the web process counts itself (request latency, alerts ingested) are prometheus_client
counters and histograms added with `add_process_series`. Under `kizuki serve`, whose gunicorn
runs several processes, PROMETHEUS_MULTIPROC_DIR names a directory where each process writes
its values and a scrape adds them all up; without it a scrape sees only the process that
answers it (docs/operations.md "Metrics").

Access: with KIZUKI_METRICS_TOKEN set, a scrape must send `Authorization: Bearer <token>`
(else 401). Without it the page is open to anyone who can reach the server: it holds
aggregate numbers only (no titles, no names)."""

import atexit
import hmac
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import Histogram
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4, generate_latest
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector


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


class ProcessSeries:
    """The counters and histograms web processes update as they work."""

    def __init__(self) -> None:
        self._series: dict[str, Collector] = {}

    def add(self, name: str, series: Collector) -> None:
        self._series[name] = series

    def collect(self) -> Iterator[Metric]:
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            # Every process's values, added up (the files hold all of them, ours included).
            collector = MultiProcessCollector(None)  # type: ignore[no-untyped-call]
            yield from collector.collect()  # type: ignore[no-untyped-call]
            return
        for series in list(self._series.values()):
            yield from series.collect()


process_series = ProcessSeries()
register(process_series)


def add_process_series(name: str, series: Collector) -> None:
    process_series.add(name, series)


def prepare_process_dir(env: dict[str, str]) -> None:
    """Before starting web processes: give them an empty PROMETHEUS_MULTIPROC_DIR (a new
    temporary one, removed at exit, unless the environment names one; a named one is emptied
    of the last run's files, as prometheus_client requires)."""
    given = env.get("PROMETHEUS_MULTIPROC_DIR", "")
    if not given:
        env["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="kizuki-metrics-")
        atexit.register(shutil.rmtree, env["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
        return
    Path(given).mkdir(parents=True, exist_ok=True)
    for stale in Path(given).glob("*.db"):
        stale.unlink()


REQUEST_SECONDS = Histogram(
    "kizuki_http_request_duration_seconds",
    "Time to answer an HTTP request (seconds), per method, route pattern and status.",
    ["method", "route", "status"],
    registry=None,
)
add_process_series("kizuki_http_request_duration_seconds", REQUEST_SECONDS)


class RequestLatencyMiddleware:
    """Times every request. The route is the URL pattern that matched (never the path itself,
    which carries ids and tokens), or "unmatched"."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = request.resolver_match
        route = (match.route if match is not None else "") or "unmatched"
        REQUEST_SECONDS.labels(request.method or "", route, str(response.status_code)).observe(
            time.perf_counter() - started
        )
        return response


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
