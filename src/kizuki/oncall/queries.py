"""Reads for escalation policies and running escalations."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from kizuki.core.errors import NotFound
from kizuki.core.sql import fetch, fetch_by, marks, remember, table
from kizuki.oncall.models import (
    Escalation,
    EscalationEvent,
    EscalationPolicy,
    EscalationStep,
    Page,
    StepTarget,
    TargetKind,
)

PAGE_SIZE_MAX = 200


def policies() -> QuerySet[EscalationPolicy]:
    """Policies with their steps and targets loaded in a fixed number of queries."""
    targets = StepTarget.objects.select_related("user", "schedule", "team").order_by("id")
    steps = EscalationStep.objects.order_by("position").prefetch_related(
        Prefetch("targets", targets)
    )
    return (
        EscalationPolicy.objects.select_related("team")
        .prefetch_related(Prefetch("steps", steps))
        .order_by("name")
    )


def policy_steps(policy_id: int) -> EscalationPolicy:
    """One policy with its steps and their targets (ids only), in three queries."""
    return with_steps(EscalationPolicy.objects.get(pk=policy_id))


def with_steps(policy: EscalationPolicy) -> EscalationPolicy:
    """The policy read by the caller, with its steps and their targets (ids only) added in
    two queries: what an escalation's snapshot needs, for every alert group that opens (so
    written out: the ORM took longer to build them than the database to run them)."""
    steps = fetch(EscalationStep, "WHERE policy_id = %s ORDER BY position", [policy.pk])
    target = table(StepTarget)
    ids = [step.pk for step in steps]
    targets: dict[int, list[StepTarget]] = {}
    if ids:  # an empty IN () is not SQL everywhere
        targets = fetch_by(
            f"{target}.step_id",
            StepTarget,
            f"WHERE {target}.step_id IN ({marks(ids)}) ORDER BY {target}.id",
            ids,
        )
    remember(policy, "steps", steps)
    for step in steps:
        remember(step, "targets", targets.get(step.pk, []))
    return policy


def policy_choices() -> QuerySet[EscalationPolicy]:
    """Every policy, for another app's form to choose from."""
    return EscalationPolicy.objects.all()


def get_policy(policy_id: int) -> EscalationPolicy:
    policy = policies().filter(pk=policy_id).first()
    if policy is None:
        raise NotFound(_("No escalation policy %(id)s.") % {"id": policy_id})
    return policy


def describe_target(target: StepTarget) -> dict[str, Any]:
    """A target as the API names it: the id a person would type, and a label to show."""
    match target.kind:
        case TargetKind.USER if target.user:
            return {"type": target.kind, "id": target.user.username, "label": target.user.username}
        case TargetKind.SCHEDULE if target.schedule:
            return {"type": target.kind, "id": target.schedule.pk, "label": target.schedule.name}
        case TargetKind.TEAM if target.team:
            return {"type": target.kind, "id": target.team.slug, "label": target.team.name}
        case TargetKind.CHANNEL:
            return {"type": target.kind, "id": target.channel, "label": target.channel}
    return {"type": target.kind, "id": None, "label": str(TargetKind(target.kind).label)}


def describe_policy(policy: EscalationPolicy) -> dict[str, Any]:
    return {
        "name": policy.name,
        "team": policy.team.slug if policy.team else None,
        "repeat": policy.repeat,
        "steps": [
            {
                "wait_minutes": step.wait_minutes,
                "targets": [describe_target(target) for target in step.targets.all()],
            }
            for step in policy.steps.all()
        ],
    }


def get_escalation(escalation_id: int) -> Escalation:
    escalation = Escalation.objects.filter(pk=escalation_id).first()
    if escalation is None:
        raise NotFound(_("No escalation %(id)s.") % {"id": escalation_id})
    return escalation


def history(escalation: Escalation) -> list[EscalationEvent]:
    return list(escalation.events.select_related("user"))


def pages(escalation: Escalation) -> list[Page]:
    return list(escalation.pages.select_related("user").order_by("created_at", "id"))


def escalations_paging(user_id: int) -> QuerySet[Page, Any]:
    """The escalations that paged the person, as a subquery of escalation ids (incidents
    count the people paged for an incident among its participants)."""
    return Page.objects.filter(user_id=user_id).values("escalation_id")
