"""REST endpoints for alerts. Ingestion takes no login: the secret token in the URL is the
credential. The rest are thin wrappers that authorise, call an action and serialise."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from prometheus_client import Counter

from kizuki.alerts import access, actions, links, queries, setup_actions
from kizuki.alerts.access import Need
from kizuki.alerts.parsers import InvalidEvent
from kizuki.alerts.schemas import (
    AlertGroupDetailOut,
    AlertGroupOut,
    AlertGroupPage,
    ChangeEventOut,
    EventOut,
    IngestErrorOut,
    IngestOut,
    IntegrationCreatedOut,
    IntegrationIn,
    IntegrationOut,
    IntegrationPatch,
    InvalidEventOut,
    RoutingRuleIn,
    RoutingRuleOut,
    RoutingRulePatch,
    SendTestAlertIn,
    SentTestAlertOut,
    SilenceIn,
    group_detail_out,
    group_out,
    integration_out,
    rule_out,
)
from kizuki.catalog.access import access_service
from kizuki.catalog.queries import escalation_policy
from kizuki.core import metrics, safe_json
from kizuki.core.errors import InvalidInput
from kizuki.core.paging import page_of

router = Router(tags=["alerts"])
# Alerts accepted by this process's webhooks (core.metrics adds every web process's up).
ALERTS_INGESTED = Counter(
    "kizuki_alerts_ingested",
    "Alerts accepted by the webhooks, per integration kind.",
    ["kind"],
    registry=None,
)
metrics.add_process_series("kizuki_alerts_ingested", ALERTS_INGESTED)

ANY_JSON = {
    "requestBody": {
        "required": False,
        "content": {"application/json": {"schema": {"type": "object"}}},
        "description": "The sender's own payload (Alertmanager v4, Grafana, Events API v2,"
        " the generic webhook's fields, or anything for a heartbeat).",
    }
}
EVENTS = "events"
INGEST_ERRORS: dict[int, Any] = {404: IngestErrorOut, 429: IngestErrorOut}


def _payload(request: HttpRequest, kind: str) -> Any:
    """The body as JSON. NUL characters are removed (PostgreSQL cannot store them, and a
    sender would retry the same payload forever); anything else unstorable is refused."""
    if not request.body:
        if kind == "heartbeat":
            return {}
        raise InvalidInput(_("The body is empty; send the alert as JSON."))
    try:
        return safe_json.loads(request.body, strip_nul=True)
    except InvalidInput:
        if kind == "heartbeat":
            return {}
        raise


def _refused(pagerduty: bool, call: Callable[[], Any]) -> Any:
    """Run an ingestion; an invalid event becomes PagerDuty's 400 shape for Events API v2
    senders (a 429 carries Retry-After through the API's error mapping)."""
    try:
        return call()
    except InvalidInput as error:
        if not pagerduty:
            raise
        problems = error.errors if isinstance(error, InvalidEvent) else [error.detail]
        answer = InvalidEventOut(errors=problems, detail=error.detail, code=error.code)
        return JsonResponse(answer.model_dump(), status=400)


def _accepted(answer: Schema) -> JsonResponse:
    """A 202 with the answer as built: the schema was checked when it was made, and ninja
    checking it once more cost a tenth of an intake request."""
    return JsonResponse(answer.model_dump(), status=202)


def _event(request: HttpRequest, token: str) -> JsonResponse:
    integration = queries.integration_for_token(token, EVENTS)
    result = actions.ingest(integration, _payload(request, EVENTS))
    ALERTS_INGESTED.labels(EVENTS).inc(result.alerts)
    return _accepted(
        EventOut(
            dedup_key=result.dedup_keys[0],
            alerts=result.alerts,
            groups=result.groups,
            dedup_keys=result.dedup_keys,
        )
    )


@router.post(
    "/integrations/{token}/{kind}",
    auth=None,
    url_name="alert-ingest",
    response={202: IngestOut | EventOut, 400: IngestErrorOut | InvalidEventOut, **INGEST_ERRORS},
    openapi_extra=ANY_JSON,
    summary="Receive alerts",
    description="kind is alertmanager, grafana, events, webhook or heartbeat and must match"
    " the integration. 404: unknown or inactive token, or another kind; 400: a payload that"
    " cannot be read (nothing is stored); 429: over the integration's alerts per minute"
    " (Retry-After says when to try again). The events kind answers as PagerDuty's Events"
    " API v2 does.",
)
def receive(request: HttpRequest, token: str, kind: str) -> Any:
    if kind == EVENTS:
        return _refused(True, lambda: _event(request, token))

    def ingest() -> JsonResponse:
        integration = queries.integration_for_token(token, kind)
        result = actions.ingest(integration, _payload(request, kind))
        ALERTS_INGESTED.labels(kind).inc(result.alerts)
        return _accepted(
            IngestOut(alerts=result.alerts, groups=result.groups, dedup_keys=result.dedup_keys)
        )

    return _refused(False, ingest)


@router.post(
    "/integrations/{token}/events/v2/enqueue",
    auth=None,
    url_name="events-enqueue",
    response={202: EventOut, 400: InvalidEventOut, **INGEST_ERRORS},
    openapi_extra=ANY_JSON,
    summary="Receive an Events API v2 event",
    description="PagerDuty's Events API v2 under an events integration's URL: give PagerDuty"
    " clients the integration URL as their base URL. routing_key is not needed (the token in"
    " the URL is the credential). 400: an invalid event, in PagerDuty's shape; 404: unknown"
    " or inactive token, or not an events integration; 429: over the integration's limit.",
)
def enqueue(request: HttpRequest, token: str) -> HttpResponse:
    answer: HttpResponse = _refused(True, lambda: _event(request, token))
    return answer


@router.post(
    "/integrations/{token}/events/v2/change/enqueue",
    auth=None,
    url_name="events-change-enqueue",
    response={202: ChangeEventOut, 400: InvalidEventOut, **INGEST_ERRORS},
    openapi_extra=ANY_JSON,
    summary="Receive an Events API v2 change event",
    description="A change (deploy, config push) on the integration's service, shown on its"
    " incidents. 400: an invalid event, in PagerDuty's shape; 404: unknown or inactive"
    " token, or not an events integration; 429: over the integration's limit.",
)
def enqueue_change(request: HttpRequest, token: str) -> HttpResponse | Status[ChangeEventOut]:
    def ingest() -> Status[ChangeEventOut]:
        integration = queries.integration_for_token(token, EVENTS)
        actions.ingest_change(integration, _payload(request, EVENTS))
        return Status(202, ChangeEventOut())

    answer: HttpResponse | Status[ChangeEventOut] = _refused(True, ingest)
    return answer


class GroupQuery(Schema):
    status: str = ""
    service: str = ""
    page: int = 1
    page_size: int = 50


@router.get("/alert-groups", response=AlertGroupPage)
def list_groups(request: HttpRequest, filters: Query[GroupQuery]) -> AlertGroupPage:
    access.can_read(request.user)
    found = queries.filter_groups(queries.GroupFilter(filters.status, filters.service))
    part = page_of(found, filters.page, filters.page_size, queries.PAGE_SIZE_MAX)
    return AlertGroupPage(**part.fields([group_out(g) for g in part.items]))


@router.get("/alert-groups/{group_id}", response=AlertGroupDetailOut)
def show_group(request: HttpRequest, group_id: int) -> AlertGroupDetailOut:
    _user, group = access.access_alert_group(request.user, group_id)
    return group_detail_out(
        group,
        queries.alerts(group),
        queries.escalation_history(group),
        queries.notifications(group),
    )


@router.post("/alert-groups/{group_id}/acknowledge", response=AlertGroupOut)
def acknowledge(request: HttpRequest, group_id: int) -> AlertGroupOut:
    user, group = access.access_alert_group(request.user, group_id, Need.ACKNOWLEDGE)
    actions.acknowledge_group(user, group)
    return group_out(queries.get_group(group_id))


@router.post("/alert-groups/{group_id}/resolve", response=AlertGroupOut)
def resolve(request: HttpRequest, group_id: int) -> AlertGroupOut:
    user, group = access.access_alert_group(request.user, group_id, Need.RESPOND)
    actions.resolve_group(user, group)
    return group_out(queries.get_group(group_id))


@router.post("/alert-groups/{group_id}/silence", response=AlertGroupOut)
def silence(request: HttpRequest, group_id: int, body: SilenceIn) -> AlertGroupOut:
    user, group = access.access_alert_group(request.user, group_id, Need.RESPOND)
    actions.silence_group(user, group, body.minutes)
    return group_out(queries.get_group(group_id))


@router.post(
    "/services/{service_id}/integrations",
    response={201: IntegrationCreatedOut},
    tags=["services"],
)
def create_integration(
    request: HttpRequest, service_id: int, body: IntegrationIn
) -> Status[IntegrationCreatedOut]:
    user, service = access.access_service_setup(request.user, service_id)
    integration, token = setup_actions.create_integration(
        user,
        service,
        body.kind,
        body.name,
        grouping_key=body.grouping_key,
        rate_limit_per_minute=body.rate_limit_per_minute,
        heartbeat_minutes=body.heartbeat_minutes,
    )
    shown = integration_out(integration).model_dump()
    return Status(201, IntegrationCreatedOut(**shown, url=links.ingest_url(token, body.kind)))


@router.get("/services/{service_id}/integrations", response=list[IntegrationOut], tags=["services"])
def list_integrations(request: HttpRequest, service_id: int) -> list[IntegrationOut]:
    _user, service = access_service(request.user, service_id)
    return [integration_out(i) for i in queries.integrations(service)]


@router.post(
    "/services/{service_id}/routing-rules", response={201: RoutingRuleOut}, tags=["services"]
)
def create_rule(
    request: HttpRequest, service_id: int, body: RoutingRuleIn
) -> Status[RoutingRuleOut]:
    user, service = access.access_service_setup(request.user, service_id)
    rule = setup_actions.create_routing_rule(
        user,
        service,
        name=body.name,
        match_labels=body.match_labels,
        escalation_policy=escalation_policy(body.escalation_policy)
        if body.escalation_policy is not None and body.escalation_policy != ""
        else None,
        declare_severity=body.declare_severity,
        position=body.position,
    )
    return Status(201, rule_out(rule))


@router.get(
    "/services/{service_id}/routing-rules", response=list[RoutingRuleOut], tags=["services"]
)
def list_rules(request: HttpRequest, service_id: int) -> list[RoutingRuleOut]:
    _user, service = access_service(request.user, service_id)
    return [rule_out(r) for r in queries.routing_rules(service)]


INTEGRATION = "/services/{service_id}/integrations/{integration_id}"
RULE = "/services/{service_id}/routing-rules/{rule_id}"


@router.patch(INTEGRATION, response=IntegrationOut, tags=["services"])
def edit_integration(
    request: HttpRequest, service_id: int, integration_id: int, body: IntegrationPatch
) -> IntegrationOut:
    user, integration = access.access_integration(request.user, service_id, integration_id)
    if body.is_active is not None:
        integration = setup_actions.set_integration_active(user, integration, body.is_active)
    return integration_out(integration)


@router.post(
    INTEGRATION + "/rotate-token",
    response=IntegrationCreatedOut,
    tags=["services"],
    description="A new URL token; the old URL stops working at once. The new url is shown"
    " only in this response.",
)
def rotate_token(
    request: HttpRequest, service_id: int, integration_id: int
) -> IntegrationCreatedOut:
    user, integration = access.access_integration(request.user, service_id, integration_id)
    integration, token = setup_actions.rotate_integration_token(user, integration)
    shown = integration_out(integration).model_dump()
    return IntegrationCreatedOut(**shown, url=links.ingest_url(token, integration.kind))


@router.post(
    INTEGRATION + "/test-alert",
    response={201: SentTestAlertOut},
    tags=["services"],
    description="Send a marked test alert through the integration as its sender would: it is"
    " routed and pages like a real one. 409: the integration is inactive; 400: a heartbeat"
    " integration, or labels the sender's format refuses.",
)
def send_test_alert(
    request: HttpRequest, service_id: int, integration_id: int, body: SendTestAlertIn
) -> Status[SentTestAlertOut]:
    user, integration = access.access_integration(request.user, service_id, integration_id)
    sent = actions.send_test_alert(user, integration, body.labels)
    return Status(
        201, SentTestAlertOut(group=group_out(queries.get_group(sent.group.pk)), opened=sent.opened)
    )


@router.patch(RULE, response=RoutingRuleOut, tags=["services"])
def edit_rule(
    request: HttpRequest, service_id: int, rule_id: int, body: RoutingRulePatch
) -> RoutingRuleOut:
    user, rule = access.access_routing_rule(request.user, service_id, rule_id)
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    if "escalation_policy" in changes:
        ref = changes["escalation_policy"]
        changes["escalation_policy"] = escalation_policy(ref) if ref not in (None, "") else None
    return rule_out(setup_actions.update_routing_rule(user, rule, changes))


@router.delete(RULE, response={204: None}, tags=["services"])
def delete_rule(request: HttpRequest, service_id: int, rule_id: int) -> Status[None]:
    user, rule = access.access_routing_rule(request.user, service_id, rule_id)
    setup_actions.delete_routing_rule(user, rule)
    return Status(204, None)
