"""The quality check of how a follow-up is written: pure functions from its title, description,
owner, due date and the severity policy to findings, each saying in the active language why
it is a problem and how to rewrite it. Built-in rules (quality_rules) come first, then the
admins' rules (given as `Extra`). Findings are advice: nothing here refuses a save."""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.translation import get_language

from kizuki.followups import quality_rules as built_in
from kizuki.followups.quality_rules import PROBLEM, WARNING, Rule

# Longer texts are checked on their first characters only (the patterns are not free).
MAX_CHECKED = 20_000
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[a-z]")


@dataclass(frozen=True)
class Finding:
    code: str
    level: str  # "problem" or "warning"
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "level": self.level, "message": self.message}


@dataclass(frozen=True)
class Extra:
    """An admin's rule (models.QualityRule), as plain data."""

    code: str
    pattern: str
    language: str  # "ja", "en" or "" (any)
    message_en: str
    message_ja: str


@dataclass(frozen=True)
class Policy:
    """The severity's due-date policy for the follow-up's incident: due within `days` of
    `start` (its resolve time, or today), that is by `due_by`."""

    severity: str  # "SEV2"
    days: int
    due_by: date


def _japanese() -> bool:
    return (get_language() or "").startswith("ja")


def _say(english: str, japanese: str) -> str:
    return japanese if _japanese() else english


def normalise(text: str) -> str:
    """What the patterns see: NFKC (full-width letters and digits to ASCII, half-width kana
    to full width), lower case, runs of white space as one space."""
    folded = unicodedata.normalize("NFKC", text[:MAX_CHECKED]).lower()
    return " ".join(folded.split())


def _hits(rule: Rule, text: str) -> bool:
    if not any(pattern.search(text) for pattern in rule.patterns):
        return False
    return not any(pattern.search(text) for pattern in rule.unless)


def _applies(language: str, text: str) -> bool:
    if language == "ja":
        return bool(JAPANESE.search(text))
    if language == "en":
        return bool(LATIN.search(text))
    return True


def compile_pattern(pattern: str) -> re.Pattern[str] | None:
    """An admin's pattern, or None when it is not a valid regular expression."""
    try:
        return re.compile(pattern, re.IGNORECASE)
    except (re.error, OverflowError, RecursionError):
        return None


def check_text(title: str, description: str = "", extra: Iterable[Extra] = ()) -> list[Finding]:
    """The findings about how the measure is written (each code once, in rule order)."""
    text = normalise(f"{title}\n{description}")
    found: dict[str, Finding] = {}
    for rule in built_in.RULES:
        if rule.code not in found and _hits(rule, text):
            found[rule.code] = Finding(
                rule.code, rule.level, _say(rule.message_en, rule.message_ja)
            )
    for own in extra:
        pattern = compile_pattern(own.pattern)
        if own.code in found or pattern is None or not _applies(own.language, text):
            continue
        if pattern.search(text):
            found[own.code] = Finding(own.code, PROBLEM, _say(own.message_en, own.message_ja))
    return list(found.values())


def check_owner(owner: str | None) -> list[Finding]:
    if owner:
        return []
    return [Finding("no_owner", PROBLEM, _say(built_in.NO_OWNER_EN, built_in.NO_OWNER_JA))]


def check_due_date(due_date: date | None, policy: Policy | None) -> list[Finding]:
    if due_date is None:
        if policy is None:
            message = _say(built_in.NO_DUE_DATE_NO_POLICY_EN, built_in.NO_DUE_DATE_NO_POLICY_JA)
        else:
            message = _say(built_in.NO_DUE_DATE_EN, built_in.NO_DUE_DATE_JA) % {
                "suggested": policy.due_by.isoformat()
            }
        return [Finding("no_due_date", PROBLEM, message)]
    if policy is not None and due_date > policy.due_by:
        message = _say(built_in.PAST_POLICY_EN, built_in.PAST_POLICY_JA) % {
            "due": due_date.isoformat(),
            "severity": policy.severity,
            "days": policy.days,
            "policy": policy.due_by.isoformat(),
        }
        return [Finding("due_past_policy", WARNING, message)]
    return []


def check(
    title: str,
    description: str = "",
    *,
    owner: str | None = None,
    due_date: date | None = None,
    policy: Policy | None = None,
    extra: Sequence[Extra] = (),
    fields: Iterable[str] = ("owner", "due_date"),
) -> list[Finding]:
    """Everything about a follow-up: its text, then the fields named in `fields` (a check
    while typing may leave out what the form does not have yet)."""
    found = check_text(title, description, extra)
    wanted = set(fields)
    if "owner" in wanted:
        found += check_owner(owner)
    if "due_date" in wanted:
        found += check_due_date(due_date, policy)
    return found
