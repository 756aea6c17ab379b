"""Admins edit formations (their positions and the severities that pick them) and checklist
templates (their items) in the Django admin; /settings/formations/ lists them for everyone."""

from django.contrib import admin

from kizuki.formations.models import (
    ChecklistTemplate,
    ChecklistTemplateItem,
    Formation,
    Position,
    SeverityFormation,
)


class PositionInline(admin.TabularInline[Position, Formation]):
    model = Position
    extra = 0
    fields = ["order", "role", "name_ja", "name_en", "description_ja", "description_en"]


class SeverityInline(admin.TabularInline[SeverityFormation, Formation]):
    model = SeverityFormation
    extra = 0


@admin.register(Formation)
class FormationAdmin(admin.ModelAdmin[Formation]):
    list_display = ["slug", "name_ja", "name_en", "is_default"]
    inlines = [PositionInline, SeverityInline]


class ItemInline(admin.TabularInline[ChecklistTemplateItem, ChecklistTemplate]):
    model = ChecklistTemplateItem
    extra = 1
    fields = ["order", "text_ja", "text_en"]


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin[ChecklistTemplate]):
    list_display = ["slug", "name_ja", "name_en", "role", "order", "attach_on_declare"]
    filter_horizontal = ["severities"]
    inlines = [ItemInline]
