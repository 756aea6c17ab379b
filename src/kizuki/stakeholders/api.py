"""REST endpoints for the status page, stakeholder subscriptions and their delivery results."""

from django.http import HttpRequest
from ninja import Query, Router, Status

from kizuki.accounts.api_auth import API_AUTH
from kizuki.core.paging import PageQuery, page_of
from kizuki.stakeholders import access, actions, queries
from kizuki.stakeholders.schemas import (
    DeliveryOut,
    StatusOut,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionPage,
    delivery_out,
    status_out,
    subscription_out,
)

router = Router(tags=["stakeholders"])
PAGE_SIZE_MAX = 200


class PublicStatusPage:
    """Lets anonymous requests through when KIZUKI_STATUS_PAGE_PUBLIC is set (tried last, so a
    token or session still identifies its user)."""

    def __call__(self, request: HttpRequest) -> bool:  # noqa: ARG002 - ninja's auth signature
        return access.is_public()


@router.get("/status", response=StatusOut, auth=[*API_AUTH, PublicStatusPage()])
def status(request: HttpRequest) -> StatusOut:
    access.can_read_status(request.user)
    return status_out(queries.status_page())


@router.get("/subscriptions", response=SubscriptionPage)
def list_subscriptions(request: HttpRequest, paging: Query[PageQuery]) -> SubscriptionPage:
    user = access.can_list_subscriptions(request.user)
    found = queries.visible_subscriptions(user)
    part = page_of(found, paging.page, paging.page_size, PAGE_SIZE_MAX)
    return SubscriptionPage(**part.fields([subscription_out(s) for s in part.items]))


@router.post("/subscriptions", response={200: SubscriptionOut, 201: SubscriptionOut})
def subscribe(request: HttpRequest, body: SubscriptionIn) -> Status[SubscriptionOut]:
    """Subscribe; 201 when new (or active again), 200 when it already was."""
    user = access.can_subscribe(request.user, body.kind)
    service = queries.service_by_slug(body.service) if body.service else None
    subscription, created = actions.subscribe(
        user, body.kind, body.address, service, language=body.language
    )
    return Status(201 if created else 200, subscription_out(subscription))


@router.delete("/subscriptions/{subscription_id}", response={204: None})
def unsubscribe(request: HttpRequest, subscription_id: int) -> Status[None]:
    user, subscription = access.access_subscription(request.user, subscription_id)
    actions.unsubscribe(user, subscription)
    return Status(204, None)


@router.get("/incidents/{ref}/stakeholder-deliveries", response=list[DeliveryOut])
def deliveries(request: HttpRequest, ref: str) -> list[DeliveryOut]:
    """Each stakeholder update's delivery to each subscriber: sent, or failed and why."""
    _user, incident = access.access_deliveries(request.user, ref)
    return [delivery_out(d) for d in queries.deliveries(incident)]
