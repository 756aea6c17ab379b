"""Reads: formations and the formation a severity picks, an incident's positions with who holds
them, checklist templates and an incident's checklists."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.core.errors import NotFound
from kizuki.formations.models import (
    ChecklistTemplate,
    ChecklistTemplateItem,
    Formation,
    IncidentChecklist,
    IncidentChecklistItem,
    IncidentPosition,
    Position,
    SeverityFormation,
)
from kizuki.incidents.models import FINISHED_STATUSES, Incident, RoleAssignment, Severity

ID_DIGITS_MAX = 18  # any larger id does not fit the database's integer
SLUG_MAX = 50


def formations() -> list[Formation]:
    found = Formation.objects.prefetch_related(
        Prefetch("positions", queryset=Position.objects.select_related("role"))
    )
    return list(found)


def severity_formations() -> dict[int, Formation]:
    """Severity level -> the formation it picks explicitly."""
    return {
        link.severity.level: link.formation
        for link in SeverityFormation.objects.select_related("severity", "formation")
    }


def formation_for(severity: Severity | None) -> Formation | None:
    """The formation a severity picks: its own mapping, else the default formation."""
    if severity is not None:
        link = SeverityFormation.objects.filter(severity=severity).select_related("formation")
        found = link.first()
        if found is not None:
            return found.formation
    return Formation.objects.filter(is_default=True).order_by("slug").first()


def positions_of_formation(formation: Formation) -> list[Position]:
    return list(Position.objects.filter(formation=formation).select_related("role"))


@dataclass(frozen=True)
class Filled:
    """One position on an incident and who holds it now (empty: unfilled)."""

    position: IncidentPosition
    holders: list[User]

    @property
    def single(self) -> bool:
        """Only one person may hold it (its role is handed over, like the commander)."""
        return not self.position.role.allow_several


def positions_of(incident: Incident) -> list[Filled]:
    """The incident's positions in order, each with its current holders (two queries)."""
    positions = list(IncidentPosition.objects.filter(incident=incident).select_related("role"))
    holders: dict[int, list[User]] = {}
    active = RoleAssignment.objects.filter(incident=incident, released_at__isnull=True)
    for assignment in active.select_related("user").order_by("assigned_at", "id"):
        holders.setdefault(assignment.role_id, []).append(assignment.user)
    return [Filled(position, holders.get(position.role_id, [])) for position in positions]


def get_position(incident: Incident, position_id: int) -> Filled:
    for filled in positions_of(incident):
        if filled.position.pk == position_id:
            return filled
    raise NotFound(_("%(ref)s has no position %(id)s.") % {"ref": incident.ref, "id": position_id})


def templates() -> QuerySet[ChecklistTemplate]:
    return ChecklistTemplate.objects.select_related("role").prefetch_related(
        "severities", Prefetch("items", queryset=ChecklistTemplateItem.objects.order_by("order"))
    )


def templates_for(severity: Severity | None) -> list[ChecklistTemplate]:
    """The templates attached on declaration at this severity (those naming no severity apply
    to every one)."""
    found = ChecklistTemplate.objects.filter(attach_on_declare=True)
    if severity is None:
        found = found.filter(severities__isnull=True)
    else:
        found = found.filter(Q(severities__isnull=True) | Q(severities=severity))
    return list(found.select_related("role").distinct().order_by("order", "slug"))


def get_template(ref: str | int) -> ChecklistTemplate:
    """A checklist template by id or slug."""
    found = templates()
    text = str(ref)
    if text.isdigit() and len(text) <= ID_DIGITS_MAX:
        template = found.filter(pk=int(text)).first()
    else:
        template = found.filter(slug=text[:SLUG_MAX]).first() if len(text) <= SLUG_MAX else None
    if template is None:
        raise NotFound(_("No checklist template %(ref)s.") % {"ref": ref})
    return template


def checklists_of(incident: Incident) -> list[IncidentChecklist]:
    return list(
        IncidentChecklist.objects.filter(incident=incident)
        .select_related("role", "posted_by")
        .prefetch_related(
            Prefetch("items", queryset=IncidentChecklistItem.objects.select_related("ticked_by"))
        )
    )


def has_checklist(incident: Incident, template: ChecklistTemplate) -> bool:
    return IncidentChecklist.objects.filter(incident=incident, template=template).exists()


def get_checklist(incident: Incident, checklist_id: int) -> IncidentChecklist:
    for checklist in checklists_of(incident):
        if checklist.pk == checklist_id:
            return checklist
    raise NotFound(
        _("%(ref)s has no checklist %(id)s.") % {"ref": incident.ref, "id": checklist_id}
    )


def get_item(incident: Incident, checklist_id: int, item_id: int) -> IncidentChecklistItem:
    checklist = get_checklist(incident, checklist_id)
    for item in checklist.items.all():
        if item.pk == item_id:
            return item
    raise NotFound(
        _("The checklist %(id)s has no item %(item)s.") % {"id": checklist_id, "item": item_id}
    )


def is_finished(incident: Incident) -> bool:
    return incident.status in FINISHED_STATUSES


def people() -> QuerySet[User]:
    """Whom a position may be given to: active people, by username."""
    return User.objects.filter(is_active=True).order_by("username")
