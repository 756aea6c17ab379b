"""The only write path for the service catalogue."""

from django.db import transaction

from kizuki.accounts.models import Team, User
from kizuki.catalog.models import Service
from kizuki.core.actions import record_audit


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
