"""The report's period and filters, as typed in the page, the API's query string or the
CLI. Dates are days in the organisation's time zone; `to` is inclusive."""

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kizuki.core.errors import InvalidInput
from kizuki.reports.queries import Filters

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Three years is plenty for a report; it also bounds what one request fetches.
MAX_DAYS = 3 * 366


def quarter_of(day: date) -> tuple[date, date]:
    """The calendar quarter holding `day`: its first and last days."""
    first_month = (day.month - 1) // 3 * 3 + 1
    start = date(day.year, first_month, 1)
    next_start = date(
        day.year + (first_month == 10), first_month % 12 + 3 if first_month < 10 else 1, 1
    )
    return start, next_start - timedelta(days=1)


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length just before [start, end]."""
    length = end - start + timedelta(days=1)
    return start - length, start - timedelta(days=1)


class SummaryForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=DATE)
    end = forms.DateField(label=gettext_lazy("To"), required=False, widget=DATE)
    team = forms.SlugField(label=gettext_lazy("Team"), required=False)
    service = forms.SlugField(label=gettext_lazy("Service"), required=False)
    severity = forms.IntegerField(label=gettext_lazy("Severity"), required=False, min_value=0)
    cause = forms.SlugField(label=gettext_lazy("Cause category"), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, date) and isinstance(end, date):
            if end < start:
                raise forms.ValidationError(_("The end of the period is before its start."))
            if (end - start).days > MAX_DAYS:
                raise forms.ValidationError(
                    _("A report covers at most %(days)s days.") % {"days": MAX_DAYS}
                )
        return data


def filters_from(params: dict[str, str], today: date) -> Filters:
    """Filters from `from`, `to`, `team`, `service`, `severity`, `cause` (the API's and CLI's
    names); a missing period is the current quarter. Bad input raises InvalidInput naming it."""
    form = SummaryForm(
        {
            "start": params.get("from", ""),
            "end": params.get("to", ""),
            "team": params.get("team", ""),
            "service": params.get("service", ""),
            "severity": params.get("severity", ""),
            "cause": params.get("cause", ""),
        }
    )
    if not form.is_valid():
        raise InvalidInput(_error_text(form))
    return filters_of(form.cleaned_data, today)


def filters_of(data: dict[str, object], today: date) -> Filters:
    start = data.get("start")
    start = start if isinstance(start, date) else quarter_of(today)[0]
    end = data.get("end")
    end = end if isinstance(end, date) else quarter_of(start)[1]
    if end < start:
        raise InvalidInput(_("The end of the period is before its start."))
    severity = data.get("severity")
    return Filters(
        start=start,
        end=end,
        team=str(data.get("team") or ""),
        service=str(data.get("service") or ""),
        severity=severity if isinstance(severity, int) else None,
        cause=str(data.get("cause") or ""),
    )


NAMES = {"start": "from", "end": "to"}


def _error_text(form: SummaryForm) -> str:
    parts = []
    for field, errors in form.errors.items():
        label = NAMES.get(field, field)
        text = " ".join(str(e) for e in errors)
        parts.append(text if field == "__all__" else f"{label}: {text}")
    return " ".join(parts)
