"""Admin pages: the templates (add, edit, retire, restore) and the policy (per severity:
required, due in days, default template; per team: default template)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuki.core.errors import CORRECTABLE
from kizuki.retros import access, policy_actions, queries, template_actions
from kizuki.retros.forms import (
    SectionFormSet,
    SeverityPolicyForm,
    TeamTemplateForm,
    TemplateForm,
    section_data,
)
from kizuki.retros.models import Template
from kizuki.retros.views import attempt, form_errors

TEMPLATE_FIELDS = ["name_ja", "name_en", "description_ja", "description_en", "position"]


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    access.can_manage_templates(request.user)
    policies = [
        (
            policy,
            SeverityPolicyForm(
                initial={
                    "required": policy.required,
                    "due_days": policy.due_days,
                    "template": policy.template or "",
                },
                prefix=f"sev{policy.level}",
            ),
        )
        for policy in queries.severity_policies()
    ]
    context = {
        "templates": queries.templates(include_retired=True),
        "policies": policies,
        "team_templates": queries.team_templates(),
        "team_form": TeamTemplateForm(),
    }
    return render(request, "retros/settings.html", context)


def _section_initial(template: Template) -> list[dict[str, Any]]:
    return [
        {
            "key": section.key,
            "title_ja": section.title_ja,
            "title_en": section.title_en,
            "guidance_ja": section.guidance_ja,
            "guidance_en": section.guidance_en,
            "prefill": list(section.prefill),
            "purpose": section.purpose,
            "asks_evidence": section.asks_evidence,
        }
        for section in template.sections.all()
    ]


def _template_page(
    request: HttpRequest, form: TemplateForm, formset: Any, template: Template | None
) -> HttpResponse:
    return render(
        request,
        "retros/template_form.html",
        {"form": form, "formset": formset, "template": template},
    )


@login_required
def template_new(request: HttpRequest) -> HttpResponse:
    user = access.can_manage_templates(request.user)
    data = request.POST if request.method == "POST" else None
    form = TemplateForm(data)
    formset = SectionFormSet(data, prefix="sections")
    if data is not None and form.is_valid() and formset.is_valid():
        fields = {name: form.cleaned_data[name] for name in ["key", *TEMPLATE_FIELDS]}
        try:
            template = template_actions.create_template(
                user, {**fields, "sections": section_data(formset)}
            )
        except CORRECTABLE as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, _("Template added."))
            return redirect(reverse("retro-template-edit", kwargs={"key": template.key}))
    return _template_page(request, form, formset, None)


@login_required
def template_edit(request: HttpRequest, key: str) -> HttpResponse:
    user = access.can_manage_templates(request.user)
    template = queries.get_template(key)
    initial = {"key": template.key, **{name: getattr(template, name) for name in TEMPLATE_FIELDS}}
    data = None
    if request.method == "POST":
        # The key cannot change: it is shown, not posted.
        data = request.POST.copy()
        data["key"] = template.key
    form = TemplateForm(data, initial=initial)
    form.fields["key"].disabled = True
    formset = SectionFormSet(data, prefix="sections", initial=_section_initial(template))
    if data is not None and form.is_valid() and formset.is_valid():
        changes = {name: form.cleaned_data[name] for name in TEMPLATE_FIELDS}
        try:
            template_actions.update_template(
                user, template, {**changes, "sections": section_data(formset)}
            )
        except CORRECTABLE as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, _("Template saved."))
            return redirect(reverse("retro-template-edit", kwargs={"key": template.key}))
    return _template_page(request, form, formset, template)


@require_POST
@login_required
def template_retire(request: HttpRequest, key: str) -> HttpResponse:
    user = access.can_manage_templates(request.user)
    template = queries.get_template(key)
    retire = request.POST.get("retired") == "true"
    attempt(
        request,
        lambda: template_actions.update_template(user, template, {"retired": retire}),
        _("Template retired: it starts no new retrospectives.")
        if retire
        else _("Template back in use."),
    )
    return redirect(reverse("retro-settings"))


@require_POST
@login_required
def severity_policy(request: HttpRequest, level: int) -> HttpResponse:
    user = access.can_set_policy(request.user)
    form = SeverityPolicyForm(request.POST, prefix=f"sev{level}")
    if not form.is_valid():
        form_errors(request, form)
    else:
        changes = {
            "required": form.cleaned_data["required"],
            "due_days": form.cleaned_data["due_days"],
            "template": form.cleaned_data["template"] or None,
        }
        attempt(
            request,
            lambda: policy_actions.set_severity_policy(user, level, changes),
            _("Policy for SEV%(level)s saved.") % {"level": level},
        )
    return redirect(reverse("retro-settings"))


@require_POST
@login_required
def team_template(request: HttpRequest) -> HttpResponse:
    user = access.can_set_policy(request.user)
    form = TeamTemplateForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        team, key = form.cleaned_data["team"], form.cleaned_data["template"] or None
        attempt(
            request,
            lambda: policy_actions.set_team_template(user, team, key),
            _("Default template for %(team)s saved.") % {"team": team.name},
        )
    return redirect(reverse("retro-settings"))
