"""The major incidents of a summary report, each with a one-line summary.

An incident is *major* when its severity level is `MAJOR_SEVERITY` or more severe (a lower
level: SEV1, SEV2), or when a regulatory report was started for it, whatever its severity.
Only the incidents the report counts (no drills, no false alarms) are listed.

The one-line summary is the published retrospective's summary for stakeholders, else the
first sentence of the incident's description, else empty; Markdown marks at the start of
the line are dropped and it is cut to `SUMMARY_LENGTH` characters."""

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from kizuki.incidents.models import Incident
from kizuki.reports.metrics import IncidentMetrics
from kizuki.reports.models import RegulatoryReport
from kizuki.retros.models import Retrospective, RetroStatus

# SEV1 and SEV2 are major; SEV3 and below are not (unless reported to a regulator).
MAJOR_SEVERITY = 2
SUMMARY_LENGTH = 140


@dataclass(frozen=True)
class MajorIncident:
    ref: str
    number: int
    title: str
    severity_level: int | None
    team_name: str
    status: str
    time_to_resolve: timedelta | None
    regulatory: bool
    summary: str

    def as_dict(self) -> dict[str, Any]:
        ttr = self.time_to_resolve
        return {
            "incident": self.ref,
            "title": self.title,
            "severity": self.severity_level,
            "team": self.team_name,
            "status": self.status,
            "time_to_resolve_seconds": None if ttr is None else ttr.total_seconds(),
            "regulatory_report": self.regulatory,
            "summary": self.summary,
        }


def is_major(severity_level: int | None, regulatory: bool) -> bool:
    return regulatory or (severity_level is not None and severity_level <= MAJOR_SEVERITY)


def major_incidents(counted: list[IncidentMetrics]) -> list[MajorIncident]:
    """The major ones among the counted incidents, in the report's order (oldest first).
    Three queries at most: the incidents with a regulatory report, the retrospectives'
    summaries, the descriptions."""
    # Few incidents ever go to a regulator: all of them, rather than a filter by the period's.
    regulatory = set(RegulatoryReport.objects.values_list("incident__number", flat=True))
    # Private incidents count in the totals but are never listed (docs/private-incidents.md).
    majors = [
        i for i in counted if not i.private and is_major(i.severity_level, i.number in regulatory)
    ]
    if not majors:
        return []
    wanted = [incident.number for incident in majors]
    retro_summaries = dict(
        Retrospective.objects.filter(
            incident__number__in=wanted, status=RetroStatus.PUBLISHED
        ).values_list("incident__number", "stakeholder_summary")
    )
    descriptions = dict(
        Incident.objects.filter(number__in=wanted).values_list("number", "description")
    )
    return [
        MajorIncident(
            ref=incident.ref,
            number=incident.number,
            title=incident.title,
            severity_level=incident.severity_level,
            team_name=incident.team_name,
            status=incident.status,
            time_to_resolve=incident.time_to_resolve,
            regulatory=incident.number in regulatory,
            summary=one_line(retro_summaries.get(incident.number, ""))
            or one_line(descriptions.get(incident.number, ""), first_sentence=True),
        )
        for incident in majors
    ]


# Headings, quotes and list bullets at the start; bold and code marks anywhere.
_MARKS = re.compile(r"^\s*(?:#+\s*|>\s*|[-*+]\s+|\d+\.\s+)*")
_EMPHASIS = re.compile(r"\*\*|__|`")
# Japanese sentences end with a full-width mark, others with a mark and a space.
_SENTENCE_END = re.compile(r"(?<=[。．！？])|(?<=[.!?])\s")  # noqa: RUF001


def one_line(text: str, *, first_sentence: bool = False) -> str:
    """The first non-empty line of `text` (optionally only its first sentence), without
    leading Markdown marks, cut to SUMMARY_LENGTH characters with an ellipsis."""
    line = next((_MARKS.sub("", raw).strip() for raw in text.splitlines() if raw.strip()), "")
    line = _EMPHASIS.sub("", line)
    if first_sentence and line:
        line = _SENTENCE_END.split(line, maxsplit=1)[0].strip()
    if len(line) > SUMMARY_LENGTH:
        line = line[: SUMMARY_LENGTH - 1].rstrip() + "…"
    return line
