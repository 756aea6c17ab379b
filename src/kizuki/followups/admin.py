"""Django admin: the quality rules admins add (a pattern and its explanation in both
languages), the follow-ups, and the trackers (whose token is entered write-only and stored
encrypted)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kizuki.core import clock
from kizuki.followups.models import FollowUp, Milestone, QualityRule, TrackerConfig
from kizuki.followups.rule_actions import BUILT_IN_CODES, check_pattern


class QualityRuleForm(forms.ModelForm[QualityRule]):
    class Meta:
        model = QualityRule
        fields = ["code", "pattern", "language", "message_en", "message_ja", "enabled"]

    def clean_pattern(self) -> str:
        try:
            return check_pattern(str(self.cleaned_data.get("pattern") or ""))
        except Exception as error:
            raise forms.ValidationError(getattr(error, "detail", str(error))) from error

    def clean_code(self) -> str:
        code = str(self.cleaned_data.get("code") or "")
        if code in BUILT_IN_CODES:
            raise forms.ValidationError(_("This is a built-in check's code."))
        return code


@admin.register(QualityRule)
class QualityRuleAdmin(admin.ModelAdmin[QualityRule]):
    form = QualityRuleForm
    list_display = ["code", "language", "pattern", "enabled", "updated_at"]
    list_filter = ["enabled", "language"]
    search_fields = ["code", "pattern", "message_en", "message_ja"]

    def save_model(self, request: HttpRequest, obj: QualityRule, form: Any, change: bool) -> None:
        obj.updated_at = clock.now()
        super().save_model(request, obj, form, change)


class MilestoneInline(admin.TabularInline[Milestone, FollowUp]):
    model = Milestone
    extra = 0


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin[FollowUp]):
    list_display = ["id", "title", "incident", "owner", "team", "due_date", "status"]
    list_filter = ["status", "kind", "category", "phase", "team"]
    search_fields = ["title", "description"]
    raw_id_fields = ["incident", "retrospective", "owner", "created_by"]
    inlines = [MilestoneInline]


class TrackerForm(forms.ModelForm[TrackerConfig]):
    base_url = forms.URLField(label=_("API base URL"), max_length=300, assume_scheme="https")
    token = forms.CharField(
        label=_("API token"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored encrypted and never shown; leave empty to keep the current one."),
    )
    webhook_secret = forms.CharField(
        label=_("Webhook secret (GitHub)"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored encrypted and never shown; leave empty to keep the current one."),
    )

    class Meta:
        model = TrackerConfig
        fields = ["team", "kind", "base_url", "project", "account", "issue_type", "enabled"]


@admin.register(TrackerConfig)
class TrackerConfigAdmin(admin.ModelAdmin[TrackerConfig]):
    form = TrackerForm
    list_display = ["team", "kind", "base_url", "project", "enabled"]

    def save_model(self, request: HttpRequest, obj: TrackerConfig, form: Any, change: bool) -> None:
        if form.cleaned_data.get("token"):
            obj.token_sealed = form.cleaned_data["token"]
        if form.cleaned_data.get("webhook_secret"):
            obj.webhook_secret_sealed = form.cleaned_data["webhook_secret"]
        obj.updated_at = clock.now()
        super().save_model(request, obj, form, change)
