"""Django admin: the risks, for looking things up (they change through the pages). The impact
scales are renamed in the incidents' admin."""

from django.contrib import admin
from django.http import HttpRequest

from kizuki.risks.models import Risk


@admin.register(Risk)
class RiskAdmin(admin.ModelAdmin[Risk]):
    list_display = ["id", "title", "status", "priority", "next_visit", "owner"]
    list_filter = ["status"]
    search_fields = ["title", "summary"]

    def has_change_permission(self, request: HttpRequest, obj: Risk | None = None) -> bool:
        return False  # every change goes through the actions, with its history

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
