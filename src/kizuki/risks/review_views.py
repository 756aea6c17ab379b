"""The Performance Review pages: the reviews (the next review day, hold this week's review or
one on another day; admins choose the day), a review with its agenda (raise a finding, report
on one, promote one that meets the entry criteria to a risk). Each POST authorises first,
validates a form, calls one action and redirects back."""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuki.core.access import allows
from kizuki.core.errors import CORRECTABLE
from kizuki.risks import access, charts, prometheus, queries, review_actions, review_queries
from kizuki.risks.forms import impact_choice
from kizuki.risks.models import Finding, Review
from kizuki.risks.review_forms import (
    FindingForm,
    MinutesForm,
    PromoteForm,
    ReportForm,
    ReviewForm,
    ReviewSettingsForm,
)


def _review_page(review: Review) -> HttpResponse:
    return redirect(reverse("review-detail", args=[review.pk]))


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    user = (
        access.can_add(request.user) if request.method == "POST" else access.can_read(request.user)
    )
    can_add = allows(access.can_add, user)
    form = ReviewForm(request.POST or None, initial={"held_on": queries.today()})
    if request.method == "POST" and form.is_valid():
        review = review_actions.hold_review(user, dict(form.cleaned_data))
        return _review_page(review)
    schedule = review_queries.review_settings()
    return render(
        request,
        "risks/reviews.html",
        {
            "reviews": list(review_queries.reviews()[:100]),
            "form": form if can_add else None,
            "can_add": can_add,
            "schedule": schedule,
            "next_review": review_queries.next_review_day(),
            "today": queries.today(),
            "this_week": review_queries.this_weeks_review(),
            "settings_form": ReviewSettingsForm(initial={"weekday": schedule.weekday})
            if allows(access.can_configure, user)
            else None,
        },
    )


@require_POST
@login_required
def hold_this_week(request: HttpRequest) -> HttpResponse:
    """This week's review: opened if it is held already, else held today."""
    user = access.can_add(request.user)
    review, created = review_actions.hold_this_weeks_review(user)
    if created:
        messages.success(request, _("This week's review is open."))
    return _review_page(review)


@require_POST
@login_required
def review_settings(request: HttpRequest) -> HttpResponse:
    user = access.can_configure(request.user)
    form = ReviewSettingsForm(request.POST)
    if form.is_valid():
        review_actions.update_review_settings(user, form.cleaned_data["weekday"])
        messages.success(request, _("Review day saved."))
    else:
        messages.error(request, _("Choose a day of the week."))
    return redirect(reverse("review-list"))


@dataclass
class AgendaRow:
    """One finding on a review's page, with what the page says about it."""

    finding: Finding
    proposed: bool
    not_proposed_because: list[str]
    proposal_day: date
    report_form: ReportForm
    chart: charts.SeriesChart | None
    snapshot_failed: str


def _row(finding: Finding) -> AgendaRow:
    blockers = review_queries.blockers(finding)
    return AgendaRow(
        finding=finding,
        proposed=not blockers,
        # Shown only while the finding is still open to promotion.
        not_proposed_because=[review_queries.blocker_text(code) for code in blockers]
        if finding.risk_id is None and "resolved" not in blockers
        else [],
        proposal_day=review_queries.proposal_day(finding),
        report_form=ReportForm(
            initial={
                "status": finding.status,
                "potential_impact": impact_choice(finding.potential_impact),
            },
            prefix=f"f{finding.pk}",
        ),
        chart=review_queries.snapshot_chart(finding),
        snapshot_failed=prometheus.failure_text(finding.snapshot),
    )


def _show(
    request: HttpRequest,
    review: Review,
    finding_form: FindingForm,
    minutes_form: MinutesForm | None = None,
) -> HttpResponse:
    user = access.can_read(request.user)
    can_add = allows(access.can_add, user)
    rows = [_row(finding) for finding in review_queries.agenda(review)]
    return render(
        request,
        "risks/review.html",
        {
            "review": review,
            "rows": rows,
            "proposed": [row for row in rows if row.proposed],
            "today": queries.today(),
            "snapshots": prometheus.enabled(),
            "can_add": can_add,
            "finding_form": finding_form,
            "promote_form": PromoteForm(initial={"likelihood": 1}),
            "minutes_form": minutes_form or MinutesForm(initial={"minutes": review.minutes}),
        },
    )


@login_required
def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    access.can_read(request.user)
    return _show(request, review_queries.get_review(review_id), FindingForm())


@require_POST
@login_required
def add_finding(request: HttpRequest, review_id: int) -> HttpResponse:
    user = access.can_add(request.user)
    review = review_queries.get_review(review_id)
    form = FindingForm(request.POST)
    if form.is_valid():
        try:
            review_actions.add_finding(user, review, form.values())
        except CORRECTABLE as error:
            form.add_error(None, error.detail)
        else:
            return _review_page(review)
    return _show(request, review, form)


@require_POST
@login_required
def report(request: HttpRequest, review_id: int, finding_id: int) -> HttpResponse:
    """A report on a finding from the agenda of review `review_id` (where it goes back to)."""
    user = access.can_add(request.user)
    review = review_queries.get_review(review_id)
    finding = review_queries.get_finding(finding_id)
    form = ReportForm(request.POST, prefix=f"f{finding.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose a status and a potential impact."))
    else:
        try:
            review_actions.update_finding(user, finding, form.values())
        except CORRECTABLE as error:
            messages.error(request, error.detail)
        else:
            messages.success(request, _("Saved."))
    return _review_page(review)


@require_POST
@login_required
def promote(request: HttpRequest, review_id: int, finding_id: int) -> HttpResponse:
    user = access.can_add(request.user)
    review = review_queries.get_review(review_id)
    finding = review_queries.get_finding(finding_id)
    form = PromoteForm(request.POST)
    if form.is_valid():
        try:
            risk = review_actions.promote_finding(
                user, finding, {"likelihood": form.cleaned_data["likelihood"]}
            )
        except CORRECTABLE as error:
            messages.error(request, error.detail)
        else:
            messages.success(request, _("Risk recorded."))
            return redirect(reverse("risk-detail", args=[risk.pk]))
    return _review_page(review)


@require_POST
@login_required
def edit_minutes(request: HttpRequest, review_id: int) -> HttpResponse:
    user = access.can_add(request.user)
    review = review_queries.get_review(review_id)
    form = MinutesForm(request.POST)
    if form.is_valid():
        review_actions.update_review(user, review, form.cleaned_data["minutes"])
        messages.success(request, _("Saved."))
        return _review_page(review)
    return _show(request, review, FindingForm(), form)
