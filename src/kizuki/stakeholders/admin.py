from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kizuki.notify.masking import masked
from kizuki.stakeholders.models import Delivery, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin[Subscription]):
    """Read-only here: subscriptions change through the status page or the API (audited)."""

    list_display = [
        "kind",
        "shown_address",
        "service",
        "language",
        "is_active",
        "confirmed_at",
        "created_at",
    ]
    list_filter = ["kind", "is_active", "service"]
    search_fields = ["address"]
    # The read-only detail page shows the masked address in place of the stored one.
    exclude = ["address"]
    readonly_fields = ["shown_address"]

    @admin.display(description=_("address"))
    def shown_address(self, subscription: Subscription) -> str:
        """Apprise URLs masked: their tokens are not for whoever can open the admin."""
        return masked(subscription.address)

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
