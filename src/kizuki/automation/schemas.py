"""The automation API's shapes. Conditions and actions are checked by catalogue.py (a clear
400 naming the problem), so the schemas take them loosely."""

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from kizuki.automation import defaults, wording
from kizuki.automation.actions import describe_rule
from kizuki.automation.models import Rule, Run
from kizuki.core.schemas import PageOut

ACTIONS_HELP = (
    "Ordered actions, each an object with `kind` and its parameters: page_policy {policy: id},"
    " page_key_people {}, open_channel {}, assign_role {role: slug, schedule: id},"
    " post_checklist {checklist: slug}, create_followup {title}, require_retrospective {},"
    " stakeholder_update {text}, webhook {url}."
)


class AutomationRuleIn(Schema):
    name: str = Field(..., max_length=200)
    event: str = Field(
        ...,
        description="reported, declared, severity_changed, mitigated, resolved, closed,"
        " alert_group_triggered, followup_overdue or retrospective_published.",
    )
    actions: list[dict[str, Any]] = Field(..., description=ACTIONS_HELP)
    enabled: bool = True
    position: int | None = None
    severities: list[int] = Field(default_factory=list, description="Levels; empty: any.")
    services: list[str] = Field(default_factory=list, description="Service slugs; empty: any.")
    teams: list[str] = Field(default_factory=list, description="Team slugs; empty: any.")
    drill: str = Field("any", description="any, yes (only drills) or no (only real incidents).")
    business_hours: str = Field("any", description="any, in or out.")
    holidays: str = Field("any", description="Japanese public holidays: any, only or except.")
    note: str = ""


class RulePatch(Schema):
    """Only the fields sent change."""

    name: str | None = None
    event: str | None = None
    actions: list[dict[str, Any]] | None = Field(None, description=ACTIONS_HELP)
    enabled: bool | None = None
    position: int | None = None
    severities: list[int] | None = None
    services: list[str] | None = None
    teams: list[str] | None = None
    drill: str | None = None
    business_hours: str | None = None
    holidays: str | None = None
    note: str | None = None


class AutomationRuleOut(Schema):
    id: int
    name: str
    enabled: bool
    position: int
    event: str
    severities: list[int]
    services: list[str]
    teams: list[str]
    drill: str
    business_hours: str
    holidays: str
    actions: list[dict[str, Any]]
    note: str
    key: str


class ActionRunOut(Schema):
    position: int
    action: str
    params: dict[str, Any]
    status: str
    attempts: int
    last_error: str
    result: dict[str, Any]
    next_attempt_at: datetime | None
    finished_at: datetime | None


class RunOut(Schema):
    id: int
    rule: int
    event: str
    incident: str | None
    subject: str
    why: list[Any]
    why_text: str
    started_at: datetime
    finished_at: datetime | None
    actions: list[ActionRunOut]


class RunPage(PageOut[RunOut]):
    pass


def rule_out(rule: Rule) -> AutomationRuleOut:
    fields = describe_rule(rule)
    fields["name"] = defaults.display_name(rule.key, rule.name)
    return AutomationRuleOut(**fields)


def run_out(run: Run) -> RunOut:
    return RunOut(
        id=run.pk,
        rule=run.rule_id,
        event=run.event,
        incident=run.incident.ref if run.incident else None,
        subject=run.subject,
        why=run.why,
        why_text=wording.reasons(run.why),
        started_at=run.started_at,
        finished_at=run.finished_at,
        actions=[
            ActionRunOut(
                position=item.position,
                action=item.action,
                params=item.params,
                status=item.status,
                attempts=item.attempts,
                last_error=item.last_error,
                result=item.result,
                next_attempt_at=item.next_attempt_at,
                finished_at=item.finished_at,
            )
            for item in run.action_runs.all()
        ],
    )
