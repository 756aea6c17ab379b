"""What each action kind does, through the other apps' own actions (Kizuki acts: no actor).

A performer answers a small result dict (worded by wording.result) or raises: a domain error
(InvalidInput, Conflict, ...) or a `Refused` is final — trying again would not help — while
any other error (the network, a webhook answering 5xx) is retried with a growing pause."""

from typing import Any

import requests
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kizuki.automation.matching import Occurrence
from kizuki.automation.models import ActionRun
from kizuki.chat import actions as chat
from kizuki.chat.slack import slack
from kizuki.core import clock
from kizuki.core.errors import InvalidInput
from kizuki.followups import actions as followups
from kizuki.formations import actions as formations
from kizuki.formations import queries as formations_queries
from kizuki.incidents import actions as incidents
from kizuki.incidents import mobilisation, timeline_actions
from kizuki.incidents.models import Audience, Incident
from kizuki.notify import outbound
from kizuki.oncall import actions as oncall
from kizuki.oncall import queries as oncall_queries
from kizuki.retros import actions as retros
from kizuki.schedules import queries as schedules

WEBHOOK_TIMEOUT = 10


class Refused(InvalidInput):
    """The action cannot succeed as it stands (a webhook answering 4xx): not retried."""

    code = "action_refused"


class Retry(Exception):
    """A passing failure: try again later."""


def _link(incident: Incident) -> str:
    return str(settings.KIZUKI_BASE_URL) + reverse("incident-detail", args=[incident.ref])


def _title(incident: Incident) -> str:
    title = f"{incident.ref} {incident.title}"
    if not incident.is_drill:
        return title
    with translation.override(settings.LANGUAGE_CODE):
        return _("[Drill] %(title)s") % {"title": title}


def _need(found: Occurrence) -> Incident:
    if found.incident is None:
        raise InvalidInput(_("This action needs an incident, and this alert group has none."))
    return found.incident


def page_policy(params: dict[str, Any], found: Occurrence, _run: ActionRun) -> dict[str, Any]:
    policy = oncall_queries.get_policy(int(params["policy"]))
    if found.incident is not None:
        title, summary, link = (
            _title(found.incident),
            found.incident.description[:2000],
            _link(found.incident),
        )
    else:
        title, summary, link = found.subject or policy.name, "", ""
    escalation = oncall.start_escalation(policy, title, summary=summary, link=link)
    if found.incident is not None:
        # Those paged about an incident may open it, also when it is private.
        mobilisation.record_paging(found.incident, escalation)
    return {"policy": policy.name, "escalation": escalation.pk}


def page_key_people(_params: dict[str, Any], found: Occurrence, _run: ActionRun) -> dict[str, Any]:
    incident = _need(found)
    settings_row = mobilisation.paging_settings()
    people: dict[int, Any] = {}
    sources = [source(incident) for source in mobilisation.key_people_sources]
    for person in mobilisation.key_people(settings_row) + [p for s in sources for p in s]:
        if person.is_active:
            people.setdefault(person.pk, person)
    teams = mobilisation.key_teams(settings_row)
    with translation.override(settings.LANGUAGE_CODE):
        name = _("Key people")
    title = _title(incident)
    link = _link(incident)
    summary = incident.description[:2000]
    paged = oncall.page_people(
        title, list(people.values()), teams, summary=summary, link=link, name=name
    )
    mobilisation.record_paging(incident, paged)
    policy = settings_row.key_policy
    if policy is not None and policy.steps.exists():
        escalation = oncall.start_escalation(policy, title, summary=summary, link=link)
        mobilisation.record_paging(incident, escalation)
    return {
        "people": [person.get_full_name() or person.username for person in people.values()],
        "teams": [team.name for team in teams],
    }


def open_channel(_params: dict[str, Any], found: Occurrence, _run: ActionRun) -> dict[str, Any]:
    incident = _need(found)
    port = slack()
    if not port.configured:
        return {"skipped": "no_chat"}
    with translation.override(settings.LANGUAGE_CODE):
        channel = chat.open_channel(port, incident.pk)
    return {"channel": channel}


def assign_role(params: dict[str, Any], found: Occurrence, _run: ActionRun) -> dict[str, Any]:
    incident = _need(found)
    schedule = schedules.get_schedule(int(params["schedule"]))
    on_call = schedules.on_call_now([schedule], clock.now()).get(schedule.pk, [])
    if not on_call:
        raise InvalidInput(
            _("Nobody is on call in %(schedule)s now.") % {"schedule": schedule.name}
        )
    person = on_call[0]
    assignment = incidents.assign_role(None, incident, str(params["role"]), person)
    return {
        "user": person.get_full_name() or person.username,
        "role": assignment.role.name,
        "schedule": schedule.name,
    }


def post_checklist(params: dict[str, Any], found: Occurrence, _run: ActionRun) -> dict[str, Any]:
    """Idempotent in formations: a checklist already on the incident is not posted again."""
    template = formations_queries.get_template(str(params["checklist"]))
    checklist = formations.post_checklist(_need(found), template)
    return {"checklist": checklist.name_en, "checklist_ja": checklist.name_ja}


def create_followup(params: dict[str, Any], found: Occurrence, _run: ActionRun) -> dict[str, Any]:
    followup = followups.create_followup(None, _need(found), {"title": str(params["title"])})
    return {"followup": followup.pk, "title": followup.title}


def require_retrospective(
    _params: dict[str, Any], found: Occurrence, _run: ActionRun
) -> dict[str, Any]:
    retro = retros.require_retrospective(None, _need(found))
    return {"retrospective": retro.pk}


def stakeholder_update(
    params: dict[str, Any], found: Occurrence, _run: ActionRun
) -> dict[str, Any]:
    update = timeline_actions.post_status_update(
        None, _need(found), str(params["text"]), audience=Audience.STAKEHOLDERS
    )
    return {"status_update": update.pk}


def _payload(found: Occurrence, run: ActionRun) -> dict[str, Any]:
    incident = found.incident
    # A private incident leaves the organisation by number only: its title stays inside.
    private = incident is not None and incident.private
    subject = incident.ref if incident is not None and private else found.subject
    return {
        "rule": {"id": run.run.rule_id, "name": run.run.rule.name},
        "event": found.event,
        "run": run.run_id,
        "attempt": run.attempts,
        "subject": subject,
        "incident": None
        if incident is None
        else {
            "number": incident.ref,
            "title": None if private else incident.title,
            "private": private,
            "status": incident.status,
            "severity": incident.severity.level if incident.severity else None,
            "is_drill": incident.is_drill,
            "url": _link(incident),
        },
    }


def webhook(params: dict[str, Any], found: Occurrence, run: ActionRun) -> dict[str, Any]:
    """POST the event as JSON. The URL rules are checked again before sending (DNS may have
    changed); redirects are not followed (they could lead where the rules do not allow)."""
    url = str(params["url"])
    outbound.check_url(url, must_resolve=True)
    try:
        answer = requests.post(
            url,
            json=_payload(found, run),
            timeout=WEBHOOK_TIMEOUT,
            allow_redirects=False,
            headers={"Idempotency-Key": f"kizuki-run-{run.run_id}-{run.position}"},
        )
    except requests.RequestException as error:
        raise Retry(f"{type(error).__name__}: {error}"[:500]) from error
    if answer.status_code >= 500 or answer.status_code == 429:
        raise Retry(_("The webhook answered %(status)s.") % {"status": answer.status_code})
    if answer.status_code >= 300:
        raise Refused(_("The webhook answered %(status)s.") % {"status": answer.status_code})
    return {"status": answer.status_code}


PERFORMERS = {
    "page_policy": page_policy,
    "page_key_people": page_key_people,
    "open_channel": open_channel,
    "assign_role": assign_role,
    "post_checklist": post_checklist,
    "create_followup": create_followup,
    "require_retrospective": require_retrospective,
    "stakeholder_update": stakeholder_update,
    "webhook": webhook,
}
