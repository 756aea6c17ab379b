"""Turn what monitoring tools send into alert events. Pure functions: a payload in, a list of
AlertEvent out, or InvalidInput saying what is wrong with the payload. Nothing here touches
the database."""

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from kizuki.core.errors import InvalidInput

EventStatus = Literal["firing", "resolved", "acknowledged"]

# Column sizes in alerts.models: longer keys are hashed, longer texts cut.
KEY_MAX = 500
TITLE_MAX = 500
SEVERITY_MAX = 50
URL_MAX = 1000
ALERTS_MAX = 1000
LINKS_MAX = 20
CHANGE_SUMMARY_MAX = 1024
CHANGE_SOURCE_MAX = 255
EVENTS_SEVERITIES = ("critical", "error", "warning", "info")
ALERT_STATUSES: dict[str, EventStatus] = {"firing": "firing", "resolved": "resolved"}
EVENTS_ACTIONS: dict[str, EventStatus] = {
    "trigger": "firing",
    "acknowledge": "acknowledged",
    "resolve": "resolved",
}


@dataclass
class AlertEvent:
    """One alert as a sender reported it. `status` acknowledged comes only from Events API v2."""

    dedup_key: str
    group_key: str
    status: EventStatus
    title: str
    severity: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    url: str = ""
    links: list[dict[str, str]] = field(default_factory=list)
    images: list[dict[str, str]] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)


def _key(value: str) -> str:
    """A dedup or group key that fits its column; long ones keep their identity as a hash."""
    if len(value) <= KEY_MAX:
        return value
    return "sha256:" + hashlib.sha256(value.encode()).hexdigest()


def _object(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidInput(_("%(field)s must be a JSON object.") % {"field": where})
    return value


def _labels(value: Any, where: str) -> dict[str, str]:
    return {
        str(k): v if isinstance(v, str) else json.dumps(v) for k, v in _object(value, where).items()
    }


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _status(value: Any, where: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise InvalidInput(
            _("%(field)s must be one of %(allowed)s, not %(value)s.")
            % {"field": where, "allowed": ", ".join(allowed), "value": json.dumps(value)}
        )
    return str(value)


def _fingerprint(labels: dict[str, str]) -> str:
    """What Alertmanager's fingerprint stands for: the identity of the label set."""
    canonical = json.dumps(labels, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _alert_list(payload: dict[str, Any]) -> list[dict[str, Any]]:
    alerts = payload.get("alerts")
    if not isinstance(alerts, list) or not alerts:
        raise InvalidInput(_("alerts must be a non-empty list."))
    if len(alerts) > ALERTS_MAX:
        raise InvalidInput(
            _("At most %(max)s alerts per request; this one has %(count)s.")
            % {"max": ALERTS_MAX, "count": len(alerts)}
        )
    for index, alert in enumerate(alerts):
        _object(alert, f"alerts[{index}]")
    return alerts


def _prometheus_style(payload: dict[str, Any], title_fallback: str) -> list[AlertEvent]:
    """Alertmanager and Grafana send the same shape: a group with its alerts."""
    group_status = payload.get("status", "firing")
    events = []
    for index, alert in enumerate(_alert_list(payload)):
        where = f"alerts[{index}]"
        labels = _labels(alert.get("labels"), f"{where}.labels")
        annotations = _object(alert.get("annotations"), f"{where}.annotations")
        status = _status(
            alert.get("status", group_status), f"{where}.status", tuple(ALERT_STATUSES)
        )
        fingerprint = _text(alert.get("fingerprint"))
        if not fingerprint and not labels:
            raise InvalidInput(_("%(field)s needs a fingerprint or labels.") % {"field": where})
        dedup_key = fingerprint or _fingerprint(labels)
        title = (
            _text(annotations.get("summary"))
            or labels.get("alertname", "")
            or _text(payload.get(title_fallback))
            or dedup_key
        )
        details = {str(k): v for k, v in annotations.items() if k != "summary"}
        # A firing alert's endsAt moves on every notification: it is kept only in `raw`.
        kept = ("startsAt", "endsAt") if status == "resolved" else ("startsAt",)
        for name in (*kept, "values", "valueString"):
            if alert.get(name) not in (None, ""):
                details[name] = alert[name]
        events.append(
            AlertEvent(
                dedup_key=dedup_key,
                group_key=_text(payload.get("groupKey"))
                or labels.get("alertname", "")
                or dedup_key,
                status=ALERT_STATUSES[status],
                title=title,
                severity=labels.get("severity", ""),
                labels=labels,
                details=details,
                url=_text(alert.get("generatorURL")) or _text(alert.get("panelURL")),
                raw=alert,
            )
        )
    return events


def parse_alertmanager(payload: dict[str, Any]) -> list[AlertEvent]:
    """Prometheus Alertmanager webhook, version 4."""
    version = payload.get("version")
    if version != "4":
        raise InvalidInput(
            _('Expected an Alertmanager webhook with version "4", got %(version)s.')
            % {"version": json.dumps(version)}
        )
    return _prometheus_style(payload, "")


def parse_grafana(payload: dict[str, Any]) -> list[AlertEvent]:
    """Grafana alerting's webhook contact point."""
    return _prometheus_style(payload, "title")


class InvalidEvent(InvalidInput):
    """An Events API v2 event PagerDuty would refuse, with every problem found, so a sender
    fixes them in one go (answered in PagerDuty's own 400 shape)."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(" ".join(errors))
        self.errors = errors


def _web_links(value: Any, where: str, target: str, errors: list[str]) -> list[dict[str, str]]:
    """Links or images of an event: objects whose `target` is a web address, cut to size.
    Others are dropped (pages show them), not refused."""
    if value is None:
        return []
    if not isinstance(value, list):
        errors.append(_("%(field)s must be a list.") % {"field": where})
        return []
    kept = []
    for item in value[:LINKS_MAX]:
        if not isinstance(item, dict):
            continue
        address = _text(item.get(target))
        if not address.lower().startswith(("http://", "https://")):
            continue
        kept.append(
            {
                str(name): _text(text)[:URL_MAX]
                for name, text in item.items()
                if isinstance(text, str) and text.strip()
            }
        )
    return kept


def _details(value: Any) -> dict[str, Any]:
    if value is None or value == "":
        return {}
    if isinstance(value, dict):
        return value
    # PagerDuty takes any JSON here; a string or list is kept under one key.
    return {"details": value}


def parse_events(payload: dict[str, Any]) -> list[AlertEvent]:
    """Events API v2 (PagerDuty's contract): one trigger, acknowledge or resolve. Problems
    are collected, not stopped at, as PagerDuty lists them all."""
    errors: list[str] = []
    action = payload.get("event_action")
    if action not in EVENTS_ACTIONS:
        errors.append(
            _("event_action must be one of %(allowed)s, not %(value)s.")
            % {"allowed": ", ".join(EVENTS_ACTIONS), "value": json.dumps(action)}
        )
    dedup_key = _text(payload.get("dedup_key"))
    if action in ("acknowledge", "resolve") and not dedup_key:
        errors.append(_("dedup_key is required to %(action)s.") % {"action": action})
    body = payload.get("payload")
    readable = body is None or isinstance(body, dict)
    if not readable:
        errors.append(_("payload must be a JSON object."))
    body = body if isinstance(body, dict) else {}
    summary = _text(body.get("summary"))
    severity = _text(body.get("severity"))
    if action == "trigger" and readable:
        for name in ("summary", "source", "severity"):
            if not _text(body.get(name)):
                errors.append(_("payload.%(field)s is required to trigger.") % {"field": name})
        if severity and severity not in EVENTS_SEVERITIES:
            errors.append(
                _("payload.severity must be one of %(allowed)s, not %(value)s.")
                % {"allowed": ", ".join(EVENTS_SEVERITIES), "value": json.dumps(severity)}
            )
    links = _web_links(payload.get("links"), "links", "href", errors)
    images = _web_links(payload.get("images"), "images", "src", errors)
    details = _details(body.get("custom_details"))
    if errors:
        raise InvalidEvent(errors)
    labels = {
        name: str(body[name])
        for name in ("source", "severity", "component", "group", "class")
        if body.get(name) not in (None, "")
    }
    url = _text(payload.get("client_url")) or (links[0]["href"] if links else "")
    dedup_key = dedup_key or uuid.uuid4().hex
    return [
        AlertEvent(
            dedup_key=dedup_key,
            group_key=dedup_key,
            status=EVENTS_ACTIONS[str(action)],
            title=summary or dedup_key,
            severity=severity,
            labels=labels,
            details=details,
            url=url,
            links=links,
            images=images,
            # The routing key is a credential some senders set to the URL token: not kept.
            raw={name: value for name, value in payload.items() if name != "routing_key"},
        )
    ]


@dataclass
class ChangeEvent:
    """A change (a deploy, a config push) a sender reported for the integration's service."""

    summary: str
    source: str
    happened_at: datetime | None
    details: dict[str, Any]
    links: list[dict[str, str]]


def _timestamp(value: Any, errors: list[str]) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        parsed = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None:
        errors.append(
            _("payload.timestamp must be an ISO 8601 date and time, not %(value)s.")
            % {"value": json.dumps(value)}
        )
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_change(payload: Any) -> ChangeEvent:
    """A change event of Events API v2 (sent to /v2/change/enqueue)."""
    errors: list[str] = []
    if not isinstance(payload, dict):
        raise InvalidEvent([_("The body must be a JSON object.")])
    body = payload.get("payload")
    if not isinstance(body, dict):
        errors.append(_("payload must be a JSON object."))
        body = {}
    summary = _text(body.get("summary"))
    if not summary:
        errors.append(_("payload.summary is required."))
    happened_at = _timestamp(body.get("timestamp"), errors)
    links = _web_links(payload.get("links"), "links", "href", errors)
    details = _details(body.get("custom_details"))
    if errors:
        raise InvalidEvent(errors)
    return ChangeEvent(
        summary=summary[:CHANGE_SUMMARY_MAX],
        source=_text(body.get("source"))[:CHANGE_SOURCE_MAX],
        happened_at=happened_at,
        details=details,
        links=links,
    )


def parse_webhook(payload: dict[str, Any]) -> list[AlertEvent]:
    """The generic webhook: one alert described in a few plain fields."""
    status = _status(payload.get("status", "firing"), "status", tuple(ALERT_STATUSES))
    title = _text(payload.get("title")) or _text(payload.get("summary"))
    dedup_key = _text(payload.get("dedup_key"))
    if status == "firing" and not title:
        raise InvalidInput(_("title (or summary) is required."))
    if status == "resolved" and not dedup_key:
        raise InvalidInput(_("dedup_key is required to resolve."))
    dedup_key = dedup_key or uuid.uuid4().hex
    severity = _text(payload.get("severity"))
    labels = _labels(payload.get("labels"), "labels")
    if severity:
        labels.setdefault("severity", severity)
    return [
        AlertEvent(
            dedup_key=dedup_key,
            group_key=_text(payload.get("group_key")) or dedup_key,
            status=ALERT_STATUSES[status],
            title=title or dedup_key,
            severity=severity,
            labels=labels,
            details=_object(payload.get("details"), "details"),
            url=_text(payload.get("url")),
            raw=payload,
        )
    ]


def parse_heartbeat(_payload: dict[str, Any]) -> list[AlertEvent]:
    """A heartbeat says only "still alive"; its body does not matter."""
    return []


PARSERS: dict[str, Callable[[dict[str, Any]], list[AlertEvent]]] = {
    "alertmanager": parse_alertmanager,
    "grafana": parse_grafana,
    "events": parse_events,
    "webhook": parse_webhook,
    "heartbeat": parse_heartbeat,
}


def _fit(event: AlertEvent) -> AlertEvent:
    event.dedup_key = _key(event.dedup_key)
    event.group_key = _key(event.group_key)
    event.title = event.title[:TITLE_MAX]
    event.severity = event.severity[:SEVERITY_MAX]
    # Pages link to it: only web addresses, never javascript: or data: from a sender.
    web = event.url.lower().startswith(("http://", "https://"))
    event.url = event.url[:URL_MAX] if web else ""
    return event


def parse(kind: str, payload: Any, grouping_label: str = "") -> list[AlertEvent]:
    """Parse a payload of an integration `kind`. With `grouping_label`, alerts carrying that
    label are grouped by its value instead of by the sender's own grouping."""
    if kind != "heartbeat" and not isinstance(payload, dict):
        raise InvalidInput(_("The body must be a JSON object."))
    events = PARSERS[kind](payload if isinstance(payload, dict) else {})
    for event in events:
        if grouping_label and event.labels.get(grouping_label):
            event.group_key = event.labels[grouping_label]
        _fit(event)
    return events
