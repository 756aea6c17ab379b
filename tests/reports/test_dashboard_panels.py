"""The reports' panels on the dashboard, read by a responder through the web client: the
MTTA/MTTR trend of the last eight weeks, the overdue follow-ups and the risks due for a visit,
with numbers known from tests/reports/dashboard_story.py."""

import re
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kizuki.accounts.models import User
from kizuki.followups import actions as followups
from kizuki.incidents import actions as incidents
from kizuki.incidents.models import Incident
from kizuki.reports import charts, dashboard_views
from kizuki.risks import actions as risks
from tests.conftest import Api, MovableClock
from tests.reports.dashboard_story import build_story

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def dashboard(client: Client, language: str = "en") -> str:
    response = client.get("/", headers={"Accept-Language": language})
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, css: str) -> str:
    found = re.search(rf'<section class="card {css}.*?</section>', html, re.S)
    assert found, css
    return found.group(0)


@pytest.fixture
def story(responder: User, responder_api: Api, frozen_clock: MovableClock) -> Client:
    build_story(responder, responder_api, frozen_clock)
    client = Client()
    client.force_login(responder)
    return client


def test_the_trend_shows_this_week_and_eight_weeks_of_bars(story: Client) -> None:
    html = section(dashboard(story), "dash-trend")
    text = text_of(html)
    assert "This week (from 2026-11-23): 3 incidents" in text
    # (5 + 15 + 1) / 3 = 7 min; (60 + 180) / 2 = 2 h.
    assert "MTTA 7 min" in text
    assert "MTTR 2 h 00 min" in text
    # Two charts drawn by the charting library, titled with their numbers as a sentence.
    svgs = re.findall(r"<svg .*?</svg>", html, re.S)
    assert len(svgs) == 2
    assert all('role="img"' in svg and "<rect" not in svg.split("</title>")[0] for svg in svgs)
    assert re.search(
        r'<title id="dash-mtta-title">MTTA by week, oldest first: Week of 2026-10-05: no incident;'
        r".*Week of 2026-11-09: 20 min;.*</title>",
        svgs[0],
    )
    for svg in svgs:  # one bar per week
        assert len(re.findall(r'<g id="dash-mt\w\w-bar-\d"', svg)) == 8
    # The same numbers as text, week by week.
    assert "Week of 2026-11-09: 20 min" in text
    assert "Week of 2026-11-09: 40 min" in text
    assert "Week of 2026-11-16: no incident" in text
    assert "Week of 2026-10-05: no incident" in text  # the oldest of eight
    assert "Week of 2026-11-23: 2 h 00 min" in text
    assert 'href="/reports/"' in html


def bar_heights(svg: str) -> list[float]:
    """Each bar's height in the SVG's units, oldest week first (matplotlib draws a bar as a
    closed path: its two vertical sides are the height)."""
    heights = []
    for path in re.findall(r'<g id="[\w-]+-bar-\d">.*?<path d="([^"]+)"', svg, re.S):
        ys = [float(y) for y in re.findall(r"[ML] [\d.]+ ([\d.]+)", path)]
        heights.append(max(ys) - min(ys))
    return heights


def test_the_tallest_bar_is_the_slowest_week(story: Client) -> None:
    html = section(dashboard(story), "dash-trend")
    mtta, mttr = (bar_heights(svg) for svg in re.findall(r"<svg .*?</svg>", html, re.S))
    assert len(mtta) == len(mttr) == 8
    assert max(mtta) == mtta[5]  # 20 min, the slowest week: full height
    assert mtta[7] == pytest.approx(mtta[5] * 7 / 20, rel=0.02)
    assert max(mttr) == mttr[7]
    assert mttr[5] == pytest.approx(mttr[7] * 40 / 120, rel=0.02)
    assert 0 < mtta[6] < mtta[5] / 10  # a week without incidents: a thin mark


def test_the_charts_are_drawn_once_for_the_same_numbers(story: Client) -> None:
    cache.clear()
    dashboard(story)
    drawn = dict(charts.DRAWN)
    again = dashboard(story)
    assert drawn == charts.DRAWN  # the second time from the cache
    assert len(re.findall(r"<svg .*?</svg>", section(again, "dash-trend"), re.S)) == 2
    dashboard(story, "ja")  # another language: drawn again (its title is Japanese)
    assert charts.DRAWN["sparkline"] == drawn["sparkline"] + 2


def test_overdue_followups_list_the_most_overdue_with_links(
    story: Client, responder: User, frozen_clock: MovableClock
) -> None:
    html = section(dashboard(story), "dash-followups")
    assert 'Overdue follow-ups <span class="count">1</span>' in html
    assert "Alert on pool use" in text_of(html)
    assert "2 days late" in text_of(html)  # due 2026-11-26, today 2026-11-28 in Tokyo
    assert re.search(r'href="/followups/\d+/"', html)
    assert 'href="/incidents/INC-' in html


def test_more_than_five_overdue_followups_link_to_the_list(
    story: Client, responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    incident = Incident.objects.get(title="Search is slow")
    frozen_clock.advance(days=-10)
    for n in range(6):
        followups.create_followup(
            responder, incident, {"title": f"Fix {n}", "due_date": date(2026, 11, 20 + n)}
        )
    frozen_clock.advance(days=10)
    html = section(dashboard(story), "dash-followups")
    titles = re.findall(r'<a href="/followups/\d+/">([^<]+)</a>', html)
    assert titles == ["Fix 0", "Fix 1", "Fix 2", "Fix 3", "Fix 4"]  # most overdue first
    assert "See all 7 overdue follow-ups" in text_of(html)
    assert 'href="/followups/?overdue=on"' in html


def test_risks_due_for_a_visit(story: Client) -> None:
    html = section(dashboard(story), "dash-risks")
    text = text_of(html)
    assert 'Risks due for a visit <span class="count">3</span>' in html
    assert text.index("Single database primary") < text.index("Far away risk")
    assert "17 days late" in text  # due 2026-11-11
    assert "Certificate renewal" in text
    assert "2026-11-30" in text
    assert "Not yet" not in text
    assert re.search(r'href="/risks/\d+/"', html)


def test_japanese(story: Client) -> None:
    html = dashboard(story, "ja")
    text = text_of(html)
    assert "週ごとの対応時間" in text
    assert "今週（2026-11-23から）：3件" in text
    assert "期限切れのフォローアップ" in text
    assert "2日遅れ" in text
    assert "確認時期が来たリスク" in text


def test_viewers_do_not_get_the_panels(story: Client, viewer: User) -> None:
    client = Client()
    client.force_login(viewer)
    assert "dash-trend" not in dashboard(client)


def test_a_fixed_number_of_queries(
    story: Client, responder: User, frozen_clock: MovableClock
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            dashboard(story)
        return len(queries)

    before = count()
    for n in range(5):
        frozen_clock.advance(hours=1)
        incident = incidents.report_incident(responder, f"More {n}", page_on_call=False)
        incidents.transition(responder, incident, "acknowledged")
        followups.create_followup(
            responder, incident, {"title": f"Late {n}", "due_date": date(2026, 11, 27)}
        )
        risks.create_risk(responder, {"title": f"Risk {n}", "next_visit": date(2026, 11, 29)})
    frozen_clock.advance(days=1)
    assert count() == before


def test_an_empty_dashboard(responder: User, frozen_clock: MovableClock) -> None:
    client = Client()
    client.force_login(responder)
    html = dashboard(client)
    assert "No follow-up is overdue." in html
    assert "No risk is due for a visit this week." in html
    assert "This week (from 2026-11-23): 0 incidents" in text_of(html)
    assert html.count(": no incident</li>") == 16
    assert len(re.findall(r"<svg .*?</svg>", section(html, "dash-trend"), re.S)) == 2


def test_counts_stop_at_the_cap(story: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past COUNT_CAP the panels say "N+" and link to the whole list without a number (the
    cap is lowered here instead of making a thousand risks)."""
    monkeypatch.setattr(dashboard_views, "COUNT_CAP", 2)
    html = dashboard(story)
    risks_ = section(html, "dash-risks")
    assert '<span class="count">2+</span>' in risks_
    assert "See all risks due" in text_of(risks_)
    assert '<span class="count">1</span>' in section(html, "dash-followups")
