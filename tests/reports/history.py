"""A small incident history with known answers, built through the actions with the movable
clock (2026-11-25 01:00 UTC onwards, inside the fourth quarter of 2026):

- INC A, payments: acknowledged after 5 min, commander at 10 min, mitigated at 30 min,
  resolved at 60 min (SEV2). Retrospective required, published in time.
- INC B, payments, a day later: acknowledged after 15 min, resolved at 3 h (SEV3).
  Retrospective required, due a day after resolving, never published: late.
- INC C, search, two days later: acknowledged after 1 min, still open (SEV2).
- a drill (search) and a false alarm (payments): left out of every figure.

Follow-ups of A: one done, one open and overdue; of B: one open, due later."""

from dataclasses import dataclass
from datetime import date, timedelta

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import Team, User
from kizuki.followups import actions as followups
from kizuki.incidents import actions as incidents
from kizuki.incidents.models import Incident
from kizuki.retros import actions as retros
from tests.conftest import Api, MovableClock
from tests.retros.domain_support import ok

PERIOD = ("2026-10-01", "2026-12-31")
# Seconds, computed by hand from the story above.
TTA = {"A": 5 * 60, "B": 15 * 60, "C": 60}
TTR = {"A": 60 * 60, "B": 3 * 3600}


@dataclass
class History:
    a: Incident
    b: Incident
    c: Incident


def _team(slug: str) -> Team:
    return Team.objects.filter(slug=slug).first() or accounts.create_team(slug, slug.title())


def _report(actor: User, title: str, team_slug: str, is_drill: bool = False) -> Incident:
    return incidents.report_incident(
        actor, title, team=_team(team_slug), page_on_call=False, is_drill=is_drill
    )


def _publish_retrospective(api: Api, ref: str) -> None:
    ok(api.post(f"/incidents/{ref}/retrospective", {"template": "incident-review"}), 201)
    sections = {"prevention": "Canary every deploy.", "response-reflection": "Paging was fast."}
    ok(api.patch(f"/incidents/{ref}/retrospective", {"sections": sections}))
    for to in ("in_review", "published"):
        ok(api.post(f"/incidents/{ref}/retrospective/transitions", {"to": to}))


def build(api: Api, clock: MovableClock) -> History:
    """`api` talks as a responder; the actions run as that person."""
    actor = api.user
    assert actor is not None
    start = clock.now
    a = _report(actor, "Checkout fails", "payments")
    clock.advance(minutes=5)
    a = incidents.transition(actor, a, "acknowledged")
    clock.advance(minutes=5)
    incidents.assign_role(actor, a, "incident_commander", actor)
    a = incidents.transition(actor, a, "declared", severity=2)
    clock.advance(minutes=20)
    a = incidents.transition(actor, a, "mitigated")
    clock.advance(minutes=30)
    a = incidents.transition(actor, a, "resolved")
    retros.require_retrospective(actor, a, due_at=clock.now + timedelta(days=5))
    _publish_retrospective(api, a.ref)
    done = followups.create_followup(
        actor, a, {"title": "Add a canary", "due_date": date(2026, 12, 20)}
    )
    followups.update_followup(actor, done, {"status": "done"})
    followups.create_followup(
        actor, a, {"title": "Alert on pool use", "due_date": date(2026, 11, 26)}
    )

    clock.now = start + timedelta(days=1)
    clock.advance()
    b = _report(actor, "Search is slow", "payments")
    clock.advance(minutes=15)
    b = incidents.transition(actor, b, "acknowledged")
    b = incidents.transition(actor, b, "declared", severity=3)
    clock.advance(minutes=165)
    b = incidents.transition(actor, b, "resolved")
    retros.require_retrospective(actor, b, due_at=clock.now + timedelta(days=1))
    followups.create_followup(actor, b, {"title": "Tune the index", "due_date": date(2026, 12, 24)})

    clock.now = start + timedelta(days=2)
    clock.advance()
    c = _report(actor, "Login errors", "search")
    clock.advance(minutes=1)
    c = incidents.transition(actor, c, "acknowledged")
    c = incidents.transition(actor, c, "declared", severity=2)

    drill = _report(actor, "Game day", "search", is_drill=True)
    clock.advance(seconds=1)
    incidents.transition(actor, drill, "acknowledged")
    false_alarm = _report(actor, "Flaky probe", "payments")
    incidents.transition(actor, false_alarm, "false_alarm")
    clock.advance(days=1)  # now 2026-11-28 01:01 UTC: B's retrospective is past due
    return History(a, b, c)
