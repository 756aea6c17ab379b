"""The dashboard's story: the history of tests/reports/history.py (the week of 2026-11-23)
with an incident two weeks earlier and risks due for a visit, for the panel tests and the
browser's screenshots."""

from datetime import UTC, date, datetime

from kizuki.accounts.models import User
from kizuki.incidents import actions as incidents
from kizuki.risks import actions as risks
from tests.conftest import Api, MovableClock
from tests.reports.history import build


def build_story(responder: User, responder_api: Api, frozen_clock: MovableClock) -> None:
    """An incident in the week of 2026-11-09 (acknowledged after 20 min, resolved at 40 min),
    risks whose visits fell due on 2026-11-11 and 2026-11-24, then the history; then a risk
    due on 2026-11-30 and one due later. The clock ends on 2026-11-28 01:01 UTC (Saturday in
    Tokyo)."""
    start = frozen_clock.now
    frozen_clock.now = datetime(2026, 11, 10, 1, 0, tzinfo=UTC)
    frozen_clock.advance()
    old = incidents.report_incident(responder, "Old outage", page_on_call=False)
    frozen_clock.advance(minutes=20)
    old = incidents.transition(responder, old, "acknowledged")
    old = incidents.transition(responder, old, "declared", severity=3)
    frozen_clock.advance(minutes=20)
    incidents.transition(responder, old, "resolved")
    risks.create_risk(
        responder, {"title": "Single database primary", "next_visit": date(2026, 11, 11)}
    )
    risks.create_risk(responder, {"title": "Far away risk"})  # due 2026-11-24: past by then
    frozen_clock.now = start
    frozen_clock.advance()
    build(responder_api, frozen_clock)
    risks.create_risk(responder, {"title": "Certificate renewal", "next_visit": date(2026, 11, 30)})
    risks.create_risk(responder, {"title": "Not yet"})  # due in 14 days: not this week
