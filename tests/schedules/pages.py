"""Reading the schedule pages as a person would: the errors beside a field, the days of the
shift calendar and the shifts on each, with the buttons they offer."""

import html as entities
import re
from dataclasses import dataclass

from django.test import Client

from kizuki.accounts.models import User


def browser(user: User, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    client.force_login(user)
    return client


def field_errors(page: str, field: str) -> list[str]:
    """The errors the form shows beside `field`."""
    found = re.findall(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', page, re.S)
    return [
        entities.unescape(text) for block in found for text in re.findall(r"<li>(.*?)</li>", block)
    ]


def input_value(page: str, field: str) -> str | None:
    """What the input named `field` holds."""
    tag = re.search(rf'<input[^>]*name="{field}"[^>]*>', page)
    value = re.search(r'value="([^"]*)"', tag.group(0)) if tag else None
    return entities.unescape(value.group(1)) if value else None


@dataclass
class ShiftEntry:
    user: str
    override: bool
    text: str
    take: dict[str, str] | None  # the take button's hidden fields, when offered
    swap: str | None  # the swap link, when offered


@dataclass
class CalendarDay:
    date: str
    outside: bool
    shifts: list[ShiftEntry]


def _entry(chunk: str) -> ShiftEntry:
    chunk = chunk.split("</li>", maxsplit=1)[0]
    head = re.match(r'data-user="([^"]*)" data-override="(yes|no)"', chunk)
    assert head, chunk
    take = None
    if 'data-testid="take-shift"' in chunk:
        take = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', chunk))
    swap = re.search(r'href="([^"]*)" data-testid="swap-shift"', chunk)
    text = " ".join(re.sub(r"<[^>]+>", " ", chunk.split(">", 1)[1]).split())
    return ShiftEntry(
        user=head.group(1),
        override=head.group(2) == "yes",
        text=entities.unescape(text),
        take=take,
        swap=entities.unescape(swap.group(1)) if swap else None,
    )


def calendar_days(page: str) -> list[CalendarDay]:
    days = []
    for tail in page.split('<li class="day')[1:]:
        chunk = tail.split("</ol>", maxsplit=1)[0]
        date = re.search(r'data-date="([\d-]+)"', chunk)
        assert date
        shifts = [_entry(part) for part in chunk.split('data-testid="shift" ')[1:]]
        days.append(CalendarDay(date.group(1), chunk.startswith(" outside"), shifts))
    return days


def day(page: str, date: str) -> CalendarDay:
    return next(found for found in calendar_days(page) if found.date == date)
