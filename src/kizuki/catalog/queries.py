from django.utils.translation import gettext as _

from kizuki.catalog.models import Service
from kizuki.core.errors import InvalidInput


def services_by_slug(slugs: list[str]) -> list[Service]:
    services = list(Service.objects.filter(slug__in=slugs))
    missing = sorted(set(slugs) - {service.slug for service in services})
    if missing:
        raise InvalidInput(_("Unknown service: %(slugs)s.") % {"slugs": ", ".join(missing)})
    return services


def all_services() -> list[Service]:
    return list(Service.objects.select_related("team"))
