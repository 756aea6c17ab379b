"""A demo regulator-ready report, built through the reports app's actions: last month's
payment slowdown (SEV2) had its initial report (第一報) submitted within the hour, and its
final report is drafted from the retrospective, waiting to be checked."""

from collections.abc import Callable
from datetime import datetime

from django.utils import translation

from kizuki.accounts.models import User
from kizuki.incidents.models import Incident
from kizuki.reports import regulatory_actions as regulatory


def load(users: dict[str, User], payment: Incident, at: Callable[[float], datetime]) -> None:
    with translation.override("ja"):
        at(24 * 30 - 1.5)
        initial = regulatory.prepare(users["tanaka"], payment, "initial")
        regulatory.edit_sections(
            users["tanaka"],
            initial,
            {"response": "決済APIの接続数を増やし、遅延は解消した。お客さまへの影響は解消済み。"},
        )
        at(24 * 30 - 1.8)
        regulatory.record_submission(users["tanaka"], initial)
        at(24 * 20)
        regulatory.prepare(users["tanaka"], payment, "final")
