"""Prometheus snapshots of a Performance Review finding (optional).

With KIZUKI_PROMETHEUS_URL set, a finding may carry a PromQL query and a range (1h, 6h, 24h,
7d). When the finding is raised, Kizuki asks the server's /api/v1/query_range once and stores
the series with the finding, so the review shows what the metric looked like then even after
Prometheus has dropped the data. A server that is down, refuses the query or answers nonsense
does not stop the finding: the snapshot then records why it failed.

The address is the operator's, set in the server's environment (like KIZUKI_LLM_URL), never
taken from a request: so it is not held to notify.outbound's allow-list (Prometheus usually
sits on a private network). Only the query comes from the user, as a parameter; redirects are
not followed, so the request cannot be sent anywhere else.
"""

import json
import math
from datetime import datetime, timedelta
from typing import Any

import requests
from django.conf import settings
from django.utils.translation import gettext as _

RANGES: dict[str, timedelta] = {
    "1h": timedelta(hours=1),
    "6h": timedelta(hours=6),
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
}
DEFAULT_RANGE = "24h"
QUERY_MAX = 2000
# About this many points per series whatever the range: enough for a small chart.
POINTS = 120
TIMEOUT_SECONDS = 10
MAX_ANSWER_BYTES = 2_000_000
# A query that returns many series keeps the first few: the chart stays readable.
MAX_SERIES = 5
DETAIL_MAX = 300


class SnapshotFailed(Exception):
    """Why a snapshot could not be taken, as a code (see failure_text) and a detail."""

    def __init__(self, code: str, detail: str = "", status: int | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.detail = _text(detail)[:DETAIL_MAX]
        self.status = status


def base_url() -> str:
    return str(getattr(settings, "KIZUKI_PROMETHEUS_URL", "") or "").strip().rstrip("/")


def enabled() -> bool:
    """Whether findings may carry a query: only with a Prometheus URL configured."""
    return bool(base_url())


def _get(query: str, start: datetime, end: datetime, step: int) -> requests.Response:
    try:
        response = requests.get(
            f"{base_url()}/api/v1/query_range",
            params={
                "query": query,
                "start": f"{start.timestamp():.3f}",
                "end": f"{end.timestamp():.3f}",
                "step": str(step),
            },
            timeout=TIMEOUT_SECONDS,
            allow_redirects=False,
            stream=True,
        )
    except requests.Timeout:
        raise SnapshotFailed("timeout") from None
    except requests.RequestException:
        # The exception's text names the host and the full URL: the reason is enough.
        raise SnapshotFailed("unreachable") from None
    return response


def _answer(response: requests.Response) -> dict[str, Any]:
    """The JSON answer, refused when too large, not JSON, or an error."""
    try:
        raw = response.raw.read(MAX_ANSWER_BYTES + 1, decode_content=True)
    except (requests.RequestException, OSError):
        raise SnapshotFailed("unreachable") from None
    finally:
        response.close()
    if len(raw) > MAX_ANSWER_BYTES:
        raise SnapshotFailed("too_large")
    try:
        answer = json.loads(raw)
    except ValueError:
        answer = None
    if response.status_code != 200:
        error = answer.get("error") if isinstance(answer, dict) else None
        raise SnapshotFailed("http", str(error or response.reason or ""), response.status_code)
    if not isinstance(answer, dict):
        raise SnapshotFailed("bad_json")
    return answer


def _text(value: Any) -> str:
    # PostgreSQL's jsonb refuses NUL: a label or an error text must not fail the finding.
    return str(value).replace("\x00", "")


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _series(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """The answer's series as {"labels": {...}, "points": [[unix seconds, value], ...]};
    NaN and infinite values are left out (they cannot be drawn)."""
    data = answer.get("data")
    if answer.get("status") != "success" or not isinstance(data, dict):
        raise SnapshotFailed("bad_answer", str(answer.get("error") or answer.get("status") or ""))
    if data.get("resultType") != "matrix" or not isinstance(data.get("result"), list):
        raise SnapshotFailed("bad_answer", str(data.get("resultType") or ""))
    series = []
    for item in data["result"][:MAX_SERIES]:
        if not isinstance(item, dict) or not isinstance(item.get("values"), list):
            raise SnapshotFailed("bad_answer")
        points = []
        for pair in item["values"]:
            if not isinstance(pair, list) or len(pair) != 2:
                raise SnapshotFailed("bad_answer")
            at, value = _number(pair[0]), _number(pair[1])
            if at is not None and value is not None:
                points.append([at, value])
        metric = item.get("metric")
        labels = metric if isinstance(metric, dict) else {}
        series.append({"labels": {_text(k): _text(v) for k, v in labels.items()}, "points": points})
    return series


def take(query: str, range_name: str, end: datetime) -> dict[str, Any]:
    """Ask Prometheus once for `query` over the `range_name` before `end`. Never raises: the
    answer is what to store, {"series": [...]} or {"failure": code, "detail", "status"}."""
    span = RANGES[range_name]
    start = end - span
    step = max(1, int(span.total_seconds()) // POINTS)
    taken = {"taken_at": end.isoformat(), "start": start.timestamp(), "end": end.timestamp()}
    try:
        series = _series(_answer(_get(query, start, end, step)))
    except SnapshotFailed as failed:
        return {**taken, "failure": failed.code, "detail": failed.detail, "status": failed.status}
    return {**taken, "series": series}


def failure_text(snapshot: dict[str, Any] | None) -> str:
    """Why the snapshot failed, in the reader's language; "" when it did not."""
    if not snapshot or not snapshot.get("failure"):
        return ""
    detail = str(snapshot.get("detail") or "")
    reasons = {
        "timeout": _("Prometheus did not answer within %(seconds)s seconds.")
        % {"seconds": TIMEOUT_SECONDS},
        "unreachable": _("Prometheus could not be reached."),
        "too_large": _("Prometheus's answer was too large."),
        "bad_json": _("Prometheus's answer was not JSON."),
        "bad_answer": _("Prometheus's answer was not a range of series."),
        "http": _("Prometheus answered HTTP %(status)s.") % {"status": snapshot.get("status")},
    }
    reason = reasons.get(str(snapshot["failure"]), str(snapshot["failure"]))
    text = f"{reason} {detail}".strip() if detail else reason
    return _("Snapshot failed: %(reason)s") % {"reason": text}


def series_name(labels: dict[str, str]) -> str:
    """A series as Prometheus writes it: name{label="value", ...}."""
    name = labels.get("__name__", "")
    rest = ", ".join(f'{k}="{v}"' for k, v in sorted(labels.items()) if k != "__name__")
    return f"{name}{{{rest}}}" if rest else name or "{}"
