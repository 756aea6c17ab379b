"""Admin views to look up an incident's channel and its sync state (last error, retries).
Changes go through the worker, which keeps them in step with Slack; here they are read-only."""

from django.contrib import admin

from kizuki.chat.models import IncidentChannel, SlackUserLink


@admin.register(IncidentChannel)
class IncidentChannelAdmin(admin.ModelAdmin[IncidentChannel]):
    list_display = ["incident", "name", "channel_id", "failures", "last_error", "archived_at"]
    list_filter = ["archived_at"]
    search_fields = ["name", "channel_id", "incident__title"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(SlackUserLink)
class SlackUserLinkAdmin(admin.ModelAdmin[SlackUserLink]):
    list_display = ["user", "slack_user_id", "email", "linked_at"]
    search_fields = ["user__username", "slack_user_id", "email"]
