"""The incident's own page and the forms on it. Each POST authorises, calls one action and
redirects back to the incident; a form worth keeping comes back with what was typed instead
when something is wrong."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuki.accounts.models import OrgRole, User
from kizuki.catalog.queries import CHANGES_BEFORE_HOURS, changes_before
from kizuki.core import clock
from kizuki.core.access import allows
from kizuki.core.errors import CORRECTABLE, NotFound
from kizuki.core.htmx import HtmxHttpRequest, wants_partial
from kizuki.incidents import access, actions, queries, timeline_actions
from kizuki.incidents.access import Need
from kizuki.incidents.forms import (
    CauseForm,
    EditForm,
    ImpactForm,
    NoteEditForm,
    ParticipantForm,
    RoleForm,
    StatusUpdateForm,
    TimelineForm,
    TransitionForm,
    final_message_default,
)
from kizuki.incidents.lifecycle import TRANSITION_LABELS, allowed_transitions
from kizuki.incidents.models import (
    FINISHED_STATUSES,
    OPEN_STATUSES,
    Audience,
    CauseCategory,
    EntryKind,
    Incident,
    TimelineEntry,
)
from kizuki.incidents.timeline_text import describe
from kizuki.incidents.views import IncidentPage, duration, main_panels, side_panels

# The page's forms, by the name the template knows them by, with distinct ids (several have
# a `text` field; each <label for> must reach its own box).
FORMS: dict[str, tuple[type[forms.Form], str]] = {
    "status_form": (StatusUpdateForm, "id_status_%s"),
    "timeline_form": (TimelineForm, "id_timeline_%s"),
    "impact_form": (ImpactForm, "id_impact_%s"),
    "edit_form": (EditForm, "id_edit_%s"),
    "cause_form": (CauseForm, "id_cause_%s"),
}


def _fresh_form(name: str, incident: Incident) -> forms.Form:
    form_class, auto_id = FORMS[name]
    initial: dict[str, Any] = {}
    if form_class is ImpactForm:
        initial = {field: getattr(incident, field) for field in ImpactForm.base_fields}
    if form_class is EditForm:
        initial = {
            "title": incident.title,
            "description": incident.description,
            "severity": incident.severity,
            "services": list(incident.services.all()),
            "cause_category": incident.cause_category,
            "is_drill": incident.is_drill,
        }
    if form_class is CauseForm:
        initial = {"cause_category": incident.cause_category}
    form = form_class(initial=initial, auto_id=auto_id)
    _fit_form(form, incident)
    return form


def _fit_form(form: forms.Form, incident: Incident) -> None:
    """Drop the fields that no longer apply to the incident as it is now."""
    if isinstance(form, EditForm) and incident.declared_at is not None:
        del form.fields["is_drill"]  # a declared incident's drill flag is fixed
    cause = form.fields.get("cause_category") if isinstance(form, EditForm | CauseForm) else None
    if isinstance(cause, forms.ModelChoiceField) and incident.cause_category_id is not None:
        # A category retired since it was chosen stays choosable on this incident.
        cause.queryset = CauseCategory.objects.filter(
            Q(is_active=True) | Q(pk=incident.cause_category_id)
        )
    if isinstance(form, StatusUpdateForm) and incident.status not in OPEN_STATUSES:
        del form.fields["next_update_at"]  # a resolved incident promises no further update


def _changeable_notes(user: User, incident: Incident, entries: list[TimelineEntry]) -> set[int]:
    """The notes this reader may edit or remove (the rule of access.access_timeline_entry)."""
    if incident.status in FINISHED_STATUSES or not allows(
        access.check_incident, user, incident, Need.NOTE
    ):
        return set()
    anyone = user.has_org_role(OrgRole.RESPONDER)
    return {
        entry.pk
        for entry in entries
        if entry.kind == EntryKind.NOTE and (anyone or entry.author_id == user.pk)
    }


def _due(incident: Incident, now: datetime) -> dict[str, Any]:
    """The next status update: when, and "in 12 min" / "overdue by 3 min" / "due now"."""
    due = queries.next_update_due(incident)
    if due is None:
        return {"due": None}
    return {
        "due": due,
        "due_in": duration(abs(due - now)),
        "overdue": due <= now,
        "due_now": abs(due - now) < timedelta(minutes=1),
    }


def _page_context(
    request: HttpRequest, user: User, incident: Incident, bound: dict[str, forms.Form]
) -> dict[str, Any]:
    """Everything the incident's page shows; `bound` are forms sent back with their errors
    (the page opens them, keeping what was typed)."""
    now = clock.now()
    timeline = queries.timeline(incident)
    transitions = [(t, TRANSITION_LABELS[t]) for t in allowed_transitions(incident.status)]
    writable = incident.status not in FINISHED_STATUSES
    context: dict[str, Any] = {
        "incident": incident,
        "roles": queries.active_roles(incident),
        "commander": queries.commander(incident),
        "on_call": queries.on_call_now(incident, now) if writable else [],
        "now": now,
        "since_reported": duration(now - incident.reported_at),
        "since_declared": duration(now - incident.declared_at) if incident.declared_at else "",
        "latest": queries.latest_status_update(incident),
        "promises_updates": incident.status in OPEN_STATUSES,
        "timeline": [(entry, describe(entry)) for entry in timeline],
        "changeable": _changeable_notes(user, incident, timeline),
        "transitions": transitions,
        "transition_form": TransitionForm(
            initial={"impact_scope": incident.impact_scope, "impact_effect": incident.impact_effect}
        ),
        "suggested": queries.suggested_severity(incident.impact_scope, incident.impact_effect),
        "severity_thresholds": queries.severities(),
        "score_labels": queries.score_labels(incident),
        "final_message": final_message_default(),
        "role_form": RoleForm(),
        "participants": queries.participants(incident),
        "participant_form": ParticipantForm(),
        "can_change_privacy": allows(access.check_privacy, user, incident),
        "writable": writable,
        "can_respond": writable and allows(access.check_incident, user, incident, Need.RESPOND),
        "can_add_note": writable and allows(access.check_incident, user, incident, Need.NOTE),
        # Finished, the record stays as it is, but for its cause (classified at the retro).
        "can_set_cause": not writable
        and allows(access.check_incident, user, incident, Need.RESPOND),
        "open_form": next(iter(bound), ""),
        # What changed on its services before this broke (from senders' change events).
        "changes": changes_before(
            incident.services.all(), incident.impact_started_at or incident.reported_at
        ),
        "changes_hours": CHANGES_BEFORE_HOURS,
        **_due(incident, now),
    }
    for name in FORMS:
        context[name] = bound.get(name) or _fresh_form(name, incident)
    page = IncidentPage(request, user, incident)
    main: dict[str, Any] = {}
    side: dict[str, Any] = {}
    main_panels.fill(page, main)
    side_panels.fill(page, side)
    context.update(main | side, main_panels=main["panels"], side_panels=side["panels"])
    return context


@login_required
def detail(request: HtmxHttpRequest, ref: str) -> HttpResponse:
    user, incident = access.access_incident(request.user, ref)
    context = _page_context(request, user, incident, {})
    if wants_partial(request):
        # The header's poll: the read-only parts, plus the actions once the status moved on.
        context["status_changed"] = request.GET.get("seen") != incident.status
        response = render(request, "incidents/_live.html", context)
    else:
        response = render(request, "incidents/detail.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _act(
    request: HttpRequest,
    ref: str,
    need: Need,
    form_class: type[Any],
    act: Callable[[User, Incident, dict[str, Any]], object],
) -> HttpResponse:
    """Authorise, validate the form, run the action, and come back to the incident with a
    message. A refusal is a 403 page (raised before the form is looked at), not a message.
    For the small forms of the side column (a move, a role), where nothing long is typed."""
    user, incident = access.access_incident(request.user, ref, need)
    form = form_class(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                text = (
                    _("%(field)s: %(error)s") % {"field": label, "error": error} if label else error
                )
                messages.error(request, text)
    else:
        try:
            act(user, incident, form.cleaned_data)
        except CORRECTABLE as error:
            messages.error(request, error.detail)
        else:
            messages.success(request, _("Saved."))
    return redirect(reverse("incident-detail", kwargs={"ref": incident.ref}))


def _act_keeping_input(
    request: HttpRequest,
    ref: str,
    need: Need,
    form_name: str,
    act: Callable[[User, Incident, dict[str, Any]], object],
) -> HttpResponse:
    """Like _act, for forms worth keeping: when anything is wrong the page comes back with
    this form open, what was typed in it, and each error once, beside its field."""
    user, incident = access.access_incident(request.user, ref, need)
    form_class, auto_id = FORMS[form_name]
    form = form_class(request.POST, auto_id=auto_id)
    _fit_form(form, incident)
    if form.is_valid():
        try:
            act(user, incident, form.cleaned_data)
        except CORRECTABLE as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("incident-detail", kwargs={"ref": incident.ref}))
    incident = queries.get_incident(incident.number)
    context = _page_context(request, user, incident, {form_name: form})
    return render(request, "incidents/detail.html", context)


@require_POST
@login_required
def transition(request: HttpRequest, ref: str) -> HttpResponse:
    def act(user: User, incident: Incident, data: dict[str, Any]) -> object:
        severity = data["severity"].level if data["severity"] else None
        return actions.transition(
            user,
            incident,
            data["to"],
            severity=severity,
            note=data["note"],
            final_message=data["final_message"],
            # Only a form that showed the checkbox says anything about drills.
            is_drill=data["is_drill"] if data["drill_asked"] else None,
            # Likewise for the score: only the declare step shows its scope and effect.
            score=_score(data) if data["score_asked"] and data["to"] == "declared" else None,
        )

    return _act(request, ref, Need.RESPOND, TransitionForm, act)


def _score(data: dict[str, Any]) -> dict[str, int | None]:
    return {"impact_scope": data["impact_scope"], "impact_effect": data["impact_effect"]}


@require_POST
@login_required
def assign_role(request: HttpRequest, ref: str) -> HttpResponse:
    def act(user: User, incident: Incident, data: dict[str, Any]) -> object:
        return actions.assign_role(user, incident, data["role"].slug, data["user"])

    return _act(request, ref, Need.RESPOND, RoleForm, act)


@require_POST
@login_required
def add_timeline_entry(request: HttpRequest, ref: str) -> HttpResponse:
    def act(user: User, incident: Incident, data: dict[str, Any]) -> object:
        return timeline_actions.add_timeline_entry(
            user, incident, data["text"], data["occurred_at"]
        )

    return _act_keeping_input(request, ref, Need.NOTE, "timeline_form", act)


@require_POST
@login_required
def post_status_update(request: HttpRequest, ref: str) -> HttpResponse:
    def act(user: User, incident: Incident, data: dict[str, Any]) -> object:
        return timeline_actions.post_status_update(
            user,
            incident,
            data["text"],
            data.get("next_update_at"),
            audience=data["audience"] or Audience.INTERNAL,
            plain_text=data["plain_text"],
        )

    return _act_keeping_input(request, ref, Need.RESPOND, "status_form", act)


@require_POST
@login_required
def edit_impact(request: HttpRequest, ref: str) -> HttpResponse:
    def act(user: User, incident: Incident, data: dict[str, Any]) -> object:
        return actions.update_incident(user, incident, data)

    return _act_keeping_input(request, ref, Need.RESPOND, "impact_form", act)


@require_POST
@login_required
def edit(request: HttpRequest, ref: str) -> HttpResponse:
    def act(user: User, incident: Incident, data: dict[str, Any]) -> object:
        changes = {
            "title": data["title"],
            "description": data["description"].strip(),
            "severity": data["severity"].level if data["severity"] else None,
            "services": list(data["services"]),
            "cause_category": data["cause_category"],
        }
        if "is_drill" in data:
            changes["is_drill"] = data["is_drill"]
        return actions.update_incident(user, incident, changes)

    return _act_keeping_input(request, ref, Need.RESPOND, "edit_form", act)


@require_POST
@login_required
def edit_cause(request: HttpRequest, ref: str) -> HttpResponse:
    """The cause category alone, on an incident of any status (see set_cause_category)."""

    def act(user: User, incident: Incident, data: dict[str, Any]) -> object:
        return actions.set_cause_category(user, incident, data["cause_category"])

    return _act_keeping_input(request, ref, Need.RESPOND, "cause_form", act)


def _note(request: HttpRequest, ref: str, entry_id: int) -> tuple[User, TimelineEntry]:
    """A note the person may change; automatic and removed entries are not notes to edit."""
    user, entry = access.access_timeline_entry(request.user, ref, entry_id)
    if entry.kind != EntryKind.NOTE or entry.removed_at is not None:
        raise NotFound(_("No note %(id)s on %(ref)s.") % {"id": entry_id, "ref": ref})
    return user, entry


@login_required
def note(request: HttpRequest, ref: str, entry_id: int) -> HttpResponse:
    """One note, to correct it (its own page: the timeline is refreshed every few seconds,
    which would clobber a form inside it)."""
    user, entry = _note(request, ref, entry_id)
    form = NoteEditForm(
        request.POST or None, initial={"text": entry.text, "occurred_at": entry.occurred_at}
    )
    if request.method == "POST" and form.is_valid():
        when = form.cleaned_data["occurred_at"]
        if when == entry.occurred_at.replace(second=0, microsecond=0):
            when = None  # the minute shown, unchanged: keep the exact time
        try:
            timeline_actions.edit_timeline_entry(user, entry, form.cleaned_data["text"], when)
        except CORRECTABLE as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, _("Saved."))
            return redirect("incident-detail", ref=entry.incident.ref)
    return render(request, "incidents/note.html", {"entry": entry, "form": form})


@login_required
def remove_note(request: HttpRequest, ref: str, entry_id: int) -> HttpResponse:
    """Ask, then remove a note (the audit log keeps what it said)."""
    user, entry = _note(request, ref, entry_id)
    problem = ""
    if request.method == "POST":
        try:
            timeline_actions.remove_timeline_entry(user, entry)
        except CORRECTABLE as error:
            problem = error.detail
        else:
            messages.success(request, _("The note was removed."))
            return redirect("incident-detail", ref=entry.incident.ref)
    return render(request, "incidents/remove_note.html", {"entry": entry, "problem": problem})
