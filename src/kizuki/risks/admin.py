"""Django admin: the impact scales admins rename for their business (sites, stores,
merchants, users), and the risks for looking things up (they change through the pages)."""

from django.contrib import admin
from django.http import HttpRequest

from kizuki.risks.models import ImpactScale, Risk


@admin.register(ImpactScale)
class ImpactScaleAdmin(admin.ModelAdmin[ImpactScale]):
    list_display = ["axis", "value", "label_en", "label_ja"]
    list_editable = ["label_en", "label_ja"]
    # The values are the scoring's (scope 1/2/3, effect 1/3/5): only the labels change.
    readonly_fields = ["axis", "value"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ImpactScale | None = None) -> bool:
        return False


@admin.register(Risk)
class RiskAdmin(admin.ModelAdmin[Risk]):
    list_display = ["id", "title", "status", "priority", "next_visit", "owner"]
    list_filter = ["status"]
    search_fields = ["title", "summary"]

    def has_change_permission(self, request: HttpRequest, obj: Risk | None = None) -> bool:
        return False  # every change goes through the actions, with its history

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
