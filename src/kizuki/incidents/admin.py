from django.contrib import admin
from django.http import HttpRequest

from kizuki.incidents.models import CauseCategory, ImpactScale, Incident, RoleType, Severity
from kizuki.incidents.paging_models import PagingSettings


@admin.register(Severity)
class SeverityAdmin(admin.ModelAdmin[Severity]):
    list_display = [
        "level",
        "name_ja",
        "name_en",
        "retrospective_required",
        "follow_up_due_days",
        "status_update_interval_minutes",
        "page_all_key_people",
        "min_impact_level",
    ]
    list_editable = [
        "retrospective_required",
        "follow_up_due_days",
        "status_update_interval_minutes",
        "page_all_key_people",
        "min_impact_level",
    ]


@admin.register(ImpactScale)
class ImpactScaleAdmin(admin.ModelAdmin[ImpactScale]):
    """Admins rename the steps for their business (sites, stores, merchants, users)."""

    list_display = ["axis", "value", "label_en", "label_ja"]
    list_editable = ["label_en", "label_ja"]
    # The values are the scoring's (scope 1/2/3, effect 1/3/5): only the labels change.
    readonly_fields = ["axis", "value"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ImpactScale | None = None) -> bool:
        return False


@admin.register(RoleType)
class RoleTypeAdmin(admin.ModelAdmin[RoleType]):
    list_display = ["slug", "name_ja", "name_en", "order", "allow_several"]
    list_editable = ["order", "allow_several"]


@admin.register(CauseCategory)
class CauseCategoryAdmin(admin.ModelAdmin[CauseCategory]):
    """Retire a category (untick "offered") rather than delete it: incidents keep theirs."""

    list_display = ["slug", "name_ja", "name_en", "position", "is_active"]
    list_editable = ["position", "is_active"]


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin[Incident]):
    """Read-only here: incidents change through their lifecycle, from the app or the API."""

    list_display = ["number", "title", "status", "severity", "team", "is_drill", "reported_at"]
    list_filter = ["status", "severity", "cause_category", "is_drill", "team"]
    search_fields = ["title", "description"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(PagingSettings)
class PagingSettingsAdmin(admin.ModelAdmin[PagingSettings]):
    """One row: who a report without a service pages, and who SEV1/SEV2 pages."""

    filter_horizontal = ["key_people", "key_teams"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not PagingSettings.objects.exists()

    def has_delete_permission(
        self, request: HttpRequest, obj: PagingSettings | None = None
    ) -> bool:
        return False
