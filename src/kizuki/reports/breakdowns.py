"""The Incident Summary Report's breakdowns by affected service and by cause category, and
its top recurring causes (issue 13).

- By service: an incident counts under each of its affected services (one with two services
  counts twice, so the rows may add up to more than the total); one without a service counts
  under the empty key, last.
- By cause: each incident under its cause category; one not yet classified under the empty
  key, last. Rows in the categories' order.
- Top causes: the most frequent cause categories of the period (at most TOP_CAUSES, the
  unclassified left out), each with its count, the count of the period of the same length
  just before, and the references of its incidents, oldest first.

Two queries: the cause and services of every incident counted (one row per incident and
service), and the previous period's count per cause (only when there is a top cause)."""

from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import get_language

from kizuki.incidents.models import CauseCategory, Incident, Status
from kizuki.reports import forms, queries
from kizuki.reports.metrics import IncidentMetrics
from kizuki.reports.queries import Filters

TOP_CAUSES = 5
# The CSV's services cell: the slugs joined by this.
SERVICE_SEPARATOR = ";"


@dataclass(frozen=True)
class Tags:
    """An incident's cause category (slug and name; empty: not classified) and its affected
    services (slug, name), by name."""

    cause: str = ""
    cause_label: str = ""
    cause_position: int = 0
    services: tuple[tuple[str, str], ...] = ()


NO_TAGS = Tags()


@dataclass(frozen=True)
class Bucket:
    """The incidents under one service or one cause (key: its slug; empty: none)."""

    key: str
    label: str
    members: list[IncidentMetrics]


@dataclass(frozen=True)
class TopCause:
    key: str
    label: str
    incidents: int
    previous: int  # in the period of the same length just before
    refs: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "incidents": self.incidents,
            "previous_incidents": self.previous,
            "refs": self.refs,
        }


@dataclass(frozen=True)
class Breakdowns:
    tags: dict[int, Tags]  # by incident number
    by_service: list[Bucket]
    by_cause: list[Bucket]
    top_causes: list[TopCause]

    def csv_cells(self, number: int) -> list[str]:
        """The CSV's last two cells: the cause's slug and the services' slugs."""
        return csv_cells(self.tags.get(number, NO_TAGS))


def csv_cells(tags: Tags) -> list[str]:
    return [tags.cause, SERVICE_SEPARATOR.join(slug for slug, _name in tags.services)]


def of(filters: Filters, counted: list[IncidentMetrics], *, rank: bool = True) -> Breakdowns:
    """The breakdowns of the incidents counted (no drills, no false alarms) of `filters`;
    with `rank`, the top causes too (one more query)."""
    tags = _tags(_counted(queries.scope(filters)))
    by_service = _by_service(counted, tags)
    by_cause = _by_cause(counted, tags)
    return Breakdowns(tags, by_service, by_cause, _top(filters, by_cause) if rank else [])


def tags_of_numbers(numbers: list[int]) -> dict[int, Tags]:
    """The tags of these incidents (one query), for a CSV made without a summary."""
    return _tags(Incident.objects.filter(number__in=numbers))


def cause_choices() -> list[CauseCategory]:
    """What the report's cause filter offers: every category, retired ones too (past
    incidents may have them)."""
    return list(CauseCategory.objects.all())


def _counted(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    return incidents.filter(is_drill=False).exclude(status=Status.FALSE_ALARM)


def _tags(incidents: QuerySet[Incident]) -> dict[int, Tags]:
    # Through a subquery: the service filter's join must not narrow the services listed.
    rows = (
        Incident.objects.filter(pk__in=incidents.values("pk"))
        .order_by("number", "services__name", "services__slug")
        .values_list(
            "number",
            "cause_category__slug",
            "cause_category__name_ja",
            "cause_category__name_en",
            "cause_category__position",
            "services__slug",
            "services__name",
        )
    )
    japanese = (get_language() or "").startswith("ja")
    found: dict[int, Tags] = {}
    for number, slug, name_ja, name_en, position, service, service_name in rows:
        tags = found.get(number) or Tags(
            slug or "", (name_ja if japanese else name_en) or "", position or 0
        )
        if service:
            tags = replace(tags, services=(*tags.services, (service, service_name)))
        found[number] = tags
    return found


def _by_service(counted: list[IncidentMetrics], tags: dict[int, Tags]) -> list[Bucket]:
    grouped: dict[tuple[str, str], list[IncidentMetrics]] = {}
    for incident in counted:
        services = tags.get(incident.number, NO_TAGS).services or (("", ""),)
        for service in services:
            grouped.setdefault(service, []).append(incident)
    order = sorted(grouped, key=lambda key: (not key[0], key[1], key[0]))
    return [Bucket(key, label, grouped[(key, label)]) for key, label in order]


def _by_cause(counted: list[IncidentMetrics], tags: dict[int, Tags]) -> list[Bucket]:
    grouped: dict[tuple[str, str, int], list[IncidentMetrics]] = {}
    for incident in counted:
        found = tags.get(incident.number, NO_TAGS)
        grouped.setdefault((found.cause, found.cause_label, found.cause_position), []).append(
            incident
        )
    order = sorted(grouped, key=lambda key: (not key[0], key[2], key[0]))
    return [Bucket(key, label, grouped[(key, label, position)]) for key, label, position in order]


def _top(filters: Filters, by_cause: list[Bucket]) -> list[TopCause]:
    classified = [bucket for bucket in by_cause if bucket.key]
    # by_cause is in the categories' order; a stable sort keeps it among equal counts.
    top = sorted(classified, key=lambda bucket: -len(bucket.members))[:TOP_CAUSES]
    if not top:
        return []
    start, end = forms.previous_period(filters.start, filters.end)
    before = dict(
        _counted(queries.scope(replace(filters, start=start, end=end)))
        .filter(cause_category__slug__in=[bucket.key for bucket in top])
        .order_by()
        .values("cause_category__slug")
        .annotate(n=Count("pk", distinct=True))
        .values_list("cause_category__slug", "n")
    )
    return [
        TopCause(
            bucket.key,
            bucket.label,
            len(bucket.members),
            before.get(bucket.key, 0),
            [incident.ref for incident in bucket.members if not incident.private],
        )
        for bucket in top
    ]
