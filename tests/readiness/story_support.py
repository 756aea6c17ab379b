"""The world of issue 14's story, set up through the API for both the API story and the
browser story: team payments with its on-call, the Checkout service paging it, response areas
with an owner on leave, an automation rule for drills, break reminders after 90 minutes and a
drill scenario."""

from dataclasses import dataclass
from typing import Any

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from tests.areas.support import set_chain
from tests.conftest import Api, make_user
from tests.notify.support import add_rule, create_policy, step
from tests.readiness.support import schedule, timeline, unreachable

STANDARD_POSITIONS = [
    "Commander",
    "Investigator",
    "First aid",
    "Impact assessor",
    "Root-fix owner",
    "Scribe",
    "Bridge",
]
SCENARIO_TITLE = "決済が失敗する / Checkout payments fail"
RULE_NAME = "訓練：当番を記録係に / Drills: a scribe from the on-call"
BREAK_AFTER_MINUTES = 90


@dataclass
class Story:
    primary: int  # the payments primary schedule
    rule: int
    scenario: int


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.json()
    return response.json()


def texts(api: Api, ref: str) -> list[str]:
    """The incident's timeline in English, oldest first."""
    return [entry["text"] for entry in timeline(api, ref)]


def move(api: Api, ref: str, *statuses: str) -> None:
    for to in statuses:
        ok(api.post(f"/incidents/{ref}/transitions", {"to": to}))


def prepare(admin_api: Api, service: Service, responder: User) -> Story:
    """Team payments (with `responder`): aoi is on call this week and reachable; ana takes
    over on Sunday and nothing can reach her; a second schedule only starts on Friday. The
    Checkout service pages the primary schedule. System is owned by oto (on leave from
    Tuesday to Sunday), then ken and mei; Bridge is mei's alone; the customer areas have
    nobody. A rule makes the on-call the scribe of every SEV2 drill and files a follow-up;
    SEV2 incidents remind their responders to take a break after 90 minutes."""
    team = service.team
    assert team is not None
    aoi = make_user("aoi", "responder")
    ana = unreachable("ana")
    for member in (responder, aoi, ana):
        accounts.add_member(team, member)
    for name in ("oto", "ken", "mei"):
        make_user(name, "responder")
    add_rule(admin_api, aoi, "email")
    # Weekly shifts from Sunday 2026-11-22 09:00 in Tokyo: aoi until the 29th, then ana.
    primary = schedule(admin_api, "payments", ["aoi", "ana"], start="2026-11-22")
    schedule(admin_api, "payments", ["aoi"], start="2026-11-27", name="payments secondary")
    policy = create_policy(admin_api, "Checkout on-call", [step(("schedule", primary))])
    ok(admin_api.patch(f"/services/{service.pk}", {"escalation_policy": policy["id"]}))

    set_chain(admin_api, "system", "oto", ["ken", "mei"])
    set_chain(admin_api, "bridge", "mei", [])
    leave = {
        "user": "oto",
        "starts_at": "2026-11-24T00:00:00+09:00",
        "ends_at": "2026-11-30T00:00:00+09:00",
        "note": "Paid leave",
    }
    ok(admin_api.post("/absences", leave), 201)

    rule = {
        "name": RULE_NAME,
        "event": "declared",
        "drill": "yes",
        "severities": [2],
        "actions": [
            {"kind": "assign_role", "role": "scribe", "schedule": primary},
            {"kind": "create_followup", "title": "Review how the drill paged"},
        ],
    }
    care = {"severity": 2, "after_minutes": BREAK_AFTER_MINUTES, "every_minutes": 120}
    ok(admin_api.post("/care-settings", care))
    scenario = {
        "title": SCENARIO_TITLE,
        "description": "Card payments time out for most customers.",
        "severity": 2,
        "team": "payments",
        "services": ["checkout"],
        "fake_alerts": [{"title": "5xx rate above 5% on checkout"}],
        "events": [
            {"offset_minutes": 10, "kind": "note", "text": "Customers report failed payments."}
        ],
    }
    return Story(
        primary=primary,
        rule=ok(admin_api.post("/automation-rules", rule), 201)["id"],
        scenario=ok(admin_api.post("/drill-scenarios", scenario), 201)["id"],
    )
