from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kizuki.core.audit_names import action_name
from kizuki.core.models import AuditEntry


class ActionFilter(admin.SimpleListFilter):
    """Filter by action, listed by their readable names."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        codes = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
        return sorted(((code, action_name(code)) for code in codes), key=lambda pair: pair[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        return queryset.filter(action=value) if value else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    list_display = ["at", "actor", "readable_action", "object_type", "object_id"]
    list_filter = [ActionFilter, "object_type"]
    readonly_fields = [
        "actor",
        "at",
        "readable_action",
        "action",
        "object_type",
        "object_id",
        "before",
        "after",
    ]

    @admin.display(description=_("action"), ordering="action")
    def readable_action(self, entry: AuditEntry) -> str:
        return action_name(entry.action)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
