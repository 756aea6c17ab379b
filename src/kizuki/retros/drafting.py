"""Optional AI drafting of a retrospective's section.

When an OpenAI-compatible chat completions endpoint is configured (KIZUKI_LLM_URL, a
self-hosted model or a provider; KIZUKI_LLM_MODEL; KIZUKI_LLM_KEY), "Draft with AI" on a
section sends the section's title and guidance with the incident's timeline, status updates
and impact, and shows the answer as a proposal. Nothing is saved here: the writer accepts it
(saved marked as an AI draft until a person edits it), edits it, or discards it. Without
KIZUKI_LLM_URL nothing is ever sent anywhere.

The address is the operator's choice, made in the server's environment, not a user's: so it is
not held to kizuki.notify.outbound's allow-list (a self-hosted model usually sits on a private
network), but it is never taken from a request either.

The prompt is written in the reader's language (the active one), and asks for an answer in it.
"""

from dataclasses import dataclass

import openai
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuki.core.errors import DomainError
from kizuki.incidents import queries as incidents
from kizuki.incidents.models import Incident
from kizuki.incidents.timeline_text import describe

# Long incidents are cut to their last entries: the prompt stays within a small model's window.
MAX_TIMELINE_ENTRIES = 200
MAX_CONTEXT_CHARS = 24_000


class DraftFailed(DomainError):
    """The drafting endpoint did not give an answer (down, slow, refused, empty)."""

    code = "draft_failed"
    status = 502


@dataclass(frozen=True)
class Endpoint:
    url: str
    model: str
    key: str
    timeout: float


def endpoint() -> Endpoint | None:
    """The configured endpoint, or None: then drafting is off and nothing is sent anywhere."""
    url = str(getattr(settings, "KIZUKI_LLM_URL", "") or "").strip()
    if not url:
        return None
    return Endpoint(
        url=url.rstrip("/"),
        model=str(getattr(settings, "KIZUKI_LLM_MODEL", "") or ""),
        key=str(getattr(settings, "KIZUKI_LLM_KEY", "") or ""),
        timeout=float(getattr(settings, "KIZUKI_LLM_TIMEOUT", 60)),
    )


def enabled() -> bool:
    return endpoint() is not None


def _when(moment: object) -> str:
    if moment is None:
        return "-"
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")  # type: ignore[arg-type]


def incident_context(incident: Incident) -> str:
    """The facts the model may draw on: impact, milestones, timeline and status updates, as
    plain text in the reader's language."""
    lines = [
        _("Incident %(ref)s: %(title)s") % {"ref": incident.ref, "title": incident.title},
    ]
    if incident.severity is not None:
        lines.append(_("Severity: %(severity)s") % {"severity": incident.severity.label})
    if incident.description:
        lines.append(_("Description: %(text)s") % {"text": incident.description})
    lines += [
        "",
        _("Impact"),
        _("Customers affected: %(text)s") % {"text": incident.customers_affected or "-"},
        _("Functions affected: %(text)s") % {"text": incident.functions_affected or "-"},
        _("Impact period: %(start)s - %(end)s")
        % {"start": _when(incident.impact_started_at), "end": _when(incident.impact_ended_at)},
        _("Secondary damage: %(text)s") % {"text": incident.secondary_damage or "-"},
        "",
        _("Milestones"),
        _("Reported: %(at)s") % {"at": _when(incident.reported_at)},
        _("Acknowledged: %(at)s") % {"at": _when(incident.acknowledged_at)},
        _("Mitigated: %(at)s") % {"at": _when(incident.mitigated_at)},
        _("Resolved: %(at)s") % {"at": _when(incident.resolved_at)},
        "",
        _("Timeline"),
    ]
    entries = incidents.timeline(incident)[-MAX_TIMELINE_ENTRIES:]
    lines += [f"- {_when(entry.occurred_at)} {describe(entry)}" for entry in entries]
    lines += ["", _("Status updates")]
    for update in reversed(incidents.status_updates(incident)):
        lines.append(f"- {_when(update.created_at)} {update.text}")
    text = "\n".join(lines)
    return text if len(text) <= MAX_CONTEXT_CHARS else text[-MAX_CONTEXT_CHARS:]


def messages_for(incident: Incident, title: str, guidance: str) -> list[dict[str, str]]:
    """The chat messages asking for one section, in the reader's language."""
    system = _(
        "You help an incident response team write the retrospective of an incident. Write only"
        " from the facts given; where a fact is missing, say what is missing instead of"
        " guessing. Write plain Markdown, concise, without a heading for the section itself."
        " Answer in English."
    )
    user = "\n".join(
        [
            _("Write the section “%(title)s” of the retrospective.") % {"title": title},
            _("Guidance for this section: %(guidance)s") % {"guidance": guidance or "-"},
            "",
            _("Facts about the incident:"),
            incident_context(incident),
        ]
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def draft_section(incident: Incident, title: str, guidance: str) -> str:
    """Proposed Markdown for one section. Raises DraftFailed (with a message for the writer)
    when drafting is off or the endpoint gives no usable answer; never saves anything."""
    target = endpoint()
    if target is None:
        raise DraftFailed(_("AI drafting is not configured on this server."))
    # max_retries=0: the writer is waiting on the page; they can press the button again.
    client = openai.OpenAI(
        base_url=target.url,
        api_key=target.key or "none",
        timeout=target.timeout,
        max_retries=0,
    )
    try:
        answer = client.chat.completions.create(
            model=target.model,
            messages=messages_for(incident, title, guidance),  # type: ignore[arg-type]
        )
    except openai.APITimeoutError:
        raise DraftFailed(
            _("The AI drafting service did not answer in time. Nothing was changed; try again.")
        ) from None
    except openai.APIConnectionError:
        raise DraftFailed(
            _("The AI drafting service could not be reached. Nothing was changed; try again.")
        ) from None
    except openai.APIStatusError as error:
        raise DraftFailed(
            _("The AI drafting service refused the request (HTTP %(status)s). Nothing was changed.")
            % {"status": error.status_code}
        ) from None
    except openai.OpenAIError:
        raise DraftFailed(
            _("The AI drafting service gave an answer Kizuki could not read. Nothing was changed.")
        ) from None
    choices = answer.choices or []
    text = (choices[0].message.content or "").strip() if choices else ""
    if not text:
        raise DraftFailed(_("The AI drafting service answered with no text. Nothing was changed."))
    return text
