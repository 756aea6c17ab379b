"""The only write path for escalation policies and for starting and stopping escalations.
(Running the steps and delivering pages is the engine's, in engine.py.)"""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kizuki.accounts.models import OrgRole, Team, User
from kizuki.accounts.queries import get_team, get_user
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import Conflict, InvalidInput
from kizuki.notify.queries import rules_by_user, rules_for
from kizuki.oncall.engine import step_users
from kizuki.oncall.history import log_event
from kizuki.oncall.models import (
    Escalation,
    EscalationPolicy,
    EscalationStatus,
    EscalationStep,
    EventKind,
    Page,
    PageStatus,
    StepTarget,
    TargetKind,
)
from kizuki.oncall.pages import pages_for
from kizuki.oncall.queries import describe_policy, policies, policy_steps, with_steps
from kizuki.schedules.models import Schedule

MAX_STEPS = 20
MAX_TARGETS = 50
MAX_REPEAT = 10
MAX_WAIT_MINUTES = 24 * 60
STOPPED = {EscalationStatus.ACKNOWLEDGED, EscalationStatus.RESOLVED}


def _schedule(ref: Any) -> Schedule:
    """A schedule by id (a number) or by name (a name made of digits wins over an id)."""
    found = None
    if isinstance(ref, int) and not isinstance(ref, bool):
        found = Schedule.objects.filter(pk=ref).first()
    elif isinstance(ref, str):
        text = ref.strip()
        found = Schedule.objects.filter(name=text).first()
        if found is None and text.isdecimal() and len(text) < 20:  # an id fits 19 digits
            found = Schedule.objects.filter(pk=int(text)).first()
    if found is None:
        raise InvalidInput(_("Unknown schedule %(schedule)s.") % {"schedule": ref})
    return found


def _target(spec: dict[str, Any]) -> StepTarget:
    kind, ref = spec.get("type"), spec.get("id")
    if kind not in TargetKind.values:
        raise InvalidInput(
            _("Unknown target type %(type)s; use one of %(types)s.")
            % {"type": kind, "types": ", ".join(TargetKind.values)}
        )
    if kind == TargetKind.EVERYONE:
        return StepTarget(kind=kind)
    if ref is None or str(ref).strip() == "":
        raise InvalidInput(_("A %(type)s target needs an id.") % {"type": kind})
    match kind:
        case TargetKind.USER:
            return StepTarget(kind=kind, user=get_user(str(ref)))
        case TargetKind.SCHEDULE:
            return StepTarget(kind=kind, schedule=_schedule(ref))
        case TargetKind.TEAM:
            return StepTarget(kind=kind, team=get_team(str(ref)))
    channel = str(ref).strip()
    if len(channel) > 200:
        raise InvalidInput(_("A channel name may be at most 200 characters."))
    return StepTarget(kind=kind, channel=channel)


def _clean(name: str, repeat: int, steps: list[dict[str, Any]]) -> tuple[str, list[Any]]:
    """Check everything before writing anything; returns the name and (wait, targets) pairs."""
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidInput(_("A policy needs a name of at most 200 characters."))
    if not 0 <= repeat <= MAX_REPEAT:
        raise InvalidInput(_("Repeat must be between 0 and %(max)s.") % {"max": MAX_REPEAT})
    if not 1 <= len(steps) <= MAX_STEPS:
        raise InvalidInput(_("A policy needs 1 to %(max)s steps.") % {"max": MAX_STEPS})
    cleaned = []
    for number, step in enumerate(steps, start=1):
        wait, targets = step.get("wait_minutes", 5), step.get("targets") or []
        if not isinstance(wait, int) or not 0 <= wait <= MAX_WAIT_MINUTES:
            raise InvalidInput(
                _("Step %(step)s: the wait must be 0 to %(max)s minutes.")
                % {"step": number, "max": MAX_WAIT_MINUTES}
            )
        if not 1 <= len(targets) <= MAX_TARGETS:
            raise InvalidInput(
                _("Step %(step)s needs 1 to %(max)s targets.")
                % {"step": number, "max": MAX_TARGETS}
            )
        cleaned.append((wait, [_target(target) for target in targets]))
    return name, cleaned


def _write_steps(policy: EscalationPolicy, steps: list[Any]) -> None:
    policy.steps.all().delete()
    for position, (wait, targets) in enumerate(steps):
        step = EscalationStep.objects.create(policy=policy, position=position, wait_minutes=wait)
        for target in targets:
            target.step = step
        StepTarget.objects.bulk_create(targets)


def _check_unique(name: str, policy: EscalationPolicy | None = None) -> None:
    others = EscalationPolicy.objects.filter(name=name)
    if policy is not None:
        others = others.exclude(pk=policy.pk)
    if others.exists():
        raise Conflict(_("An escalation policy named %(name)s already exists.") % {"name": name})


@transaction.atomic
def create_policy(
    actor: User | None,
    name: str,
    repeat: int = 0,
    steps: list[dict[str, Any]] | None = None,
    team: Team | None = None,
) -> EscalationPolicy:
    """steps: [{"targets": [{"type": "user|schedule|team|everyone|channel", "id": …}],
    "wait_minutes": N}]; ids are a username, schedule id or name, team slug, channel name."""
    name, cleaned = _clean(name, repeat, steps or [])
    _check_unique(name)
    policy = EscalationPolicy.objects.create(name=name, repeat=repeat, team=team)
    _write_steps(policy, cleaned)
    policy = policy_steps(policy.pk)
    record_audit(actor, "escalation_policy.create", policy, after=describe_policy(policy))
    return policy


@transaction.atomic
def update_policy(
    actor: User | None,
    policy: EscalationPolicy,
    name: str,
    repeat: int,
    steps: list[dict[str, Any]],
    *,
    team: Team | None = None,
) -> EscalationPolicy:
    """Replace the policy's settings and steps. Running escalations keep their snapshot."""
    policy = policies().select_for_update(of=("self",)).get(pk=policy.pk)
    before = describe_policy(policy)
    name, cleaned = _clean(name, repeat, steps)
    _check_unique(name, policy)
    policy.name, policy.repeat, policy.team = name, repeat, team
    policy.save()
    _write_steps(policy, cleaned)
    policy = policy_steps(policy.pk)
    record_audit(
        actor, "escalation_policy.update", policy, before=before, after=describe_policy(policy)
    )
    return policy


@transaction.atomic
def delete_policy(actor: User | None, policy: EscalationPolicy) -> None:
    """Refused while anything (a service, a routing rule) still pages through it: deleting
    would silently leave those alerts with nobody to page."""
    users = []
    for relation in EscalationPolicy._meta.related_objects:
        model = relation.related_model
        if not isinstance(model, type) or model in {EscalationStep, Escalation}:
            continue  # its own steps go with it; running escalations keep their snapshot
        count = model._default_manager.filter(**{relation.field.name: policy}).count()
        if count:
            users.append(f"{count} {model._meta.verbose_name_plural}")
    if users:
        raise Conflict(
            _("%(name)s is still used by %(users)s; choose another policy for them first.")
            % {"name": policy.name, "users": ", ".join(users)}
        )
    record_audit(actor, "escalation_policy.delete", policy, before=describe_policy(policy))
    policy.delete()


def _snapshot(policy: EscalationPolicy) -> dict[str, Any]:
    """The policy as the engine needs it: targets by primary key, so renames do not matter."""
    steps = []
    for step in policy.steps.all():
        targets = []
        for target in step.targets.all():
            ids = {
                TargetKind.USER: target.user_id,
                TargetKind.SCHEDULE: target.schedule_id,
                TargetKind.TEAM: target.team_id,
                TargetKind.CHANNEL: target.channel,
            }
            targets.append({"type": target.kind, "id": ids.get(TargetKind(target.kind))})
        steps.append({"wait_minutes": step.wait_minutes, "targets": targets})
    return {"policy_id": policy.pk, "name": policy.name, "repeat": policy.repeat, "steps": steps}


def _clean_text(title: str, link: str, ack_link: str) -> str:
    title = " ".join(title.split())[:500]
    if not title:
        raise InvalidInput(_("An escalation needs a title."))
    if len(link) > 500 or len(ack_link) > 500:
        raise InvalidInput(_("Links may be at most 500 characters."))
    return title


# No savepoint of its own (alert intake opens groups at this rate): a caller that catches
# an error from here must hold a savepoint itself.
@transaction.atomic(savepoint=False)
def start_escalation(
    policy: EscalationPolicy,
    title: str,
    summary: str = "",
    link: str = "",
    ack_link: str = "",
    *,
    first_step_only: bool = False,
) -> Escalation:
    """Start paging through `policy`; the worker runs the first step at once. With
    `first_step_only` (a test page) only the first step runs, once."""
    policy = with_steps(policy)
    if not policy.steps.all():
        raise InvalidInput(_("%(name)s has no steps.") % {"name": policy.name})
    now = clock.now()
    snapshot = _snapshot(policy)
    if first_step_only:
        snapshot.update(steps=snapshot["steps"][:1], repeat=0)
    escalation = Escalation.objects.create(
        title=_clean_text(title, link, ack_link),
        summary=summary.strip(),
        link=link,
        ack_link=ack_link,
        policy=policy,
        policy_snapshot=snapshot,
        next_due_at=now,
        started_at=now,
    )
    log_event(escalation, EventKind.TRIGGERED, policy=policy.name)
    return escalation


def _stop(escalation: Escalation, now: Any) -> int:
    """Stop the steps and cancel what has not gone out; the token tells late work it is stale."""
    escalation.token += 1
    escalation.next_due_at = None
    escalation.stopped_at = now
    escalation.save()
    return Page.objects.filter(escalation=escalation, status=PageStatus.PENDING).update(
        status=PageStatus.CANCELLED
    )


@transaction.atomic
def acknowledge_escalation(escalation: Escalation, user: User | None) -> Escalation:
    """Someone is on it: no more steps, no more pages. Acknowledging twice changes nothing."""
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if escalation.status in STOPPED:
        return escalation
    now = clock.now()
    escalation.status = EscalationStatus.ACKNOWLEDGED
    escalation.acknowledged_at, escalation.acknowledged_by = now, user
    cancelled = _stop(escalation, now)
    log_event(escalation, EventKind.ACKNOWLEDGED, user, cancelled=cancelled)
    return escalation


@transaction.atomic
def resolve_escalation(escalation: Escalation, user: User | None = None) -> Escalation:
    """The problem is gone (also after an acknowledgement). Resolving twice changes nothing."""
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if escalation.status == EscalationStatus.RESOLVED:
        return escalation
    now = clock.now()
    escalation.status = EscalationStatus.RESOLVED
    cancelled = _stop(escalation, now)
    log_event(escalation, EventKind.RESOLVED, user, cancelled=cancelled)
    return escalation


@transaction.atomic
def send_test_page(actor: User, user: User) -> Escalation:
    """Page `user` through every one of their rules at once, by the same worker, channels and
    retries as a real page; the result is recorded as an escalation of its own."""
    rules = rules_for(user)
    if not rules and not user.email:
        raise InvalidInput(
            _("%(username)s has no notification rules and no e-mail address.")
            % {"username": user.username}
        )
    now = clock.now()
    escalation = Escalation.objects.create(
        title=_("Test notification for %(username)s") % {"username": user.username},
        summary=_("This is a test. If you can read it, Kizuki can reach you this way."),
        policy_snapshot={"test": True, "name": "", "repeat": 0, "steps": []},
        # No steps to run; pages still go out because nobody acknowledged (see the engine).
        status=EscalationStatus.EXHAUSTED,
        started_at=now,
    )
    log_event(escalation, EventKind.TRIGGERED, actor, test=True, paged=user.username)
    pages = pages_for(
        escalation, user, rules, step_index=0, repetition=0, now=now, use_delays=False
    )
    Page.objects.bulk_create(pages)
    record_audit(actor, "notification.test", user, after={"escalation": escalation.pk})
    return escalation


@transaction.atomic
def page_people(
    title: str,
    users: list[User],
    teams: list[Team],
    *,
    summary: str = "",
    link: str = "",
    name: str = "",
    ack_link: str = "",
) -> Escalation | None:
    """Page these people and the members of these teams at once, in one step (no repeat);
    None when the list is empty. The worker runs the step, like any escalation's."""
    targets = [{"type": TargetKind.USER, "id": user.pk} for user in users]
    targets += [{"type": TargetKind.TEAM, "id": team.pk} for team in teams]
    if not targets:
        return None
    now = clock.now()
    escalation = Escalation.objects.create(
        title=_clean_text(title, link, ack_link),
        summary=summary.strip(),
        link=link,
        ack_link=ack_link,
        policy_snapshot={
            "name": name,
            "repeat": 0,
            "steps": [{"wait_minutes": 0, "targets": targets}],
        },
        next_due_at=now,
        started_at=now,
    )
    log_event(escalation, EventKind.TRIGGERED, policy=name)
    return escalation


def people_paged(escalation: Escalation) -> list[User]:
    """Who this escalation reaches first: the people its pages went to once the worker ran the
    first step, before that the people the first step names now who have a way to be reached.
    (Reads only.)"""
    paged = Page.objects.filter(escalation=escalation, user__isnull=False).exclude(
        status=PageStatus.CANCELLED
    )
    ids = list(dict.fromkeys(paged.values_list("user_id", flat=True)))
    if ids:
        found = {user.pk: user for user in User.objects.filter(pk__in=ids)}
        return [found[pk] for pk in ids if pk in found]
    steps = escalation.policy_snapshot.get("steps") or []
    if not steps:
        return []
    people = step_users(steps[0]["targets"], clock.now())
    rules = rules_by_user(user.pk for user in people)
    return [user for user in people if rules.get(user.pk) or user.email]


def fallback_contacts() -> list[User]:
    """Whom to call when nobody could be paged: the organisation's admins. (Reads only.)"""
    return list(User.objects.filter(is_active=True, org_role=OrgRole.ADMIN).order_by("username"))
