from django.contrib import admin

from kizuki.stakeholders.models import Delivery, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin[Subscription]):
    """Read-only here: subscriptions change through the status page or the API (audited)."""

    list_display = [
        "kind",
        "address",
        "service",
        "language",
        "is_active",
        "confirmed_at",
        "created_at",
    ]
    list_filter = ["kind", "is_active", "service"]
    search_fields = ["address"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    """Each stakeholder update to each subscriber: sent, or failed and why."""

    list_display = [
        "attempted_at",
        "status_update",
        "subscription",
        "outcome",
        "attempts",
        "next_attempt_at",
        "error",
    ]
    list_filter = ["outcome"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
