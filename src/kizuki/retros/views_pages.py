"""Read-mostly pages: the list of retrospectives, version history with diffs, the Markdown and
PDF exports, the summary for stakeholders, and the learnings digest."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kizuki.core.access import allows
from kizuki.core.markdown import render_markdown
from kizuki.retros import access, actions, digest, export, pdf, queries, summary
from kizuki.retros.access import Need
from kizuki.retros.forms import DigestForm, ListFilterForm, SummaryForm
from kizuki.retros.models import RetroStatus
from kizuki.retros.views import attempt, form_errors, is_overdue


@login_required
def retro_list(request: HttpRequest) -> HttpResponse:
    user = access.can_read(request.user)
    form = ListFilterForm(request.GET or None)
    status, required, overdue = "", False, False
    if form.is_valid():
        status = form.cleaned_data["status"]
        required, overdue = form.cleaned_data["required"], form.cleaned_data["overdue"]
    found = queries.filter_retrospectives(status=status, overdue_only=overdue, viewer=user)
    if required:
        found = [retro for retro in found if retro.required]
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    rows = [(retro, is_overdue(retro)) for retro in page.object_list]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "can_configure": allows(access.can_manage_templates, request.user),
    }
    return render(request, "retros/list.html", context)


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "remove", "context", "hunk"
    text: str


def _lines(raw: list[str]) -> list[DiffLine]:
    kinds = {"+": "add", "-": "remove", "@": "hunk"}
    return [
        DiffLine(kinds.get(line[:1], "context"), line[1:] if line[:1] != "@" else line)
        for line in raw
    ]


@login_required
def history(request: HttpRequest, ref: str) -> HttpResponse:
    _user, retro = access.access_retrospective(request.user, ref, Need.READ)
    versions = queries.versions(retro)
    numbers = [version.number for version in versions]
    new = _number(request.GET.get("new"), numbers[0] if numbers else 0)
    old = _number(request.GET.get("old"), new - 1 if new > 1 else new)
    diffs = []
    if old in numbers and new in numbers:
        diffs = [
            (section, _lines(section.lines))
            for section in queries.diff(retro, old, new)
            if section.changed
        ]
    context = {
        "incident": retro.incident,
        "retro": retro,
        "versions": versions,
        "old": old,
        "new": new,
        "diffs": diffs,
        "valid": old in numbers and new in numbers,
    }
    return render(request, "retros/history.html", context)


def _number(raw: str | None, default: int) -> int:
    return int(raw) if raw and raw.isdigit() else default


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def export_markdown(request: HttpRequest, ref: str) -> HttpResponse:
    _user, retro = access.access_retrospective(request.user, ref, Need.READ)
    text = export.to_markdown(retro)
    return _download(
        text.encode(),
        "text/markdown; charset=utf-8",
        f"{retro.incident.ref}-retrospective.md",
    )


@login_required
def export_pdf(request: HttpRequest, ref: str) -> HttpResponse:
    _user, retro = access.access_retrospective(request.user, ref, Need.READ)
    return _download(
        pdf.to_pdf(retro), "application/pdf", f"{retro.incident.ref}-retrospective.pdf"
    )


@login_required
def stakeholder_summary(request: HttpRequest, ref: str) -> HttpResponse:
    """The summary for stakeholders, on its own page; people who may edit the document write
    it here (also after publishing: it is not part of the reviewed document)."""
    user, retro = access.access_retrospective(request.user, ref, Need.READ)
    can_edit = allows(access.check_retrospective, user, retro, Need.EDIT)
    if request.GET.get("format") == "md":
        return _download(
            summary.summary_markdown(retro).encode(),
            "text/markdown; charset=utf-8",
            f"{retro.incident.ref}-summary.md",
        )
    form = None
    if can_edit:
        text = retro.stakeholder_summary or summary.suggested_summary(retro)
        form = SummaryForm(request.POST or None, initial={"summary": text})
        if request.method == "POST":
            access.check_retrospective(user, retro, Need.EDIT)
            if not form.is_valid():
                form_errors(request, form)
            else:
                changes = {"stakeholder_summary": form.cleaned_data["summary"]}
                if attempt(
                    request,
                    lambda: actions.update_retrospective(user, retro, changes),
                    _("Summary saved."),
                ):
                    return redirect(reverse("retro-summary", kwargs={"ref": retro.incident.ref}))
    elif request.method == "POST":
        access.check_retrospective(user, retro, Need.EDIT)
    context = {
        "incident": retro.incident,
        "retro": retro,
        "html": render_markdown(retro.stakeholder_summary),
        "form": form,
        "preview": render_markdown(str(form["summary"].value() or "")) if form else "",
    }
    return render(request, "retros/summary.html", context)


@login_required
def learnings_digest(request: HttpRequest) -> HttpResponse:
    user = access.can_read(request.user)
    form = DigestForm(request.GET or None)
    first = last = None
    if form.is_valid():
        first, last = form.cleaned_data["start"], form.cleaned_data["end"]
    span = digest.period(first, last)
    entries = digest.digest(span, user)
    if request.GET.get("format") == "md":
        return _download(
            digest.to_markdown(span, entries).encode(),
            "text/markdown; charset=utf-8",
            f"learnings-{span.first.isoformat()}-{span.last.isoformat()}.md",
        )
    if not form.is_bound:
        form = DigestForm(initial={"start": span.first, "end": span.last})
    rows = [
        (entry, [(lesson, render_markdown(lesson.body)) for lesson in entry.lessons])
        for entry in entries
    ]
    context = {"form": form, "span": span, "rows": rows, "published": RetroStatus.PUBLISHED}
    return render(request, "retros/digest.html", context)
