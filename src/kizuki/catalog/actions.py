"""The only write path for the service catalogue."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kizuki.accounts.actions import create_team
from kizuki.accounts.models import Team, User
from kizuki.catalog.models import Service, ServiceChange
from kizuki.core.actions import record_audit
from kizuki.core.errors import Conflict, InvalidInput
from kizuki.oncall.models import EscalationPolicy

NAME_MAX = 200
SLUG_MAX = 50
# Services created without a team (e.g. by a script) belong here until someone moves them.
UNASSIGNED_TEAM = ("unassigned", "Unassigned")


@transaction.atomic
def create_service(
    slug: str, name: str, team: Team, description: str = "", actor: User | None = None
) -> Service:
    service, created = Service.objects.get_or_create(
        slug=slug, defaults={"name": name, "team": team, "description": description}
    )
    if created:
        record_audit(actor, "service.create", service, after={"slug": slug, "team": team.slug})
    return service


def snapshot(service: Service) -> dict[str, Any]:
    return {
        "slug": service.slug,
        "name": service.name,
        "description": service.description,
        "team": service.team.slug,
        "escalation_policy": service.escalation_policy_id,
    }


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise InvalidInput(
            _("A service needs a name of at most %(max)s characters.") % {"max": NAME_MAX}
        )
    return name


def _free_slug(name: str) -> str:
    """A slug from the name (ASCII, so URLs stay plain), numbered if it is taken."""
    base = slugify(name)[: SLUG_MAX - 4] or "service"
    slug, number = base, 1
    while Service.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic
def register_service(
    actor: User | None,
    name: str,
    *,
    slug: str = "",
    team: Team | None = None,
    description: str = "",
    escalation_policy: EscalationPolicy | None = None,
) -> Service:
    """Add a service. Without a slug one is made from the name; a given slug must be free.
    Without a team the service goes to the "unassigned" team."""
    name = _clean_name(name)
    if slug:
        if slugify(slug) != slug or len(slug) > SLUG_MAX:
            raise InvalidInput(
                _("A slug is lower-case letters, digits and hyphens, at most %(max)s long.")
                % {"max": SLUG_MAX}
            )
        if Service.objects.filter(slug=slug).exists():
            raise Conflict(_("A service with slug %(slug)s already exists.") % {"slug": slug})
    service = Service.objects.create(
        slug=slug or _free_slug(name),
        name=name,
        description=description.strip(),
        team=team or create_team(*UNASSIGNED_TEAM, actor=actor),
        escalation_policy=escalation_policy,
    )
    record_audit(actor, "service.create", service, after=snapshot(service))
    return service


SERVICE_FIELDS = {"name", "description", "team", "escalation_policy"}


@transaction.atomic
def update_service(actor: User | None, service: Service, changes: dict[str, Any]) -> Service:
    """Apply a partial edit. Keys: name, description, team (Team), escalation_policy
    (EscalationPolicy or None)."""
    unknown = set(changes) - SERVICE_FIELDS
    if unknown:
        raise InvalidInput(_("%(field)s cannot be edited.") % {"field": ", ".join(sorted(unknown))})
    service = Service.objects.select_for_update().select_related("team").get(pk=service.pk)
    before = snapshot(service)
    for field, value in changes.items():
        if field in {"name", "team"} and value is None:
            raise InvalidInput(_("%(field)s may not be null.") % {"field": field})
        cleaned = value
        if field == "name":
            cleaned = _clean_name(value)
        elif field == "description":
            cleaned = (value or "").strip()
        setattr(service, field, cleaned)
    service.save()
    after = snapshot(service)
    if after != before:
        record_audit(actor, "service.update", service, before=before, after=after)
    return service


def record_change(
    service: Service,
    summary: str,
    *,
    source: str = "",
    happened_at: datetime | None = None,
    details: dict[str, Any] | None = None,
    links: list[dict[str, str]] | None = None,
    now: datetime,
) -> ServiceChange:
    """Note a change a sender reported for the service; without a time it happened `now`.
    The caller owns the transaction (ingestion counts it against the sender's rate limit)."""
    return ServiceChange.objects.create(
        service=service,
        summary=summary,
        source=source,
        happened_at=happened_at or now,
        details=details or {},
        links=links or [],
        received_at=now,
    )
