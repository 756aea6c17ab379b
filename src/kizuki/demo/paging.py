"""Demo paging: an on-call schedule, an escalation policy, notification rules, an Alertmanager
integration with a routing rule on checkout, and alert groups in each state, ingested from the
payloads Alertmanager really sends. Built only through the apps' actions; the caller owns the
transaction and sets the clock back (`at`) so the history lies in the past."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

from kizuki.accounts.models import Team, User
from kizuki.alerts import actions as alerts
from kizuki.alerts import links, setup_actions
from kizuki.alerts.models import AlertGroup, Integration
from kizuki.alerts.queries import get_group
from kizuki.catalog import actions as catalog
from kizuki.catalog.models import Service
from kizuki.core import clock
from kizuki.incidents import mobilisation
from kizuki.notify import actions as notify
from kizuki.oncall import actions as oncall
from kizuki.schedules import actions as schedules
from kizuki.schedules.models import Holidays

SCHEDULE = "決済 一次オンコール / Payments primary"
POLICY = "決済 エスカレーション / Payments escalation"
ZONE = "Asia/Tokyo"
HANDOFF = "10:00"
PROMETHEUS = "http://prometheus.example.com:9090"
ALERTMANAGER = "http://alertmanager.example.com:9093"
RUNBOOKS = "https://runbooks.example.com/checkout"
STILL_FIRING = "0001-01-01T00:00:00Z"  # Alertmanager's endsAt while an alert fires


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _rotation_start() -> str:
    """A Monday two weeks back in Tokyo, so the weekly rotation has run a while already."""
    today = clock.now().astimezone(ZoneInfo(ZONE)).date()
    return (today - timedelta(days=today.weekday() + 14)).isoformat()


def _alert(
    fingerprint: str,
    labels: dict[str, str],
    annotations: dict[str, str],
    *,
    expr: str,
    starts: datetime,
    ends: datetime | None = None,
) -> dict[str, Any]:
    """One alert as Alertmanager 0.27 puts it in a webhook."""
    query = quote_plus(expr)
    return {
        "status": "resolved" if ends else "firing",
        "labels": {"service": "checkout", "namespace": "payments", **labels},
        "annotations": annotations,
        "startsAt": _iso(starts),
        "endsAt": _iso(ends) if ends else STILL_FIRING,
        "generatorURL": f"{PROMETHEUS}/graph?g0.expr={query}&g0.tab=1",
        "fingerprint": fingerprint,
    }


def _webhook(alertname: str, *alerts_: dict[str, Any]) -> dict[str, Any]:
    """An Alertmanager v4 webhook grouping by service and alertname."""
    firing = any(alert["status"] == "firing" for alert in alerts_)
    common = {"alertname": alertname, "service": "checkout", "namespace": "payments"}
    return {
        "receiver": "kizuki-checkout",
        "status": "firing" if firing else "resolved",
        "alerts": list(alerts_),
        "groupLabels": {"alertname": alertname, "service": "checkout"},
        "commonLabels": common,
        "commonAnnotations": {},
        "externalURL": ALERTMANAGER,
        "version": "4",
        "groupKey": f'{{}}/{{service="checkout"}}:{{alertname="{alertname}"}}',
        "truncatedAlerts": 0,
    }


def _latency(route: str, fingerprint: str, seconds: str, starts: datetime) -> dict[str, Any]:
    return _alert(
        fingerprint,
        {"alertname": "CheckoutLatencyHigh", "severity": "warning", "route": route},
        {
            "summary": "Checkout API p99 latency above 3s",
            "description": f"p99 latency of {route} is {seconds}s (threshold 3s) for 10 minutes.",
            "runbook_url": f"{RUNBOOKS}/latency",
        },
        expr="histogram_quantile(0.99, sum by (le)"
        f' (rate(http_request_duration_seconds_bucket{{route="{route}"}}[5m]))) > 3',
        starts=starts,
    )


def _replication_lag(starts: datetime, ends: datetime | None = None) -> dict[str, Any]:
    return _alert(
        "9d04a1c3e7b25f86",
        {"alertname": "CheckoutDBReplicationLag", "severity": "warning", "instance": "pg-2"},
        {
            "summary": "Checkout database replica pg-2 is 45s behind",
            "description": "Replication lag on pg-2 above 30s for 5 minutes; reads may be stale.",
            "runbook_url": f"{RUNBOOKS}/replication-lag",
        },
        expr='pg_replication_lag_seconds{instance="pg-2"} > 30',
        starts=starts,
        ends=ends,
    )


def _error_rate(starts: datetime) -> dict[str, Any]:
    return _alert(
        "3f9c2d7a41b8e605",
        {"alertname": "CheckoutHighErrorRate", "severity": "critical"},
        {
            "summary": "決済APIの5xxエラー率が5%を超えています",
            "description": "checkout-api の 5xx の割合が 5 分間 7.8% (閾値 5%)。",
            "runbook_url": f"{RUNBOOKS}/high-error-rate",
        },
        expr='sum(rate(http_requests_total{job="checkout-api",code=~"5.."}[5m]))'
        ' / sum(rate(http_requests_total{job="checkout-api"}[5m])) > 0.05',
        starts=starts,
    )


def _ingest(integration: Integration, payload: dict[str, Any]) -> AlertGroup:
    result = alerts.ingest(integration, payload)
    return get_group(result.groups[0])


def load(
    users: dict[str, User],
    payments: Team,
    checkout: Service,
    at: Callable[[float], datetime],
) -> str:
    """`at(hours_ago)` sets the clock back and returns that moment. Returns the Alertmanager
    webhook URL (with its secret token, which cannot be read back later)."""
    admin = users["admin"]
    at(50)
    for name in ("sato", "tanaka", "emma"):
        notify.add_rule(users[name], users[name], "email", delay_minutes=0)
    start = _rotation_start()
    primary = schedules.create_schedule(
        admin,
        SCHEDULE,
        ZONE,
        [
            schedules.LayerInput(
                users=["sato", "tanaka"],
                shift_length="1w",
                handoff_time=HANDOFF,
                start=start,
                name="週替わり / Weekly",
            ),
            schedules.LayerInput(
                users=["emma"],
                shift_length="1d",
                handoff_time=HANDOFF,
                start=start,
                name="祝日 / Holidays",
                holidays=Holidays.ONLY,
            ),
        ],
        team=payments,
        description="佐藤と田中が毎週月曜 10:00 に交代、祝日は Emma。/ sato and tanaka take"
        " turns weekly from Monday 10:00; emma covers Japanese public holidays.",
    )
    # Tomorrow evening emma covers for whoever is on call: the shift calendar marks overrides.
    evening = clock.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=50 + 24)
    schedules.add_override(admin, primary, users["emma"], evening, evening + timedelta(hours=4))
    # Step 2 goes to tanaka, the payments team lead, and to emma.
    policy = oncall.create_policy(
        admin,
        POLICY,
        repeat=1,
        steps=[
            {"targets": [{"type": "schedule", "id": SCHEDULE}], "wait_minutes": 5},
            {
                "targets": [{"type": "user", "id": "tanaka"}, {"type": "user", "id": "emma"}],
                "wait_minutes": 10,
            },
        ],
        team=payments,
    )
    catalog.update_service(admin, checkout, {"escalation_policy": policy})
    integration, token = setup_actions.create_integration(
        admin, checkout, "alertmanager", "Alertmanager"
    )
    setup_actions.create_routing_rule(
        admin,
        checkout,
        name="重大アラートは SEV2 / Critical declares SEV2",
        match_labels={"severity": "critical"},
        declare_severity=2,
    )
    # The Grafana of the old environment, switched off (its URL refuses alerts).
    old_grafana, _old_token = setup_actions.create_integration(
        admin, checkout, "grafana", "旧環境の Grafana / old Grafana"
    )
    setup_actions.set_integration_active(admin, old_grafana, False)

    # Yesterday: a replica fell behind, sato acknowledged, Alertmanager resolved it.
    lag_start = at(20)
    resolved = _ingest(
        integration, _webhook("CheckoutDBReplicationLag", _replication_lag(lag_start))
    )
    at(19.9)
    alerts.acknowledge_group(users["sato"], resolved)
    ended = at(19.5)
    _ingest(integration, _webhook("CheckoutDBReplicationLag", _replication_lag(lag_start, ended)))

    # The alert behind today's checkout incident, acknowledged by tanaka.
    slow = at(3.25)
    latency = _webhook(
        "CheckoutLatencyHigh",
        _latency("/v1/charges", "c41e8f0b2a9d7356", "3.4", slow - timedelta(minutes=10)),
        _latency("/v1/authorize", "5b27d9e6f13a0c84", "3.1", slow - timedelta(minutes=9)),
    )
    acknowledged = _ingest(integration, latency)
    at(3.2)
    alerts.acknowledge_group(users["tanaka"], acknowledged)

    # Still firing, critical: the routing rule declared a SEV2 incident; the worker pages
    # whoever is on call until someone acknowledges.
    erroring = at(0.25)
    _ingest(
        integration,
        _webhook("CheckoutHighErrorRate", _error_rate(erroring - timedelta(minutes=5))),
    )
    # From now on a report naming no service pages the payments on-call, and a SEV1 or SEV2
    # pages tanaka, the lead, out of business hours (the paging settings page shows this).
    mobilisation.update_paging_settings(
        admin,
        {
            "triage_policy": policy.pk,
            "key_people": ["tanaka"],
            "key_people_out_of_hours_only": True,
        },
    )
    return links.ingest_url(token, "alertmanager")
