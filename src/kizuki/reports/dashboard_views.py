"""The reports' panels on the dashboard (added from ReportsConfig.ready()): the MTTA/MTTR
trend of the last weeks drawn as two sparklines (charts.py; cached, so an unchanged week costs
no drawing), the overdue follow-ups and the risks due for a visit. Each is a fixed number of
queries however many incidents there are."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kizuki.accounts.models import OrgRole
from kizuki.core import clock
from kizuki.followups import queries as followup_queries
from kizuki.incidents.views import DashboardPage
from kizuki.reports import charts, live, summary
from kizuki.reports.metrics import DEFINITIONS
from kizuki.risks import queries as risk_queries

# The dashboard's trend covers this many weeks; its lists show this many rows.
TREND_WEEKS = 8
DASHBOARD_SHOWN = 5
# Counts stop here ("999+"): past it the number says nothing more, and counting stays cheap.
COUNT_CAP = 999


@dataclass(frozen=True)
class Week:
    """One week of a trend, as text: "Week of 2026-11-23: 7 min"."""

    text: str
    current: bool


@dataclass(frozen=True)
class Trend:
    name: str  # "MTTA"
    definition: str
    now: str  # this week's value, as text
    chart: SafeString  # a sparkline drawn by charts.py, titled with `summary`
    weeks: list[Week]
    summary: str  # the chart as a sentence, for screen readers


def _trend(name: str, definition: str, weeks: list[live.Week], values: list[float | None]) -> Trend:
    rows = [
        Week(
            text=_("Week of %(day)s: %(value)s")
            % {
                "day": week.monday,
                "value": summary.duration_text(value) if value is not None else _("no incident"),
            },
            current=n == len(weeks) - 1,
        )
        for n, (week, value) in enumerate(zip(weeks, values, strict=True))
    ]
    sentence = _("%(name)s by week, oldest first: %(weeks)s") % {
        "name": name,
        "weeks": pgettext("list separator", "; ").join(row.text for row in rows),
    }
    return Trend(
        name=name,
        definition=definition,
        now=summary.duration_text(values[-1]),
        chart=charts.sparkline(f"dash-{name.lower()}", sentence, values),
        weeks=rows,
        summary=sentence,
    )


def trend_panel(page: DashboardPage) -> tuple[str, dict[str, Any]] | None:
    """MTTA and MTTR of the last TREND_WEEKS weeks (one query), for responders."""
    if not page.user.has_org_role(OrgRole.RESPONDER):
        return None
    weeks = live.weekly(TREND_WEEKS, clock.now())
    this_week = weeks[-1].means
    return "reports/_dashboard_trend.html", {
        "trends": [
            _trend(
                "MTTA",
                str(DEFINITIONS["mtta"]),
                weeks,
                [w.means.mtta for w in weeks],
            ),
            _trend(
                "MTTR",
                str(DEFINITIONS["mttr"]),
                weeks,
                [w.means.mttr for w in weeks],
            ),
        ],
        "trend_week": weeks[-1].monday,
        "trend_weeks": TREND_WEEKS,
        "trend_incidents": this_week.incidents,
    }


def followups_panel(page: DashboardPage) -> tuple[str, dict[str, Any]] | None:
    """How many follow-ups are overdue and the most overdue few (four queries)."""
    if not page.user.has_org_role(OrgRole.RESPONDER):
        return None
    overdue = followup_queries.FollowUpFilter(overdue=True)
    found = followup_queries.filter_followups(overdue, viewer=page.user)
    today = followup_queries.today()
    # The few first by id alone (from the status and due date index), then their details:
    # joining every overdue follow-up's details before sorting would cost more than the rest
    # of the dashboard when thousands are overdue.
    first = list(found.values_list("pk", flat=True)[:DASHBOARD_SHOWN])
    every = followup_queries.filter_followups(followup_queries.FollowUpFilter(), viewer=page.user)
    shown = list(every.filter(pk__in=first))
    return "reports/_dashboard_followups.html", {
        "overdue_followups": [(f, (today - f.due_date).days if f.due_date else 0) for f in shown],
        **_capped(found, "overdue_followup_count"),
    }


def risks_panel(page: DashboardPage) -> tuple[str, dict[str, Any]] | None:
    """How many open risks are due for a visit this week, and the first few (two queries)."""
    if not page.user.has_org_role(OrgRole.RESPONDER):
        return None
    found = risk_queries.visits_due()
    today = risk_queries.today()
    shown = list(found[:DASHBOARD_SHOWN])
    return "reports/_dashboard_risks.html", {
        "due_risks": [(r, (today - r.next_visit).days if r.next_visit else 0) for r in shown],
        **_capped(found, "due_risk_count"),
    }


def _capped(found: QuerySet[Any], name: str) -> dict[str, Any]:
    """How many (counting at most COUNT_CAP + 1 rows) as `name`, and `name`_more past the
    cap, for the page to write "999+"."""
    counted = found.order_by()[: COUNT_CAP + 1].count()
    return {name: min(counted, COUNT_CAP), f"{name}_more": counted > COUNT_CAP}
