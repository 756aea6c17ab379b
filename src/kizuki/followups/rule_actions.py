"""The write path for the admins' own quality rules (applied after the built-in ones). The
Django admin edits the same rows and checks a pattern the same way (admin.py)."""

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import InvalidInput
from kizuki.followups.models import QualityRule, RuleLanguage
from kizuki.followups.quality import compile_pattern

CODE = re.compile(r"^[a-z0-9_-]{1,50}$")
BUILT_IN_CODES = {
    "vague_vigilance",
    "silencing",
    "punitive",
    "over_heavy",
    "no_owner",
    "no_due_date",
    "due_past_policy",
}
FIELDS = {"code", "pattern", "language", "message_en", "message_ja", "enabled"}
PATTERN_MAX = 500
MESSAGE_MAX = 2000


def check_pattern(pattern: str) -> str:
    """The pattern, if Python's regular expressions take it (InvalidInput says why not)."""
    if not pattern.strip() or len(pattern) > PATTERN_MAX:
        raise InvalidInput(
            _("Give a pattern of at most %(limit)s characters.") % {"limit": PATTERN_MAX}
        )
    if compile_pattern(pattern) is None:
        raise InvalidInput(_("The pattern is not a valid regular expression."))
    return pattern


def _clean(data: dict[str, Any], rule: QualityRule) -> None:
    unknown = set(data) - FIELDS
    if unknown:
        raise InvalidInput(_("%(field)s cannot be set.") % {"field": ", ".join(sorted(unknown))})
    if "code" in data:
        code = str(data["code"] or "")
        if not CODE.match(code):
            raise InvalidInput(
                _("A code is 1 to 50 small letters, digits, hyphens or underscores.")
            )
        if code in BUILT_IN_CODES:
            raise InvalidInput(_("%(code)s is a built-in check's code.") % {"code": code})
        rule.code = code
    if "pattern" in data:
        rule.pattern = check_pattern(str(data["pattern"] or ""))
    if "language" in data:
        language = data["language"] or ""
        if language not in RuleLanguage.values:
            raise InvalidInput(_("The language is ja, en or empty (any)."))
        rule.language = language
    for field in ("message_en", "message_ja"):
        if field in data:
            text = str(data[field] or "").strip()
            if not text or len(text) > MESSAGE_MAX:
                raise InvalidInput(
                    _("%(field)s is required, at most %(limit)s characters.")
                    % {"field": field, "limit": MESSAGE_MAX}
                )
            setattr(rule, field, text)
    if "enabled" in data:
        rule.enabled = bool(data["enabled"])


def _snapshot(rule: QualityRule) -> dict[str, Any]:
    return {
        "code": rule.code,
        "pattern": rule.pattern,
        "language": rule.language,
        "message_en": rule.message_en,
        "message_ja": rule.message_ja,
        "enabled": rule.enabled,
    }


@transaction.atomic
def create_rule(actor: User | None, data: dict[str, Any]) -> QualityRule:
    missing = {"code", "pattern", "message_en", "message_ja"} - set(data)
    if missing:
        raise InvalidInput(_("%(field)s is required.") % {"field": ", ".join(sorted(missing))})
    rule = QualityRule(updated_at=clock.now())
    _clean(data, rule)
    rule.save()
    record_audit(actor, "followup.rule_create", rule, after=_snapshot(rule))
    return rule


@transaction.atomic
def update_rule(actor: User | None, rule: QualityRule, changes: dict[str, Any]) -> QualityRule:
    rule = QualityRule.objects.select_for_update().get(pk=rule.pk)
    before = _snapshot(rule)
    _clean(changes, rule)
    rule.updated_at = clock.now()
    rule.save()
    record_audit(actor, "followup.rule_update", rule, before=before, after=_snapshot(rule))
    return rule


@transaction.atomic
def delete_rule(actor: User | None, rule: QualityRule) -> None:
    record_audit(actor, "followup.rule_delete", rule, before=_snapshot(rule))
    rule.delete()
