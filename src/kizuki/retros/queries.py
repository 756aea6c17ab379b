"""Reads for retrospectives: templates, documents, versions and their diffs, reviews,
comments, what is overdue, what was published in a period, and the policy."""

import difflib
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kizuki.accounts.models import Team
from kizuki.core import clock
from kizuki.core.errors import InvalidInput, NotFound
from kizuki.incidents import queries as incidents
from kizuki.incidents.access import Viewer, visible_q
from kizuki.incidents.models import Incident
from kizuki.retros.defaults import DEFAULT_DUE_DAYS, DEFAULT_TEMPLATE
from kizuki.retros.models import (
    STARTED,
    Purpose,
    RetroPolicy,
    RetroSection,
    Retrospective,
    RetroStatus,
    RetroVersion,
    Review,
    ReviewState,
    SectionComment,
    TeamTemplate,
    Template,
)

LESSONS = [Purpose.PREVENTION, Purpose.REFLECTION]


def templates(include_retired: bool = False) -> list[Template]:
    found = Template.objects.prefetch_related("sections")
    if not include_retired:
        found = found.filter(retired=False)
    return list(found)


def get_template(key: str) -> Template:
    template = Template.objects.prefetch_related("sections").filter(key=key).first()
    if template is None:
        keys = ", ".join(Template.objects.filter(retired=False).values_list("key", flat=True))
        raise NotFound(
            _("No retrospective template %(key)s; use one of %(keys)s.")
            % {"key": key, "keys": keys}
        )
    return template


def _documents() -> QuerySet[Retrospective]:
    return Retrospective.objects.select_related(
        "incident", "incident__severity", "incident__team", "template", "owner"
    )


def find_retrospective(incident: Incident) -> Retrospective | None:
    """The incident's retrospective row, also when it is only required (not started)."""
    return _documents().filter(incident=incident).first()


def get_retrospective(incident: Incident) -> Retrospective:
    retro = find_retrospective(incident)
    if retro is None or not retro.started:
        raise NotFound(_("%(ref)s has no retrospective yet.") % {"ref": incident.ref})
    return retro


def get_retrospective_by_id(retrospective_id: int) -> Retrospective:
    retro = _documents().filter(pk=retrospective_id).first()
    if retro is None:
        raise NotFound(_("No retrospective %(id)s.") % {"id": retrospective_id})
    return retro


def sections(retro: Retrospective) -> list[RetroSection]:
    return list(retro.sections.select_related("updated_by"))


def guidance(retro: Retrospective) -> dict[str, str]:
    """Each section's guidance from its template, in the active language."""
    if retro.template is None:
        return {}
    return {section.key: section.guidance for section in retro.template.sections.all()}


def versions(retro: Retrospective) -> list[RetroVersion]:
    return list(retro.versions.select_related("author"))


def get_version(retro: Retrospective, number: int) -> RetroVersion:
    version = retro.versions.select_related("author").filter(number=number).first()
    if version is None:
        raise NotFound(
            _("%(ref)s's retrospective has no version %(number)s.")
            % {"ref": retro.incident.ref, "number": number}
        )
    return version


@dataclass(frozen=True)
class SectionDiff:
    key: str
    title: str
    changed: bool
    lines: list[str]  # a unified diff of the section's text, without the file headers


def _texts(version: RetroVersion) -> dict[str, tuple[str, str]]:
    return {s["key"]: (s["title"], s["body"]) for s in version.snapshot.get("sections", [])}


def diff(retro: Retrospective, old: int, new: int) -> list[SectionDiff]:
    """What changed between two versions, section by section (sections of either)."""
    before, after = _texts(get_version(retro, old)), _texts(get_version(retro, new))
    keys = list(after) + [key for key in before if key not in after]
    found = []
    for key in keys:
        title_before, text_before = before.get(key, ("", ""))
        title_after, text_after = after.get(key, (title_before, ""))
        lines = list(
            difflib.unified_diff(
                text_before.splitlines(), text_after.splitlines(), lineterm="", n=2
            )
        )[2:]
        found.append(SectionDiff(key, title_after, text_before != text_after, lines))
    return found


def reviews(retro: Retrospective) -> list[Review]:
    return list(retro.reviews.select_related("reviewer", "requested_by"))


def publish_blocker(retro: Retrospective) -> str | None:
    """Why the retrospective cannot be published now, or None. When reviewers were asked,
    publishing needs at least one approval of the current text."""
    if retro.status != RetroStatus.IN_REVIEW:
        return _("Only a retrospective in review can be published; send it for review first.")
    if not retro.reviews.filter(requested_at__isnull=False).exists():
        return None
    if retro.reviews.filter(state=ReviewState.APPROVED, version=retro.version).exists():
        return None
    return _("A reviewer must approve the current version before it is published.")


def comments(retro: Retrospective, section_key: str | None = None) -> list[SectionComment]:
    found = retro.comments.select_related("author", "resolved_by")
    if section_key is not None:
        found = found.filter(section_key=section_key)
    return list(found)


def get_comment(retro: Retrospective, comment_id: int) -> SectionComment:
    comment = retro.comments.filter(pk=comment_id).first()
    if comment is None:
        raise NotFound(_("No comment %(id)s on this retrospective.") % {"id": comment_id})
    return comment


def overdue(now: datetime | None = None, *, viewer: Viewer = None) -> list[Retrospective]:
    """Required retrospectives past their due date and not yet published, oldest due first
    (of the incidents `viewer` may see; None: the operator's reminders, all)."""
    return list(
        _documents()
        .filter(visible_q(viewer), required=True, due_at__lt=now or clock.now())
        .exclude(status=RetroStatus.PUBLISHED)
        .order_by("due_at", "pk")
    )


def filter_retrospectives(
    status: str = "", overdue_only: bool = False, *, viewer: Viewer
) -> list[Retrospective]:
    """The retrospectives of incidents `viewer` may see (None: the operator, all)."""
    if overdue_only:
        found = overdue(viewer=viewer)
        return [r for r in found if not status or r.status == status]
    documents = _documents().filter(visible_q(viewer))
    if status:
        if status not in RetroStatus.values:
            raise InvalidInput(
                _("Unknown status %(status)s; use one of %(statuses)s.")
                % {"status": status, "statuses": ", ".join(RetroStatus.values)}
            )
        documents = documents.filter(status=status)
    return list(documents.order_by("-incident__number"))


def published_between(start: datetime, end: datetime, viewer: Viewer) -> list[Retrospective]:
    """Published retrospectives whose publication falls in [start, end), oldest first, of
    the incidents `viewer` may see."""
    return list(
        _documents()
        .filter(
            visible_q(viewer),
            status=RetroStatus.PUBLISHED,
            published_at__gte=start,
            published_at__lt=end,
        )
        .prefetch_related("sections")
        .order_by("published_at", "pk")
    )


def lessons(retro: Retrospective) -> list[RetroSection]:
    """The sections that hold what was learnt (prevention and reflection), if written."""
    return [s for s in retro.sections.all() if s.purpose in LESSONS and s.body.strip()]


def started_statuses() -> list[str]:
    return [str(status) for status in STARTED]


@dataclass(frozen=True)
class SeverityPolicy:
    level: int
    label: str
    required: bool
    due_days: int
    template: str | None


def severity_policies() -> list[SeverityPolicy]:
    policies = {p.severity_id: p for p in RetroPolicy.objects.select_related("template")}
    found = []
    for severity in incidents.severities():
        policy = policies.get(severity.pk)
        found.append(
            SeverityPolicy(
                severity.level,
                severity.label,
                severity.retrospective_required,
                policy.due_days if policy else DEFAULT_DUE_DAYS,
                policy.template.key if policy and policy.template else None,
            )
        )
    return found


def severity_policy(level: int) -> SeverityPolicy:
    for policy in severity_policies():
        if policy.level == level:
            return policy
    raise NotFound(_("No severity %(level)s.") % {"level": level})


def team_templates() -> list[TeamTemplate]:
    return list(TeamTemplate.objects.select_related("team", "template").order_by("team__slug"))


def _team_template(team: Team | None) -> Template | None:
    if team is None:
        return None
    chosen = TeamTemplate.objects.select_related("template").filter(team=team).first()
    return chosen.template if chosen and not chosen.template.retired else None


def default_template_for(incident: Incident) -> Template:
    """The team's default, else the severity's, else the first built-in still in use."""
    chosen = _team_template(incident.team)
    if chosen is None and incident.severity_id is not None:
        policy = RetroPolicy.objects.select_related("template").filter(
            severity_id=incident.severity_id
        )
        found = policy.first()
        if found and found.template and not found.template.retired:
            chosen = found.template
    if chosen is None:
        chosen = (
            Template.objects.filter(key=DEFAULT_TEMPLATE, retired=False).first()
            or Template.objects.filter(retired=False).first()
        )
    if chosen is None:
        raise InvalidInput(_("No retrospective template is in use; an admin must add one."))
    return chosen
