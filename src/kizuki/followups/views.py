"""The follow-up's page and its forms (edit, status, milestones, export), the new-follow-up
page (`?section=<key>` links it to a section of the incident's retrospective), the live quality
check the forms call as one types, and the panel on the incident's page (registered from
FollowupsConfig.ready()). Each POST authorises, calls one action and redirects back. The lists
(all, mine, a team's) are in views_lists."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuki.accounts.models import User
from kizuki.core.access import allows
from kizuki.core.errors import CORRECTABLE
from kizuki.core.panels import Panels
from kizuki.followups import access, actions, queries, tracker_actions
from kizuki.followups.access import Need
from kizuki.followups.forms import (
    CheckForm,
    FollowUpForm,
    MilestoneForm,
    MilestoneStatusForm,
    QuickForm,
    StatusForm,
)
from kizuki.followups.history_text import describe
from kizuki.followups.models import FollowUp
from kizuki.followups.quality import check
from kizuki.incidents import access as incident_access
from kizuki.incidents.access import Need as IncidentNeed
from kizuki.incidents.views import IncidentPage
from kizuki.retros import queries as retros
from kizuki.retros.views import RetroPage

EDIT_FIELDS = ["title", "description", "owner", "team", "kind", "category", "phase"]


@dataclass(frozen=True)
class FollowUpPage:
    """What a panel on a follow-up's page is given."""

    request: HttpRequest
    user: User
    followup: FollowUp


# Higher apps add parts to the side column from AppConfig.ready() (risks: the linked risks).
detail_panels: Panels[FollowUpPage] = Panels()


def _detail(followup: FollowUp) -> HttpResponse:
    return redirect(reverse("followup-detail", args=[followup.pk]))


def _form_errors(request: HttpRequest, form: Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            text = _("%(field)s: %(error)s") % {"field": label, "error": error} if label else error
            messages.error(request, str(text))


def _attempt(request: HttpRequest, work: Callable[[], object]) -> bool:
    """Run an action; a correctable refusal becomes a message. Whether it worked."""
    try:
        work()
    except CORRECTABLE as error:
        messages.error(request, error.detail)
        return False
    return True


def incident_panel(page: IncidentPage) -> tuple[str, dict[str, Any]]:
    """The follow-ups of the incident, with a short form to add one (responders)."""
    rules = queries.extra_rules()
    rows = [(f, queries.quality_of(f, rules)) for f in queries.incident_followups(page.incident)]
    can_add = allows(incident_access.check_incident, page.user, page.incident, IncidentNeed.RESPOND)
    return "followups/_incident_panel.html", {
        "followup_rows": rows,
        "followup_quick_form": QuickForm(initial={"owner": page.user.username}, auto_id="id_fu_%s")
        if can_add
        else None,
    }


def retro_section_link(page: RetroPage) -> tuple[str, dict[str, Any]] | None:
    """ "Add follow-up" under each section of a retrospective, for those who may add one."""
    if not allows(access.can_add, page.user):
        return None
    return "followups/_retro_section_link.html", {"followup_incident": page.retro.incident}


def _sections(incident: Any) -> list[Any]:
    retro = retros.find_retrospective(incident)
    return retros.sections(retro) if retro is not None and retro.started else []


def _create_data(form: FollowUpForm) -> dict[str, Any]:
    data = {field: form.cleaned_data[field] for field in EDIT_FIELDS}
    data["due_date"] = form.cleaned_data["due_date"]
    data["due_date_reason"] = form.cleaned_data["due_date_reason"]
    if form.cleaned_data["section"]:
        data["section"] = form.cleaned_data["section"]
    return data


def _quick(request: HttpRequest, user: User, incident: Any) -> HttpResponse:
    """The incident page's short form: saved with the defaults, then the follow-up's page."""
    form = QuickForm(request.POST, auto_id="id_fu_%s")
    created: list[FollowUp] = []
    if not form.is_valid():
        _form_errors(request, form)
    elif _attempt(
        request,
        lambda: created.append(actions.create_followup(user, incident, dict(form.cleaned_data))),
    ):
        messages.success(request, _("Follow-up saved."))
        return _detail(created[0])
    return redirect(reverse("incident-detail", args=[incident.ref]) + "#followups")


@login_required
def new(request: HttpRequest, ref: str) -> HttpResponse:
    """The full form for a new follow-up of incident `ref`; `?section=` links it to that
    section of the incident's retrospective. The short form on the incident's page posts here
    too (`quick`: title and owner, everything else from the defaults)."""
    user, incident = access.access_incident_followups(request.user, ref, Need.CHANGE)
    if request.method == "POST" and "quick" in request.POST:
        return _quick(request, user, incident)
    sections = _sections(incident)
    wanted = request.POST.get("section") or request.GET.get("section", "")
    section = next((s for s in sections if s.key == wanted), None)
    default_due = queries.default_due_date(incident)
    initial = {
        "owner": user.username,
        "team": incident.team.slug if incident.team else None,
        "due_date": default_due,
        "section": section.key if section else "",
        "incident": incident.ref,
    }
    form = FollowUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = _create_data(form)
        created: list[FollowUp] = []
        if _attempt(request, lambda: created.append(actions.create_followup(user, incident, data))):
            messages.success(request, _("Follow-up saved."))
            return _detail(created[0])
    policy = queries.policy_for(incident)
    findings = check(
        str(form["title"].value() or ""),
        str(form["description"].value() or ""),
        owner=str(form["owner"].value() or "") or None,
        due_date=form.cleaned_data.get("due_date")
        if form.is_bound and form.is_valid()
        else default_due,
        policy=policy,
        extra=queries.extra_rules(),
        fields=["owner", "due_date"] if form.is_bound else [],
    )
    return render(
        request,
        "followups/new.html",
        {
            "incident": incident,
            "form": form,
            "section": section,
            "findings": findings,
            "policy": policy,
        },
    )


@login_required
def detail(request: HttpRequest, followup_id: int) -> HttpResponse:
    user, followup = access.access_followup(request.user, followup_id, Need.READ)
    can_change = allows(access.check_followup, user, followup, Need.CHANGE)
    initial = {
        **{field: getattr(followup, field) for field in ("title", "description", "kind")},
        "category": followup.category,
        "phase": followup.phase,
        "owner": followup.owner.username if followup.owner else None,
        "team": followup.team.slug if followup.team else None,
        "due_date": followup.due_date,
        "incident": followup.incident.ref,
    }
    context = {
        "followup": followup,
        "findings": queries.quality_of(followup),
        "overdue": queries.is_overdue(followup),
        "policy": queries.policy_for(followup.incident, queries.day_of(followup.created_at)),
        "milestones": queries.milestones(followup),
        "history": [(change, describe(change)) for change in queries.history(followup)],
        "link": queries.link_of(followup),
        "tracker": queries.tracker_of(followup.team),
        "can_change": can_change,
        "form": FollowUpForm(initial=initial) if can_change else None,
        "status_form": StatusForm(initial={"status": followup.status}),
        "milestone_form": MilestoneForm(auto_id="id_milestone_%s"),
        "section_title": next(
            (s.title for s in _sections(followup.incident) if s.key == followup.section_key),
            followup.section_key,
        ),
    }
    detail_panels.fill(FollowUpPage(request, user, followup), context)
    return render(request, "followups/detail.html", context)


def _change(
    request: HttpRequest,
    followup_id: int,
    form_class: type[Form],
    changes: Callable[[FollowUp, dict[str, Any]], dict[str, Any]],
) -> HttpResponse:
    user, followup = access.access_followup(request.user, followup_id, Need.CHANGE)
    form = form_class(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    elif _attempt(
        request,
        lambda: actions.update_followup(user, followup, changes(followup, form.cleaned_data)),
    ):
        messages.success(request, _("Saved."))
    return _detail(followup)


@require_POST
@login_required
def edit(request: HttpRequest, followup_id: int) -> HttpResponse:
    def changes(followup: FollowUp, data: dict[str, Any]) -> dict[str, Any]:
        found = {field: data[field] for field in EDIT_FIELDS}
        if data["due_date"] != followup.due_date:
            found["due_date"] = data["due_date"]
            found["due_date_reason"] = data["due_date_reason"]
        return found

    return _change(request, followup_id, FollowUpForm, changes)


@require_POST
@login_required
def change_status(request: HttpRequest, followup_id: int) -> HttpResponse:
    def changes(_followup: FollowUp, data: dict[str, Any]) -> dict[str, Any]:
        return {"status": data["status"], "status_reason": data["status_reason"]}

    return _change(request, followup_id, StatusForm, changes)


def _milestones(followup: FollowUp) -> list[dict[str, Any]]:
    return [
        {"title": m.title, "due_date": m.due_date, "status": m.status}
        for m in queries.milestones(followup)
    ]


@require_POST
@login_required
def add_milestone(request: HttpRequest, followup_id: int) -> HttpResponse:
    def changes(followup: FollowUp, data: dict[str, Any]) -> dict[str, Any]:
        return {"milestones": [*_milestones(followup), {**data, "status": "open"}]}

    return _change(request, followup_id, MilestoneForm, changes)


@require_POST
@login_required
def milestone_status(request: HttpRequest, followup_id: int, position: int) -> HttpResponse:
    def changes(followup: FollowUp, data: dict[str, Any]) -> dict[str, Any]:
        items = _milestones(followup)
        if 0 <= position < len(items):
            items[position]["status"] = data["status"]
        return {"milestones": items}

    return _change(request, followup_id, MilestoneStatusForm, changes)


@require_POST
@login_required
def export(request: HttpRequest, followup_id: int) -> HttpResponse:
    user, followup = access.access_followup(request.user, followup_id, Need.CHANGE)
    if _attempt(request, lambda: tracker_actions.request_export(user, followup)):
        messages.success(request, _("The issue is being created in the tracker."))
    return _detail(followup)


@require_POST
@login_required
def check_writing(request: HttpRequest) -> HttpResponse:
    """The findings about the follow-up being typed, as a partial for htmx (nothing saved)."""
    user: User = access.can_read(request.user)
    form = CheckForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    policy = None
    if data.get("incident"):
        try:
            _person, incident = incident_access.access_incident(user, data["incident"])
        except CORRECTABLE:
            incident = None
        policy = queries.policy_for(incident) if incident else None
    findings = check(
        data.get("title") or "",
        data.get("description") or "",
        owner=data.get("owner") or None,
        due_date=data.get("due_date"),
        policy=policy,
        extra=queries.extra_rules(),
        fields=[field for field in ("owner", "due_date") if field in request.POST],
    )
    return render(request, "followups/_quality.html", {"findings": findings, "live": True})
