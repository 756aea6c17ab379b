"""The editor: every section with its guidance, a text box and a live preview (htmx posts the
box to `preview` as one types), owner and due date, and "Draft with AI" per section when an
endpoint is configured. Everything also works without JavaScript: the draft button then posts
the whole form and the page comes back with the typed text kept and the proposal shown.

A proposal is never saved by asking for it. "Accept" keeps it marked as an AI draft; if the
writer changed the proposal before accepting, it is their text and is saved as such."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuki.core.errors import CORRECTABLE, NotFound
from kizuki.core.htmx import HtmxHttpRequest, wants_partial
from kizuki.core.markdown import render_markdown
from kizuki.retros import access, actions, drafting, queries
from kizuki.retros.access import Need
from kizuki.retros.drafting import DraftFailed
from kizuki.retros.forms import EditForm, PreviewForm, end_of_day, local_day
from kizuki.retros.models import RetroSection, Retrospective, RetroStatus
from kizuki.retros.views import attempt, back_to

MAX_PREVIEW = 200_000


def _form(request: HttpRequest, retro: Retrospective, sections: list[RetroSection]) -> EditForm:
    initial = {
        "owner": retro.owner.username if retro.owner else None,
        "due": local_day(retro.due_at),
    }
    data = request.POST if request.method == "POST" else None
    return EditForm(data, sections=sections, initial=initial)


def _render(
    request: HttpRequest,
    retro: Retrospective,
    sections: list[RetroSection],
    form: EditForm,
    proposals: dict[str, str] | None = None,
    *,
    base_version: int | None = None,
) -> HttpResponse:
    guidance = queries.guidance(retro)
    rows = []
    for section in sections:
        field = form[f"section-{section.key}"]
        text = str(field.value() or "")
        rows.append(
            {
                "section": section,
                "field": field,
                "guidance": guidance.get(section.key, ""),
                "preview": render_markdown(text),
                "proposal": (proposals or {}).get(section.key),
            }
        )
    if base_version is None:
        posted = request.POST.get("base_version", "") if request.method == "POST" else ""
        base_version = int(posted) if posted.isdigit() else retro.version
    context = {
        "incident": retro.incident,
        "retro": retro,
        "form": form,
        "rows": rows,
        "drafting": drafting.enabled(),
        "base_version": base_version,
    }
    return render(request, "retros/edit.html", context)


def _changed_texts(form: EditForm, sections: list[RetroSection]) -> dict[str, str]:
    """Only the sections whose text the writer changed (an unchanged AI draft stays marked)."""
    bodies = {section.key: section.body for section in sections}
    return {key: text for key, text in form.section_texts().items() if bodies.get(key) != text}


def _stale(request: HttpRequest, retro: Retrospective) -> bool:
    """True when someone saved a newer version since this form was loaded."""
    base = request.POST.get("base_version", "")
    return base.isdigit() and int(base) != retro.version


@login_required
def edit(request: HttpRequest, ref: str) -> HttpResponse:
    user, retro = access.access_retrospective(request.user, ref, Need.EDIT)
    if retro.status == RetroStatus.PUBLISHED:
        messages.info(request, _("The retrospective is published; reopen it to change its text."))
        return back_to(retro)
    sections = queries.sections(retro)
    form = _form(request, retro, sections)
    if request.method != "POST" or not form.is_valid():
        return _render(request, retro, sections, form)
    if _stale(request, retro):
        messages.error(
            request,
            _(
                "Someone saved version %(version)s while you were editing. Your text is still"
                " in the boxes: compare it with the history, then save again."
            )
            % {"version": retro.version},
        )
        # The next save goes through: the writer has been told.
        return _render(request, retro, sections, form, base_version=retro.version)
    changes: dict[str, Any] = {
        "sections": _changed_texts(form, sections),
        "owner": form.cleaned_data["owner"],
        "due_at": end_of_day(form.cleaned_data["due"]),
    }
    if not attempt(request, lambda: actions.update_retrospective(user, retro, changes)):
        return _render(request, retro, sections, form)
    if "view" in request.POST:
        return back_to(retro)
    return redirect(reverse("retro-edit", kwargs={"ref": retro.incident.ref}))


@require_POST
@login_required
def preview(request: HttpRequest, ref: str) -> HttpResponse:
    """The Markdown of one box, rendered: htmx names the box in `field`."""
    access.access_retrospective(request.user, ref, Need.EDIT)
    name = request.POST.get("field") or "text"
    form = PreviewForm({"text": request.POST.get(name, "")})
    html = render_markdown(form.cleaned_data["text"]) if form.is_valid() else ""
    return render(request, "retros/_preview.html", {"html": html})


def _section(retro: Retrospective, key: str) -> RetroSection:
    for section in queries.sections(retro):
        if section.key == key:
            return section
    raise NotFound(_("No section %(key)s.") % {"key": key})


@require_POST
@login_required
def draft(request: HtmxHttpRequest, ref: str, key: str) -> HttpResponse:
    """Ask the configured model for this section's text (nothing is saved), or discard the
    proposal shown."""
    _user, retro = access.access_retrospective(request.user, ref, Need.EDIT)
    section = _section(retro, key)
    partial = wants_partial(request)
    proposal: str | None = None
    error = ""
    if "discard" not in request.POST:
        try:
            proposal = drafting.draft_section(
                retro.incident, section.title, queries.guidance(retro).get(key, "")
            )
        except DraftFailed as failure:
            error = failure.detail
    if partial:
        response = render(
            request,
            "retros/_proposal.html",
            {"retro": retro, "key": key, "proposal": proposal, "error": error},
        )
        patch_vary_headers(response, ["HX-Request"])
        return response
    if error:
        messages.error(request, error)
    sections = queries.sections(retro)
    form = _form(request, retro, sections)
    form.is_valid()
    proposals = {key: proposal} if proposal is not None else {}
    return _render(request, retro, sections, form, proposals)


@require_POST
@login_required
def accept_draft(request: HttpRequest, ref: str, key: str) -> HttpResponse:
    """Keep the proposal for `key` (marked as an AI draft unless the writer changed it), and
    whatever else the writer changed in the form."""
    user, retro = access.access_retrospective(request.user, ref, Need.EDIT)
    sections = queries.sections(retro)
    _section(retro, key)
    text = request.POST.get(f"proposal-{key}", "").replace("\r\n", "\n")
    original = request.POST.get(f"proposal-original-{key}", "").replace("\r\n", "\n")
    form = _form(request, retro, sections)
    others: dict[str, str] = {}
    if form.is_valid():
        others = {k: v for k, v in _changed_texts(form, sections).items() if k != key}
    try:
        if text.strip() == original.strip() and text.strip():
            if others:
                actions.update_retrospective(user, retro, {"sections": others})
            actions.accept_draft(user, retro, key, text.strip())
            messages.success(request, _("AI draft kept. It stays marked until someone edits it."))
        else:
            actions.update_retrospective(user, retro, {"sections": {**others, key: text}})
            messages.success(request, _("Saved."))
    except CORRECTABLE as error:
        messages.error(request, error.detail)
        return _render(request, retro, sections, form, {key: text})
    return redirect(reverse("retro-edit", kwargs={"ref": retro.incident.ref}) + f"#s-{key}")
