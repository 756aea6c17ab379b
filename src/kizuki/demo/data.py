"""Demo data: two teams, a few services, a user per role, incidents in every state, and
paging on checkout (an on-call schedule, an escalation policy, notification rules, an
Alertmanager integration and alert groups firing, acknowledged and resolved), and
retrospectives (one published, one in review) with their follow-ups.

Built only through the apps' actions, with the clock set back so the history looks real."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.catalog import actions as catalog
from kizuki.core import clock
from kizuki.demo import learning, paging
from kizuki.incidents import actions as incidents
from kizuki.incidents import queries as incident_queries
from kizuki.incidents import timeline_actions
from kizuki.incidents.models import Incident

DEMO_USERS = [
    ("admin", "admin", "管理者 Admin"),
    ("sato", "responder", "佐藤 Sato"),
    ("tanaka", "responder", "田中 Tanaka"),
    ("emma", "responder", "Emma Clark"),
    ("suzuki", "viewer", "鈴木 Suzuki (CS)"),
]


@dataclass
class DemoLogin:
    username: str
    password: str
    token: str
    alertmanager_url: str


def _classify(actor: User, incident: Incident, cause: str) -> None:
    """Give an incident its cause category, as a responder does once the cause is known."""
    incidents.update_incident(
        actor, incident, {"cause_category": incident_queries.cause_category(cause)}
    )


def is_loaded() -> bool:
    return User.objects.filter(username="admin").exists()


@transaction.atomic
def load() -> DemoLogin:
    """All or nothing: a failure half-way leaves no demo users behind."""
    password = secrets.token_urlsafe(12)
    start = clock.now()
    users = {
        name: accounts.create_user(
            name,
            role,
            password=password if name == "admin" else None,
            email=f"{name}@example.com",
            display_name=display,
        )
        for name, role, display in DEMO_USERS
    }
    for name in ("sato", "tanaka", "emma", "suzuki"):
        accounts.set_password(users[name], password)
    sre = accounts.create_team("sre", "SRE")
    payments = accounts.create_team("payments", "決済チーム Payments")
    for name in ("sato", "emma"):
        accounts.add_member(sre, users[name])
    accounts.add_member(payments, users["tanaka"], is_lead=True)
    checkout = catalog.create_service("checkout", "決済 Checkout", payments)
    catalog.create_service("ledger", "残高台帳 Ledger", payments)
    search = catalog.create_service("search", "検索 Search", sre)
    gateway = catalog.create_service("api-gateway", "API Gateway", sre)

    def at(hours_ago: float) -> datetime:
        clock.set_now(moment := start - timedelta(hours=hours_ago))
        return moment

    # frozen_at puts back whatever clock was in force (a test's pinned time, or the real one).
    with clock.frozen_at(start):
        at(30)
        login = incidents.report_incident(
            users["emma"],
            "Login errors after the 14:00 deploy",
            "About 5% of logins return HTTP 500 since the deploy.",
            services=[gateway],
        )
        incidents.transition(users["emma"], login, "declared", severity=2)
        incidents.assign_role(users["emma"], login, "incident_commander", users["emma"])
        at(29.5)
        incidents.transition(users["emma"], login, "mitigated", note="Rolled back the deploy.")
        at(28)
        incidents.transition(users["emma"], login, "resolved")
        learning.load(users, login, checkout, payments, at)

        at(3)
        payment = incidents.report_incident(
            users["suzuki"],
            "決済APIのタイムアウトが増加",
            "お客さまから「支払いが完了しない」という問い合わせが続いています。",
            services=[checkout],
            impact_scope=3,
            impact_effect=3,
        )
        at(2.9)
        incidents.transition(users["sato"], payment, "declared", severity=2)
        incidents.assign_role(users["sato"], payment, "incident_commander", users["sato"])
        incidents.assign_role(users["sato"], payment, "scribe", users["tanaka"])
        incidents.assign_role(users["sato"], payment, "bridge", users["suzuki"])
        timeline_actions.add_timeline_entry(
            users["tanaka"],
            payment,
            "決済APIのp99レイテンシが3秒を超えるアラートを確認",
            start - timedelta(hours=3.2),
        )
        at(2.5)
        timeline_actions.post_status_update(
            users["sato"],
            payment,
            "原因を調査中です。決済の約10%がタイムアウトしています。",
            start + timedelta(minutes=30),
        )

        at(1)
        push = incidents.report_incident(
            users["tanaka"], "プッシュ通知の遅延", "通知が最大15分遅れて届いています。"
        )
        incidents.transition(users["tanaka"], push, "declared", severity=3)
        at(0.5)
        _classify(
            users["tanaka"],
            incidents.transition(
                users["tanaka"], push, "mitigated", note="キューのワーカーを増やした"
            ),
            "capacity",
        )

        at(0.3)
        incidents.report_incident(
            users["suzuki"],
            "Search results are empty for some users",
            "Two customers say search shows nothing.",
            services=[search],
            # Scored but not triaged: its page suggests a severity (SEV4) on the declare step.
            impact_scope=1,
            impact_effect=1,
        )
        at(5)
        false_alarm = incidents.report_incident(
            users["suzuki"], "管理画面が開かない", "社内VPNの切断が原因でした。"
        )
        incidents.transition(users["sato"], false_alarm, "false_alarm", note="VPN の問題でした")
        at(48)
        drill = incidents.report_incident(
            users["sato"],
            "[Drill] Database failover rehearsal",
            "Quarterly failover drill.",
            is_drill=True,
        )
        incidents.transition(users["sato"], drill, "declared", severity=4)
        alertmanager_url = paging.load(users, payments, checkout, at)
    _, token = accounts.create_token(users["admin"], "demo")
    return DemoLogin("admin", password, token, alertmanager_url)
