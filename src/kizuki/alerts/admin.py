"""Admin views for looking things up. Creating integrations goes through the service page or
the API, which show the URL token once; here the token cannot be seen or changed."""

from django.contrib import admin

from kizuki.alerts.models import Alert, AlertGroup, Integration, RoutingRule


@admin.register(Integration)
class IntegrationAdmin(admin.ModelAdmin[Integration]):
    list_display = ["name", "service", "kind", "token_prefix", "is_active", "last_heartbeat_at"]
    list_filter = ["kind", "is_active"]
    readonly_fields = ["token_prefix", "token_digest", "last_heartbeat_at", "created_at"]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin[RoutingRule]):
    list_display = ["service", "position", "name", "escalation_policy", "declare_severity"]
    list_filter = ["service"]


ALERT_FIELDS = ("dedup_key", "status", "title", "severity", "received_count", "last_received_at")


class AlertInline(admin.TabularInline[Alert, AlertGroup]):
    model = Alert
    extra = 0
    can_delete = False
    fields = ALERT_FIELDS
    readonly_fields = ALERT_FIELDS


@admin.register(AlertGroup)
class AlertGroupAdmin(admin.ModelAdmin[AlertGroup]):
    """Read-only: acknowledging and resolving go through the actions (paging, audit log)."""

    list_display = ["pk", "title", "service", "status", "created_at"]
    list_filter = ["status", "service"]
    inlines = [AlertInline]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
