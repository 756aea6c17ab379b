"""Demo retrospectives: a published one (English) for the login incident and one in review
(Japanese) for last month's payment slowdown, each with a follow-up, so search, similar
incidents, the learnings digest and the follow-up lists have something to show. Built
through the apps' actions."""

from collections.abc import Callable
from datetime import datetime

from django.utils import translation

from kizuki.accounts.models import Team, User
from kizuki.catalog.models import Service
from kizuki.demo import regulatory as demo_regulatory
from kizuki.demo import risks as demo_risks
from kizuki.followups import actions as followups
from kizuki.incidents import actions as incidents
from kizuki.incidents import queries as incident_queries
from kizuki.incidents.models import Incident
from kizuki.retros import actions as retros
from kizuki.retros import review_actions
from kizuki.risks import link_actions as risk_links

LOGIN_SECTIONS = {
    "direct-cause": "The 14:00 deploy shipped a session-cookie change that the older login"
    " servers could not read; about 5% of logins failed with HTTP 500.",
    "interim-action": "Rolled the deploy back at 14:30; errors stopped within two minutes.",
    "root-cause": "The change assumed every server ran the new version at once. The deploy is"
    " rolling, so old and new servers served the same users for 20 minutes.",
    "permanent-fix": "Read both cookie formats for one release before writing the new one.",
    "prevention": "Add a CI check that runs the login tests against the previous release's"
    " servers (mixed-version test) before any deploy.",
    "response-reflection": "The rollback was quick because the commander decided it in the"
    " first ten minutes. We paged the wrong team first: the API gateway had no owner.",
}

PAYMENT_SECTIONS = {
    "direct-cause": "決済APIの接続プールが枯渇し、決済基盤への問い合わせがタイムアウトした。",
    "interim-action": "接続プールの上限を一時的に引き上げ、遅延していた決済を再処理した。",
    "root-cause": "月末のキャンペーンで決済が平常時の3倍になり、接続プールの上限を超えた。"
    "負荷試験は平常時の量でしか行っていなかった。",
    "permanent-fix": "接続プールの上限を負荷に応じて自動調整し、枯渇をアラートで検知する。",
    "prevention": "キャンペーン前に想定量の負荷試験を手順書に加え、CIで定期実行する。",
    "response-reflection": "障害の検知はお客さまからの問い合わせが先だった。"
    "決済の遅延を監視するアラートを追加する。",
}


def load(
    users: dict[str, User],
    login: Incident,
    checkout: Service,
    team: Team,
    at: Callable[[float], datetime],
) -> None:
    """`login` is resolved: its retrospective is published, then it closes. A month ago a
    payment slowdown on `checkout` was resolved, and its Japanese retrospective waits for
    review."""
    at(24 * 30)
    payment = incidents.report_incident(
        users["suzuki"],
        "月末キャンペーンで決済が遅延",
        "決済APIの応答が遅く、決済基盤への問い合わせがタイムアウトしています。",
        services=[checkout],
    )
    incidents.transition(users["tanaka"], payment, "declared", severity=2)
    incidents.assign_role(users["tanaka"], payment, "incident_commander", users["tanaka"])
    at(24 * 30 - 1)
    incidents.transition(users["tanaka"], payment, "mitigated", note="接続プールを拡張")
    at(24 * 30 - 2)
    incidents.transition(users["tanaka"], payment, "resolved")
    # Load beyond capacity, like the push delays today: the report's top recurring cause.
    incidents.update_incident(
        users["tanaka"], payment, {"cause_category": incident_queries.cause_category("capacity")}
    )
    # The login errors came with a release (see its retrospective).
    incidents.update_incident(
        users["emma"], login, {"cause_category": incident_queries.cause_category("change")}
    )
    # The retrospectives are pre-filled from the incidents as they are now.
    login = incident_queries.get_incident(login.number)
    payment = incident_queries.get_incident(payment.number)

    at(27)
    with translation.override("en"):
        retro = retros.start_retrospective(users["emma"], login, "incident-review")
    retros.update_retrospective(
        users["emma"], retro, {"sections": LOGIN_SECTIONS, "owner": users["emma"]}
    )
    retros.transition_retrospective(users["emma"], retro, "in_review")
    review_actions.request_reviews(users["emma"], retro, [users["sato"]])
    at(26)
    review_actions.give_review(users["sato"], retro, "approved", "Clear and honest. Thank you.")
    retros.transition_retrospective(users["emma"], retro, "published")
    followups.create_followup(
        users["emma"],
        login,
        {
            "title": "Add a CI check that runs the login tests against the previous release",
            "description": "Mixed-version test before every deploy of the login servers.",
            "owner": users["emma"],
            "kind": "prevent",
            "category": "bug_fix",
            "phase": "verification",
            "section": "prevention",
        },
    )
    at(25)
    incidents.transition(users["emma"], login, "closed")

    with translation.override("ja"):
        retro = retros.start_retrospective(users["tanaka"], payment, "incident-review")
    retros.update_retrospective(
        users["tanaka"], retro, {"sections": PAYMENT_SECTIONS, "owner": users["tanaka"]}
    )
    retros.transition_retrospective(users["tanaka"], retro, "in_review")
    review_actions.request_reviews(users["tanaka"], retro, [users["sato"]])
    # Written as many first drafts are: the quality check flags it on its page.
    campaign = followups.create_followup(
        users["tanaka"],
        payment,
        {"title": "キャンペーン前は負荷に注意する", "owner": users["tanaka"], "team": team},
    )
    # The payment slowdown's reports to the regulator (initial submitted, final drafted).
    demo_regulatory.load(users, payment, at)
    # What the reviews left watching: the System Risk Records (a risk may outlive its incident).
    demo_risks.load(users, login, at)
    # A follow-up that will take long, recorded as a risk in one click (linked both ways).
    risk_links.record_from_followup(users["tanaka"], campaign)
