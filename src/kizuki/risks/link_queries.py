"""Reads for the links between risks and the retrospectives and follow-ups they came from."""

from kizuki.followups.models import FollowUp
from kizuki.retros.models import Retrospective
from kizuki.risks.models import Risk


def risks_of_followup(followup: FollowUp) -> list[Risk]:
    return list(followup.risks.select_related("owner").order_by("id"))


def risks_of_retrospective(retro: Retrospective) -> list[Risk]:
    return list(retro.risks.select_related("owner").order_by("id"))


def linked_retrospectives(risk: Risk) -> list[Retrospective]:
    return list(risk.retrospectives.select_related("incident").order_by("id"))


def linked_followups(risk: Risk) -> list[FollowUp]:
    return list(risk.followups.select_related("incident").order_by("id"))
