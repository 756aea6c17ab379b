"""The breakdowns by service and by cause and the top causes as people read them: what
reports/_breakdowns.html shows on the page and in the exported document."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kizuki.reports import summary

DEFINITIONS = {
    "by_service": gettext_lazy(
        "An incident counts under each of its affected services, so the rows may add up to "
        "more than the total."
    ),
    "by_cause": gettext_lazy(
        "Each incident under its cause category, as set on the incident; not yet classified "
        "ones last."
    ),
    "top_causes": gettext_lazy(
        "The most frequent cause categories of the period, with the count of the period of "
        "the same length just before."
    ),
}


def context(result: summary.Summary) -> dict[str, Any]:
    return {
        "tables": [
            (_("By service"), _groups(result.by_service, _("No service")), "report-by-service"),
            (_("By cause"), _groups(result.by_cause, _("Not classified")), "report-by-cause"),
        ],
        "top": [
            {
                "key": cause.key,
                "label": cause.label,
                "incidents": cause.incidents,
                "previous": cause.previous,
                "trend": "same"
                if cause.incidents == cause.previous
                else ("worse" if cause.incidents > cause.previous else "better"),
                "refs": cause.refs,
            }
            for cause in result.top_causes
        ],
        "definitions": DEFINITIONS,
    }


def _groups(groups: list[summary.Group], nothing: str) -> list[dict[str, Any]]:
    return [
        {
            "key": group.key,
            "label": group.label or nothing,
            "incidents": group.incidents,
            "mtta": summary.duration_text(group.tta.mean),
            "mttr": summary.duration_text(group.ttr.mean),
        }
        for group in groups
    ]
