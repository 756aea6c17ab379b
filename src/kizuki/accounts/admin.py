from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from kizuki.accounts.models import ApiToken, Membership, Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ["username", "email", "first_name", "org_role", "is_active"]
    list_filter = ["org_role", "is_active"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Kizuki", {"fields": ("org_role", "language", "time_zone")}),
    )


class MembershipInline(admin.TabularInline[Membership, Team]):
    model = Membership
    extra = 1


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "digest", "created_at", "last_used_at"]
