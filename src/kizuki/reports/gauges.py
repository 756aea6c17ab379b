"""The reports' Prometheus gauges (registered with core.metrics from ReportsConfig.ready()):

- kizuki_incident_mtta_seconds{team} and kizuki_incident_mttr_seconds{team}: the mean time to
  acknowledge / resolve of the incidents reported in the last WINDOW (rolling, by the
  injectable clock), per owning team's slug ("" for no team); drills and false alarms left
  out, the definitions of metrics.py. A team without an acknowledged (resolved) incident in
  the window has no MTTA (MTTR) series.
- kizuki_incidents_open{severity}: the open incidents now, drills left out, per severity
  ("SEV1", ...; "" for those not classified yet), every severity present even at zero.

Three queries per scrape, with aggregates."""

from collections.abc import Iterator
from datetime import timedelta

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from kizuki.core import clock
from kizuki.incidents import queries as incident_queries
from kizuki.reports import live

WINDOW = timedelta(days=30)


class ResponseTimes:
    def collect(self) -> Iterator[Metric]:
        now = clock.now()
        teams = live.by_team(now - WINDOW, now)
        mtta = GaugeMetricFamily(
            "kizuki_incident_mtta_seconds",
            "Mean time to acknowledge (seconds) of the incidents reported in the last 30 "
            "days, per owning team; drills and false alarms excluded.",
            labels=["team"],
        )
        mttr = GaugeMetricFamily(
            "kizuki_incident_mttr_seconds",
            "Mean time to resolve (seconds) of the incidents reported in the last 30 days, "
            "per owning team; drills and false alarms excluded.",
            labels=["team"],
        )
        for team, means in sorted(teams.items()):
            if means.mtta is not None:
                mtta.add_metric([team], means.mtta)
            if means.mttr is not None:
                mttr.add_metric([team], means.mttr)
        yield mtta
        yield mttr
        # Private incidents are counted: the figures are anonymous totals.
        summary = incident_queries.open_summary(None)
        open_ = GaugeMetricFamily(
            "kizuki_incidents_open",
            "Open incidents now (reported to mitigated), drills excluded, per severity; an "
            "empty severity for those not classified yet.",
            labels=["severity"],
        )
        for level, _label, count in summary.by_severity:
            open_.add_metric([f"SEV{level}"], count)
        open_.add_metric([""], summary.unclassified)
        yield open_
