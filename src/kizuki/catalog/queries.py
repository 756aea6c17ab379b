from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kizuki.catalog.models import Service, ServiceChange
from kizuki.core.errors import InvalidInput, NotFound
from kizuki.oncall.models import EscalationPolicy

PAGE_SIZE_MAX = 200
# How far back an incident looks for "what changed before this broke".
CHANGES_BEFORE_HOURS = 24
CHANGES_SHOWN_MAX = 50


def services_by_slug(slugs: list[str]) -> list[Service]:
    services = list(Service.objects.filter(slug__in=slugs))
    missing = sorted(set(slugs) - {service.slug for service in services})
    if missing:
        raise InvalidInput(_("Unknown service: %(slugs)s.") % {"slugs": ", ".join(missing)})
    return services


def all_services() -> list[Service]:
    return list(Service.objects.select_related("team"))


def services() -> QuerySet[Service]:
    return Service.objects.select_related("team", "escalation_policy").order_by("name", "id")


def service_choices() -> QuerySet[Service]:
    """Every service, for another app's form to choose from."""
    return Service.objects.all()


def get_service(service_id: int) -> Service:
    service = services().filter(pk=service_id).first()
    if service is None:
        raise NotFound(_("No service %(id)s.") % {"id": service_id})
    return service


def escalation_policy(ref: int | str) -> EscalationPolicy:
    """A policy by id (a number) or by name (a name made of digits wins over an id)."""
    found = None
    if isinstance(ref, int) and not isinstance(ref, bool):
        found = EscalationPolicy.objects.filter(pk=ref).first()
    else:
        text = str(ref).strip()
        found = EscalationPolicy.objects.filter(name=text).first()
        if found is None and text.isdecimal() and len(text) < 20:  # an id fits 19 digits
            found = EscalationPolicy.objects.filter(pk=int(text)).first()
    if found is None:
        raise InvalidInput(_("Unknown escalation policy %(policy)s.") % {"policy": ref})
    return found


def changes(service: Service) -> QuerySet[ServiceChange]:
    """A service's reported changes, newest first."""
    return ServiceChange.objects.filter(service=service).order_by("-happened_at", "-id")


def changes_before(services: Iterable[Service], start: datetime) -> list[ServiceChange]:
    """Changes to any of `services` in the CHANGES_BEFORE_HOURS up to `start`, newest first."""
    since = start - timedelta(hours=CHANGES_BEFORE_HOURS)
    found = ServiceChange.objects.filter(
        service__in=list(services), happened_at__gte=since, happened_at__lte=start
    )
    return list(found.select_related("service").order_by("-happened_at", "-id")[:CHANGES_SHOWN_MAX])
