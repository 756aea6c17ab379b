"""The retrospective as one Markdown file: a heading, the facts about the document, then each
section under its title. The labels are in the document's language. The summary for
stakeholders is not part of this internal document."""

from django.utils import translation
from django.utils.translation import gettext as _

from kizuki.retros import queries
from kizuki.retros.models import Retrospective, RetroStatus
from kizuki.retros.prefill import Writer, labelled


def to_markdown(retro: Retrospective) -> str:
    with translation.override(retro.language or translation.get_language()):
        return _markdown(retro)


def _markdown(retro: Retrospective) -> str:
    incident = retro.incident
    writer = Writer(incident, retro.owner)
    facts = [
        (_("Status"), str(RetroStatus(retro.status).label)),
        (_("Template"), retro.template.name if retro.template else "-"),
        (_("Owner"), retro.owner.username if retro.owner else "-"),
        (_("Severity"), incident.severity.label if incident.severity else "-"),
        (_("Due"), writer.time(retro.due_at) if retro.due_at else "-"),
        (_("Published"), writer.time(retro.published_at) if retro.published_at else "-"),
        (_("Version"), str(retro.version)),
    ]
    lines = [
        "# "
        + _("Retrospective: %(ref)s %(title)s") % {"ref": incident.ref, "title": incident.title},
        "",
        *("- " + labelled(f"**{label}**", value) for label, value in facts),
    ]
    for section in queries.sections(retro):
        lines += ["", f"## {section.title}", ""]
        if section.drafted:
            lines += ["> " + _("Drafted by AI; not yet edited by a person."), ""]
        lines.append(section.body.strip() or "_" + _("(not written yet)") + "_")
    return "\n".join(lines) + "\n"
