"""The register's chart of total open priority, week by week, rebuilt from the history: a
risk counts from the week it was recorded, with the priority it had then, until it is done."""

import re

import pytest
from django.test import Client

from kizuki.accounts.models import User
from kizuki.risks.charts import open_priority_chart
from tests.conftest import Api, MovableClock
from tests.risks.support import ok, record


@pytest.mark.usefixtures("frozen_clock")
def test_the_total_follows_records_lowered_impacts_and_done_risks(
    responder_api: Api, responder: User, frozen_clock: MovableClock
) -> None:
    top = record(responder_api, "rate limit", potential_impact=6, likelihood=2)  # 12
    frozen_clock.advance(weeks=2)
    record(responder_api, "slow query", potential_impact=3, likelihood=1)  # +3
    frozen_clock.advance(weeks=2)
    ok(responder_api.patch(f"/risks/{top['id']}", {"potential_impact": 3, "reason": "cached"}))
    frozen_clock.advance(weeks=2)
    gone = record(responder_api, "old disk", potential_impact=10, likelihood=1)
    ok(responder_api.patch(f"/risks/{gone['id']}", {"status": "done", "reason": "replaced"}))
    frozen_clock.advance(weeks=1)
    chart = open_priority_chart()
    totals = [point.total for point in chart.points]
    assert len(totals) == 13
    assert totals[-8:] == [12, 12, 15, 15, 9, 9, 9, 9]
    assert totals[:5] == [0, 0, 0, 0, 0]
    assert chart.highest == 15
    page = Client(headers={"Accept-Language": "en"})
    page.force_login(responder)
    html = page.get("/risks/").content.decode()
    assert re.search(r'<polyline class="line" points="[\d., ]+">', html)
    assert "Now 9; 12 weeks ago 0." in html
