"""Responder load and alert noise as people read them (hours, shares in per cent, definitions
on hover): what reports/_load_noise.html shows on the page and in the exported document."""

from typing import Any

from kizuki.reports import load, noise, summary


def context(result: summary.Summary) -> dict[str, Any]:
    found = result.alert_noise
    return {
        "people": [
            {
                "username": person.username,
                "name": person.name,
                "pages": person.pages,
                "incident_hours": _hours(person.incident_seconds),
                "out_of_hours": _share(person.out_of_hours_share),
                "oncall_hours": _hours(person.oncall_seconds),
            }
            for person in result.responder_load
        ],
        "load_definitions": load.DEFINITIONS,
        "noise": None
        if found is None
        else {
            "groups": found.groups,
            "without_incident": found.without_incident,
            "without_incident_share": _share(found.without_incident_share),
            "quietly_closed": found.acknowledged_resolved_without_incident,
            "top": [
                {
                    "name": noisy.name,
                    "service": noisy.service,
                    "groups": noisy.groups,
                    "without_incident": noisy.without_incident,
                    "share": _share(noisy.share),
                }
                for noisy in found.top_integrations
            ],
        },
        "noise_definitions": noise.DEFINITIONS,
    }


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f}"


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"
