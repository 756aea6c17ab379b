"""Reads for stakeholder communication: the status page, subscriptions, delivery results."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from kizuki.accounts.models import OrgRole, User
from kizuki.catalog.models import Service
from kizuki.core import clock
from kizuki.core.errors import NotFound
from kizuki.incidents.models import Audience, Incident, Status, StatusUpdate
from kizuki.stakeholders.models import Delivery, Kind, Subscription
from kizuki.stakeholders.wording import plain_status, stakeholder_text

RECENTLY_RESOLVED = timedelta(days=7)
# Confirmed incidents are on the page; a report not yet confirmed only once responders have
# told stakeholders about it.
CONFIRMED = [Status.DECLARED, Status.MITIGATED]
UNCONFIRMED = [Status.REPORTED, Status.ACKNOWLEDGED]
DONE = [Status.RESOLVED, Status.CLOSED]


@dataclass(frozen=True)
class StatusEntry:
    """One incident as the status page shows it: never internal updates."""

    incident: Incident
    status_text: str
    update_text: str
    update_at: datetime | None

    @property
    def services(self) -> list[Service]:
        return list(self.incident.services.all())

    @property
    def is_done(self) -> bool:
        """Resolved or closed: the page shows it under Resolved."""
        return self.incident.status in DONE


@dataclass(frozen=True)
class StatusPage:
    ongoing: list[StatusEntry]
    resolved: list[StatusEntry]
    generated_at: datetime


def _with_stakeholder_updates(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    return (
        incidents.filter(is_drill=False)
        .select_related("severity")
        .prefetch_related(
            "services",
            Prefetch(
                "status_updates",
                StatusUpdate.objects.filter(audience=Audience.STAKEHOLDERS),
                to_attr="stakeholder_updates",
            ),
        )
    )


def _shown_updates(incident: Incident) -> list[StatusUpdate]:
    """The stakeholder updates the page may show, latest first. Once an incident is resolved,
    only what was said since: an earlier update ("recovery in progress") would tell readers
    it is still going on."""
    updates: list[StatusUpdate] = getattr(incident, "stakeholder_updates", [])
    if incident.status in DONE:
        return [update for update in updates if update.status in DONE]
    return updates


def _entry(incident: Incident) -> StatusEntry:
    updates = _shown_updates(incident)
    latest = updates[0] if updates else None
    return StatusEntry(
        incident=incident,
        status_text=plain_status(incident.status),
        update_text=stakeholder_text(latest) if latest else "",
        update_at=latest.created_at if latest else None,
    )


def status_page() -> StatusPage:
    """Ongoing incidents (most severe first) and those resolved in the last seven days
    (latest first). Drills, false alarms and private incidents are left out."""
    now = clock.now()
    told = Q(status__in=UNCONFIRMED) & Q(
        Exists(StatusUpdate.objects.filter(incident=OuterRef("pk"), audience=Audience.STAKEHOLDERS))
    )
    ongoing = _with_stakeholder_updates(
        Incident.objects.filter(Q(status__in=CONFIRMED) | told, private=False)
    ).order_by(F("severity__level").asc(nulls_last=True), "-reported_at", "-number")
    resolved = _with_stakeholder_updates(
        Incident.objects.filter(
            status__in=DONE, resolved_at__gte=now - RECENTLY_RESOLVED, private=False
        )
    ).order_by("-resolved_at", "-number")
    return StatusPage(
        ongoing=[_entry(i) for i in ongoing],
        resolved=[_entry(i) for i in resolved],
        generated_at=now,
    )


def services() -> list[Service]:
    return list(Service.objects.order_by("name", "id"))


def service_by_slug(slug: str) -> Service:
    service = Service.objects.filter(slug=slug).first()
    if service is None:
        raise NotFound(_("No service %(slug)s.") % {"slug": slug})
    return service


def visible_subscriptions(user: User) -> QuerySet[Subscription]:
    """Admins see every subscription; others those they made or that go to their address."""
    found = Subscription.objects.filter(is_active=True).select_related("service", "created_by")
    if user.has_org_role(OrgRole.ADMIN):
        return found.order_by("id")
    mine = Q(created_by=user)
    if user.email:
        mine |= Q(kind=Kind.EMAIL, address=user.email.lower())
    return found.filter(mine).order_by("id")


def email_subscriptions(address: str) -> dict[int | None, Subscription]:
    """An address's active e-mail subscriptions by service id (None: every incident)."""
    if not address:
        return {}
    found = Subscription.objects.filter(kind=Kind.EMAIL, address=address.lower(), is_active=True)
    return {subscription.service_id: subscription for subscription in found}


def get_subscription(subscription_id: int) -> Subscription:
    found = Subscription.objects.select_related("service").filter(pk=subscription_id).first()
    if found is None:
        raise NotFound(_("No subscription %(id)s.") % {"id": subscription_id})
    return found


def deliveries(incident: Incident) -> list[Delivery]:
    return list(
        Delivery.objects.filter(status_update__incident=incident)
        .select_related("subscription__service", "status_update")
        .order_by("-attempted_at", "-id")
    )
