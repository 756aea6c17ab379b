"""The write path for retrospective templates: admins add, edit and retire them (built-in
ones too; none is ever deleted, so the documents written from them keep their template)."""

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import Conflict, InvalidInput
from kizuki.retros.models import Prefill, Purpose, Template, TemplateSection

KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")
TEXT_FIELDS = {"name_en": 100, "name_ja": 100, "description_en": 5000, "description_ja": 5000}
SECTION_TEXT = {"title_en": 200, "title_ja": 200, "guidance_en": 5000, "guidance_ja": 5000}
MAX_SECTIONS = 30


def _key(value: Any, what: str) -> str:
    if not isinstance(value, str) or not KEY.match(value):
        raise InvalidInput(
            _("%(what)s must be lower-case letters, digits, - or _ (at most 50), not %(value)r.")
            % {"what": what, "value": value}
        )
    return value


def _text(field: str, value: Any, limit: int, *, required: bool) -> str:
    text = (value or "").strip() if isinstance(value, str | None) else None
    if text is None:
        raise InvalidInput(_("%(field)s must be text.") % {"field": field})
    if required and not text:
        raise InvalidInput(_("%(field)s is required.") % {"field": field})
    if len(text) > limit:
        raise InvalidInput(
            _("%(field)s may be at most %(max)s characters.") % {"field": field, "max": limit}
        )
    return text


def _section(data: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(data) - {*SECTION_TEXT, "key", "prefill", "purpose", "asks_evidence"})
    if unknown:
        raise InvalidInput(_("Unknown section field %(field)s.") % {"field": ", ".join(unknown)})
    clean: dict[str, Any] = {"key": _key(data.get("key"), _("A section key"))}
    for field, limit in SECTION_TEXT.items():
        clean[field] = _text(field, data.get(field), limit, required=field.startswith("title"))
    prefill = data.get("prefill") or []
    wrong = [rule for rule in prefill if rule not in Prefill.values]
    if wrong:
        raise InvalidInput(
            _("Unknown pre-fill %(rule)s; use one of %(rules)s.")
            % {"rule": ", ".join(map(str, wrong)), "rules": ", ".join(Prefill.values)}
        )
    clean["prefill"] = list(dict.fromkeys(prefill))
    purpose = data.get("purpose") or ""
    if purpose not in Purpose.values:
        raise InvalidInput(
            _("Unknown purpose %(purpose)s; use one of %(purposes)s.")
            % {"purpose": purpose, "purposes": ", ".join(v for v in Purpose.values if v)}
        )
    clean["purpose"] = purpose
    clean["asks_evidence"] = bool(data.get("asks_evidence", False))
    return clean


def _sections(items: Any) -> list[dict[str, Any]]:
    if not isinstance(items, list) or not items:
        raise InvalidInput(_("A template needs at least one section."))
    if len(items) > MAX_SECTIONS:
        raise InvalidInput(
            _("A template may have at most %(max)s sections.") % {"max": MAX_SECTIONS}
        )
    sections = [_section(item) for item in items]
    keys = [s["key"] for s in sections]
    if len(set(keys)) != len(keys):
        raise InvalidInput(_("Each section needs its own key."))
    return sections


def _snapshot(template: Template) -> dict[str, Any]:
    return {
        "key": template.key,
        **{field: getattr(template, field) for field in TEXT_FIELDS},
        "retired": template.retired,
        "position": template.position,
        "sections": [s.key for s in template.sections.all()],
    }


def _replace_sections(template: Template, sections: list[dict[str, Any]]) -> None:
    template.sections.all().delete()
    for position, section in enumerate(sections, start=1):
        TemplateSection.objects.create(template=template, position=position, **section)


@transaction.atomic
def create_template(actor: User | None, data: dict[str, Any]) -> Template:
    """Keys: key, name_en, name_ja, description_en, description_ja, position, sections
    (each: key, title_en, title_ja, guidance_en, guidance_ja, prefill, purpose,
    asks_evidence)."""
    key = _key(data.get("key"), _("The key"))
    unknown = sorted(set(data) - {*TEXT_FIELDS, "key", "position", "sections"})
    if unknown:
        raise InvalidInput(_("%(field)s cannot be set.") % {"field": ", ".join(unknown)})
    fields = {
        field: _text(field, data.get(field), limit, required=field.startswith("name"))
        for field, limit in TEXT_FIELDS.items()
    }
    sections = _sections(data.get("sections"))
    if Template.objects.filter(key=key).exists():
        raise Conflict(_("A template %(key)s exists already.") % {"key": key})
    position = data.get("position")
    if position is None:
        position = (
            Template.objects.order_by("-position").values_list("position", flat=True).first() or 0
        ) + 1
    template = Template.objects.create(key=key, position=position, updated_at=clock.now(), **fields)
    _replace_sections(template, sections)
    record_audit(actor, "retro_template.create", template, after=_snapshot(template))
    return template


@transaction.atomic
def update_template(actor: User | None, template: Template, changes: dict[str, Any]) -> Template:
    """Keys as create_template's but `key`; `sections` replaces the whole list (documents
    already written keep their own sections); `retired` retires or restores it."""
    template = Template.objects.select_for_update().get(pk=template.pk)
    unknown = sorted(set(changes) - {*TEXT_FIELDS, "position", "sections", "retired"})
    if unknown:
        raise InvalidInput(_("%(field)s cannot be edited.") % {"field": ", ".join(unknown)})
    before = _snapshot(template)
    for field, value in changes.items():
        if field in TEXT_FIELDS:
            required = field.startswith("name")
            setattr(template, field, _text(field, value, TEXT_FIELDS[field], required=required))
        elif field in {"position", "retired"}:
            if value is None:
                raise InvalidInput(_("%(field)s may not be null.") % {"field": field})
            setattr(template, field, value)
    if "sections" in changes:
        _replace_sections(template, _sections(changes["sections"]))
    template.updated_at = clock.now()
    template.save()
    record_audit(actor, "retro_template.update", template, before=before, after=_snapshot(template))
    return template
