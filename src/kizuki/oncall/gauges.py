"""Paging's Prometheus series (registered with core.metrics from OncallConfig.ready()).

Read from the database on every scrape, so they are the same whichever process answers and
survive restarts: a fixed handful of aggregate queries, none per row.

- kizuki_queue_jobs{state}: background jobs by state (ready, running, failed, successful).
- kizuki_queue_oldest_ready_age_seconds: how long the oldest job ready to run has waited.
- kizuki_escalation_lateness_seconds: how far behind the most overdue escalation step or page
  is now (0 when nothing is overdue): what paging's delay looks like to a responder.
- kizuki_notification_failures_total{method}: pages given up on after their retries.
- kizuki_notifications_retrying{method}: pages waiting to be tried again after a failure.
- kizuki_worker_last_heartbeat_timestamp_seconds and kizuki_workers_alive: the workers'
  heartbeats (alive = heard from within the health check's limit)."""

from collections.abc import Iterator
from datetime import datetime

from django.db.models import Count, QuerySet
from django_tasks_db.models import DBTaskResult
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from kizuki.core.models import WorkerHeartbeat
from kizuki.oncall.liveness import BEAT_STALE_AFTER, paging_status
from kizuki.oncall.models import Page, PageStatus


class PagingSeries:
    def collect(self) -> Iterator[Metric]:
        status = paging_status()
        now = status.now
        jobs = GaugeMetricFamily(
            "kizuki_queue_jobs", "Background jobs in the queue, per state.", labels=["state"]
        )
        counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by())
        for state in ("READY", "RUNNING", "FAILED", "SUCCESSFUL"):
            jobs.add_metric([state.lower()], counts.get(state, 0))
        yield jobs
        ready = status.oldest_ready_job
        yield GaugeMetricFamily(
            "kizuki_queue_oldest_ready_age_seconds",
            "How long the oldest background job ready to run has waited (seconds); 0 if none.",
            value=(now - ready).total_seconds() if ready else 0.0,
        )
        due = [at for at in (status.oldest_due_step, status.oldest_due_page) if at is not None]
        yield GaugeMetricFamily(
            "kizuki_escalation_lateness_seconds",
            "How late the most overdue escalation step or page is now (seconds); 0 if none.",
            value=max((now - min(due)).total_seconds(), 0.0) if due else 0.0,
        )
        yield from self._pages()
        yield from self._workers(now)

    def _pages(self) -> Iterator[Metric]:
        failed = CounterMetricFamily(
            "kizuki_notification_failures",
            "Pages given up on after their retries, per method.",
            labels=["method"],
        )
        for method, n in _by_method(Page.objects.filter(status=PageStatus.FAILED)):
            failed.add_metric([method], n)
        yield failed
        retrying = GaugeMetricFamily(
            "kizuki_notifications_retrying",
            "Pages that failed and wait to be tried again, per method.",
            labels=["method"],
        )
        pending = Page.objects.filter(status=PageStatus.PENDING, attempts__gt=0)
        for method, n in _by_method(pending):
            retrying.add_metric([method], n)
        yield retrying

    def _workers(self, now: datetime) -> Iterator[Metric]:
        # One row per worker of the last day: a handful.
        beats = list(WorkerHeartbeat.objects.values_list("last_beat", flat=True))
        last = max(beats, default=None)
        yield GaugeMetricFamily(
            "kizuki_worker_last_heartbeat_timestamp_seconds",
            "When a worker last beat (Unix time); 0 if none has ever run.",
            value=last.timestamp() if last else 0.0,
        )
        alive = [beat for beat in beats if now - beat <= BEAT_STALE_AFTER]
        yield GaugeMetricFamily(
            "kizuki_workers_alive",
            "Workers heard from within the last minute.",
            value=len(alive),
        )


def _by_method(pages: QuerySet[Page]) -> list[tuple[str, int]]:
    rows = pages.values_list("method").annotate(n=Count("id")).order_by("method")
    return [(str(method), int(n)) for method, n in rows]
