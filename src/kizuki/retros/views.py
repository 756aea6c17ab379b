"""The retrospective's page and the forms on it: starting one, requiring one (or recording
that none is needed), moving it through its states, reviews and section comments. Each POST
authorises, calls one action and redirects back. The editor is in views_editor, exports,
history, the summary, the list and the digest in views_pages, templates and policy in
views_admin.

The panel on the incident's page (`incident_panel`) is registered from RetrosConfig.ready()."""

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
from kizuki.core import clock
from kizuki.core.access import allows
from kizuki.core.errors import CORRECTABLE
from kizuki.core.markdown import render_markdown
from kizuki.core.panels import Panels
from kizuki.incidents import queries as incident_queries
from kizuki.incidents.access import Need as IncidentNeed
from kizuki.incidents.access import check_incident
from kizuki.incidents.views import IncidentPage
from kizuki.retros import access, actions, drafting, queries, review_actions
from kizuki.retros.access import Need
from kizuki.retros.forms import (
    CommentForm,
    RequirementForm,
    ResolveForm,
    ReviewForm,
    ReviewRequestForm,
    StartForm,
    TransitionForm,
    end_of_day,
)
from kizuki.retros.models import Retrospective, RetroStatus

# The moves offered as buttons, by current state: (target, label).
MOVE_LABELS: dict[str, list[tuple[str, str]]] = {
    RetroStatus.DRAFT: [(RetroStatus.IN_REVIEW, "submit")],
    RetroStatus.IN_REVIEW: [(RetroStatus.PUBLISHED, "publish"), (RetroStatus.DRAFT, "withdraw")],
    RetroStatus.PUBLISHED: [(RetroStatus.DRAFT, "reopen")],
}


def move_buttons(retro: Retrospective) -> list[tuple[str, str, str]]:
    """(target state, button label, css class) for the moves the document's state allows."""
    labels = {
        "submit": _("Submit for review"),
        "publish": _("Publish"),
        "withdraw": _("Back to draft"),
        "reopen": _("Reopen"),
    }
    return [
        (target, labels[kind], "button" if kind in {"submit", "publish"} else "button quiet")
        for target, kind in MOVE_LABELS.get(retro.status, [])
    ]


def is_overdue(retro: Retrospective) -> bool:
    return bool(
        retro.required
        and retro.due_at
        and retro.due_at < clock.now()
        and retro.status != RetroStatus.PUBLISHED
    )


def back_to(retro_or_ref: Retrospective | str) -> HttpResponse:
    ref = retro_or_ref if isinstance(retro_or_ref, str) else retro_or_ref.incident.ref
    return redirect(reverse("retro-detail", kwargs={"ref": ref}))


def form_errors(request: HttpRequest, form: Form) -> None:
    """Each error of a form as a message on the page the person comes back to."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            text = str(error)
            messages.error(
                request,
                _("%(field)s: %(error)s") % {"field": label, "error": text} if label else text,
            )


def attempt(request: HttpRequest, act: Callable[[], object], done: str = "") -> bool:
    """Run an action; a correctable refusal becomes a message beside the page's forms."""
    try:
        act()
    except CORRECTABLE as error:
        messages.error(request, error.detail)
        return False
    messages.success(request, done or _("Saved."))
    return True


# The incident page's panel.


def incident_panel(page: IncidentPage) -> tuple[str, dict[str, Any]]:
    """State, owner and due date of the incident's retrospective, with what the reader may do:
    start it from a template, or decide whether one is required."""
    retro = queries.find_retrospective(page.incident)
    can_start = (retro is None or not retro.started) and allows(
        access.access_start, page.user, page.incident.ref
    )
    can_decide = (retro is None or not retro.started) and allows(
        access.check_requirement, page.user, page.incident
    )
    start_form = None
    if can_start:
        try:
            default = queries.default_template_for(page.incident).key
        except CORRECTABLE:
            default = ""  # no template in use: the form offers none and says so
        start_form = StartForm(initial={"template": default})
    return "retros/_incident_panel.html", {
        "retro_panel": retro,
        "retro_overdue": retro is not None and is_overdue(retro),
        "retro_start_form": start_form,
        "retro_can_decide": can_decide,
        "retro_requirement_form": RequirementForm() if can_decide else None,
    }


# The document's page.


@dataclass(frozen=True)
class RetroPage:
    """What a panel under each section of a retrospective is given (its template sees the
    loop's `section` too)."""

    request: HttpRequest
    user: User
    retro: Retrospective


# Higher apps add a part under every section (follow-ups: "Add follow-up") from ready().
section_panels: Panels[RetroPage] = Panels()
# ... and parts of the whole page, in its side column (risks: "Record as a system risk").
side_panels: Panels[RetroPage] = Panels()


def _cause_link(user: User, incident: Any) -> str:
    """Where a responder sets the incident's cause (often decided here): its edit form, or
    once it is finished the form that changes the cause alone; "" for the others."""
    if not allows(check_incident, user, incident, IncidentNeed.RESPOND):
        return ""
    # The field itself: a browser opens the folded form around the target of a link.
    form = "cause" if incident_queries.is_finished(incident) else "edit"
    return reverse("incident-detail", kwargs={"ref": incident.ref}) + f"#id_{form}_cause_category"


@login_required
def detail(request: HttpRequest, ref: str) -> HttpResponse:
    user, incident = access.access_incident_for_reading(request.user, ref)
    retro = queries.find_retrospective(incident)
    if retro is None or not retro.started:
        # Nothing to read yet: the page says so and offers what the incident's panel offers.
        panel_template, panel = incident_panel(IncidentPage(request, user, incident))
        return render(
            request,
            "retros/not_started.html",
            {"incident": incident, "panel_template": panel_template, **panel},
        )
    access.check_retrospective(user, retro, Need.READ)
    can_edit = allows(access.check_retrospective, user, retro, Need.EDIT)
    can_review = allows(access.check_retrospective, user, retro, Need.REVIEW)
    comments = queries.comments(retro)
    sections = [
        (
            section,
            render_markdown(section.body),
            [comment for comment in comments if comment.section_key == section.key],
        )
        for section in queries.sections(retro)
    ]
    reviews = queries.reviews(retro)
    mine = next((review for review in reviews if review.reviewer_id == user.pk), None)
    context = {
        "incident": incident,
        "retro": retro,
        "cause_link": _cause_link(user, incident),
        "sections": sections,
        "reviews": reviews,
        "overdue": is_overdue(retro),
        "can_edit": can_edit and retro.status != RetroStatus.PUBLISHED,
        "can_move": can_edit,
        "can_review": can_review,
        "moves": move_buttons(retro) if can_edit else [],
        "blocker": queries.publish_blocker(retro)
        if retro.status == RetroStatus.IN_REVIEW
        else None,
        "review_request_form": ReviewRequestForm(exclude=retro.owner) if can_edit else None,
        "review_form": ReviewForm(initial={"comment": mine.comment if mine else ""})
        if can_review and retro.owner_id != user.pk and retro.status == RetroStatus.IN_REVIEW
        else None,
        "my_review": mine,
        "drafting": drafting.enabled(),
    }
    parts: dict[str, Any] = {}
    section_panels.fill(RetroPage(request, user, retro), parts)
    context.update(parts, section_panels=parts["panels"])
    side: dict[str, Any] = {}
    side_panels.fill(RetroPage(request, user, retro), side)
    context.update(side, side_panels=side["panels"])
    return render(request, "retros/detail.html", context)


@require_POST
@login_required
def start(request: HttpRequest, ref: str) -> HttpResponse:
    user, incident = access.access_start(request.user, ref)
    form = StartForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect(reverse("incident-detail", kwargs={"ref": incident.ref}))
    key = form.cleaned_data["template"]
    if attempt(
        request,
        lambda: actions.start_retrospective(user, incident, key),
        _("Retrospective started. Pre-filled from the incident: edit each section."),
    ):
        return redirect(reverse("retro-edit", kwargs={"ref": incident.ref}))
    return redirect(reverse("incident-detail", kwargs={"ref": incident.ref}))


@require_POST
@login_required
def requirement(request: HttpRequest, ref: str) -> HttpResponse:
    user, incident = access.access_requirement(request.user, ref)
    form = RequirementForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    elif form.cleaned_data["decision"] == "required":
        due = end_of_day(form.cleaned_data["due"])
        attempt(
            request,
            lambda: actions.require_retrospective(user, incident, due),
            _("A retrospective is now required."),
        )
    else:
        reason = form.cleaned_data["reason"]
        attempt(
            request,
            lambda: actions.record_not_needed(user, incident, reason),
            _("Recorded that no retrospective is needed."),
        )
    return redirect(reverse("incident-detail", kwargs={"ref": incident.ref}))


@require_POST
@login_required
def transition(request: HttpRequest, ref: str) -> HttpResponse:
    user, retro = access.access_retrospective(request.user, ref, Need.EDIT)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        to = form.cleaned_data["to"]
        attempt(
            request,
            lambda: actions.transition_retrospective(user, retro, to),
            _("The retrospective is now: %(status)s.") % {"status": RetroStatus(to).label},
        )
    return back_to(retro)


@require_POST
@login_required
def request_review(request: HttpRequest, ref: str) -> HttpResponse:
    user, retro = access.access_retrospective(request.user, ref, Need.EDIT)
    form = ReviewRequestForm(request.POST, exclude=retro.owner)
    if not form.is_valid():
        form_errors(request, form)
    else:
        reviewers: list[User] = list(form.cleaned_data["reviewers"])
        attempt(
            request,
            lambda: review_actions.request_reviews(user, retro, reviewers),
            _("Review requested."),
        )
    return back_to(retro)


@require_POST
@login_required
def review(request: HttpRequest, ref: str) -> HttpResponse:
    user, retro = access.access_retrospective(request.user, ref, Need.REVIEW)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        state, comment = form.cleaned_data["state"], form.cleaned_data["comment"]
        attempt(
            request,
            lambda: review_actions.give_review(user, retro, state, comment),
            _("Thank you for the review."),
        )
    return back_to(retro)


@require_POST
@login_required
def comment(request: HttpRequest, ref: str) -> HttpResponse:
    user, retro = access.access_retrospective(request.user, ref, Need.REVIEW)
    form = CommentForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return back_to(retro)
    section, text = form.cleaned_data["section"], form.cleaned_data["text"]
    attempt(
        request,
        lambda: review_actions.add_section_comment(user, retro, section, text),
        _("Comment added."),
    )
    return redirect(reverse("retro-detail", kwargs={"ref": retro.incident.ref}) + f"#s-{section}")


@require_POST
@login_required
def resolve_comment(request: HttpRequest, ref: str, comment_id: int) -> HttpResponse:
    user, retro = access.access_retrospective(request.user, ref, Need.REVIEW)
    form = ResolveForm(request.POST)
    resolved = form.is_valid() and bool(form.cleaned_data["resolved"])
    found = queries.get_comment(retro, comment_id)
    attempt(
        request,
        lambda: review_actions.resolve_section_comment(user, found, resolved),
        _("Comment resolved.") if resolved else _("Comment reopened."),
    )
    return redirect(
        reverse("retro-detail", kwargs={"ref": retro.incident.ref}) + f"#s-{found.section_key}"
    )
