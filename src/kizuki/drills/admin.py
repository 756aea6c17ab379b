"""The Django admin lists drills and test pages to read; scenarios are written through the
API (its checks live in drills.actions), so the admin only reads them too."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kizuki.drills.models import Drill, Scenario, TestPage


class ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Scenario)
class ScenarioAdmin(ReadOnly):
    list_display = ["title", "severity", "team", "created_at"]


@admin.register(Drill)
class DrillAdmin(ReadOnly):
    list_display = ["scenario_title", "incident", "started_by", "started_at"]


@admin.register(TestPage)
class TestPageAdmin(ReadOnly):
    list_display = ["target_type", "target_name", "sent_at", "acknowledged_by", "acknowledged_at"]
