"""The learnings digest, for sharing sessions: the retrospectives published in a period, each
with its key lessons (the sections whose purpose is prevention or reflection, whatever the
template calls them), as a page and as Markdown."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kizuki.core import clock
from kizuki.incidents.access import Viewer
from kizuki.retros import queries
from kizuki.retros.models import RetroSection, Retrospective

DEFAULT_DAYS = 30
FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^(#{1,6})(\s)")


@dataclass(frozen=True)
class DigestEntry:
    retro: Retrospective
    lessons: list[RetroSection] = field(default_factory=list)


@dataclass(frozen=True)
class Period:
    """Whole days in the reader's time zone, both included."""

    first: date
    last: date

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.first, time.min))

    @property
    def end(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.last + timedelta(days=1), time.min))


def period(first: date | None, last: date | None) -> Period:
    """The period asked for; missing ends default to the last DEFAULT_DAYS days up to today."""
    today = timezone.localtime(clock.now()).date()
    last = last or (today if first is None else max(first, today))
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    return Period(first, last)


def digest(span: Period, viewer: Viewer) -> list[DigestEntry]:
    return [
        DigestEntry(retro, queries.lessons(retro))
        for retro in queries.published_between(span.start, span.end, viewer)
    ]


def _demoted(markdown: str, levels: int) -> str:
    """Headings inside a lesson moved `levels` down, so they sit under the lesson's own."""
    lines, fenced = [], False
    for line in markdown.splitlines():
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced and (match := HEADING.match(line)):
            depth = min(len(match.group(1)) + levels, 6)
            lines.append("#" * depth + line[len(match.group(1)) :])
            continue
        lines.append(line)
    return "\n".join(lines)


def to_markdown(span: Period, entries: list[DigestEntry]) -> str:
    title = _("Learnings digest %(first)s - %(last)s") % {
        "first": span.first.isoformat(),
        "last": span.last.isoformat(),
    }
    count = len(entries)
    out = [
        f"# {title}",
        "",
        ngettext(
            "%(count)s retrospective published.",
            "%(count)s retrospectives published.",
            count,
        )
        % {"count": count},
    ]
    for entry in entries:
        incident = entry.retro.incident
        url = settings.KIZUKI_BASE_URL + reverse("retro-detail", kwargs={"ref": incident.ref})
        facts = [incident.severity.label if incident.severity else ""]
        if entry.retro.published_at:
            facts.append(
                _("published %(date)s")
                % {"date": timezone.localtime(entry.retro.published_at).date().isoformat()}
            )
        out += ["", f"## {incident.ref} {incident.title}", "", " · ".join(filter(None, facts))]
        out += ["", f"<{url}>"]
        if not entry.lessons:
            out += ["", _("No lessons written.")]
        for lesson in entry.lessons:
            out += ["", f"### {lesson.title}", "", _demoted(lesson.body.strip(), 3)]
    return "\n".join(out) + "\n"
