"""Lists of follow-ups: all of them (filtered by status, team, overdue), "my follow-ups" and
a team's overview (overdue, due soon, later)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kizuki.accounts.queries import get_team
from kizuki.followups import access, queries
from kizuki.followups.forms import FilterForm


@login_required
def followup_list(request: HttpRequest) -> HttpResponse:
    user = access.can_read(request.user)
    form = FilterForm(request.GET or None)
    criteria = queries.FollowUpFilter(active_only=not request.GET)
    if form.is_valid():
        data = form.cleaned_data
        criteria = queries.FollowUpFilter(
            status=data["status"] or "",
            team=data["team"].slug if data["team"] else "",
            overdue=data["overdue"],
        )
    found = queries.filter_followups(criteria, viewer=user)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "followups/list.html",
        {
            "form": form,
            "page": page,
            "today": queries.today(),
            "teams": queries.teams_with_followups(),
        },
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = access.can_read(request.user)
    return render(
        request,
        "followups/overview.html",
        {
            "overview": queries.my_overview(user),
            "done": queries.done_recently(user),
            "team": None,
            "today": queries.today(),
        },
    )


@login_required
def team_overview(request: HttpRequest, slug: str) -> HttpResponse:
    user = access.can_read(request.user)
    team = get_team(slug)
    return render(
        request,
        "followups/overview.html",
        {
            "overview": queries.team_overview(team, user),
            "done": None,
            "team": team,
            "today": queries.today(),
        },
    )
