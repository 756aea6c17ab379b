"""The timeline entries a drill writes on its incident (each injected event), in the reader's
language. Registered with incidents.timeline_text from DrillsConfig.ready()."""

from typing import Any

from django.utils.translation import gettext as _


def injected(data: dict[str, Any]) -> str:
    """An event the drill's scenario injected: a symptom, a severity change, a fake alert."""
    kind, text = data.get("kind"), str(data.get("text") or "")
    if kind == "alert":
        return _("Drill: fake alert “%(text)s”.") % {"text": text}
    if kind == "severity":
        said = _("Drill: the scenario changes the severity to SEV%(level)s.") % {
            "level": data.get("severity")
        }
        return f"{said} {text}" if text else said
    return _("Drill: %(text)s") % {"text": text}
