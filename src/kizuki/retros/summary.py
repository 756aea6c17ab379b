"""The summary for stakeholders: the impact, the cause in plain words and what will change.

It is its own text (`Retrospective.stakeholder_summary`), written for business people and kept
apart from the internal document: it is shown on its own page and is not part of the internal
exports. When nobody has written it yet, the editor starts from `suggested_summary`: the
impact facts from the incident and two headings to fill in. The internal cause and prevention
sections are deliberately not copied into it: they are written for engineers."""

from django.utils import timezone
from django.utils.translation import gettext as _

from kizuki.retros.models import Retrospective


def _when(moment: object) -> str:
    if moment is None:
        return "?"
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")  # type: ignore[arg-type]


def suggested_summary(retro: Retrospective) -> str:
    """A starting text in the reader's language."""
    incident = retro.incident
    impact = [
        _("- Who was affected: %(text)s") % {"text": incident.customers_affected or "?"},
        _("- What did not work: %(text)s") % {"text": incident.functions_affected or "?"},
        _("- When: %(start)s - %(end)s")
        % {"start": _when(incident.impact_started_at), "end": _when(incident.impact_ended_at)},
    ]
    if incident.secondary_damage:
        impact.append(_("- Further effects: %(text)s") % {"text": incident.secondary_damage})
    lines = [
        "## " + _("Impact"),
        "",
        *impact,
        "",
        "## " + _("What went wrong"),
        "",
        _("(In plain words, without system names or jargon: what failed and why.)"),
        "",
        "## " + _("What will change"),
        "",
        _("(What we will do so that it does not happen again, and by when.)"),
    ]
    return "\n".join(lines) + "\n"


def summary_markdown(retro: Retrospective) -> str:
    """The summary as a Markdown file of its own, with the incident's title."""
    incident = retro.incident
    title = _("%(ref)s %(title)s: summary for stakeholders") % {
        "ref": incident.ref,
        "title": incident.title,
    }
    return f"# {title}\n\n{retro.stakeholder_summary.strip()}\n"
