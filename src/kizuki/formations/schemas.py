"""What the formations API takes and answers."""

from datetime import datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field

from kizuki.formations import queries
from kizuki.formations.models import (
    ChecklistTemplate,
    Formation,
    IncidentChecklist,
    IncidentChecklistItem,
)


class PositionOut(Schema):
    role: str = Field(description="The incident role (slug) holding the position means.")
    name: str = Field(description="In the reader's language.")
    name_ja: str
    name_en: str
    duties_ja: str
    duties_en: str
    order: int


class FormationOut(Schema):
    id: int
    slug: str
    name: str
    name_ja: str
    name_en: str
    description_ja: str
    description_en: str
    is_default: bool
    severities: list[int] = Field(description="The severity levels that pick this formation.")
    positions: list[PositionOut]


def formation_out(formation: Formation, levels: list[int]) -> FormationOut:
    return FormationOut(
        id=formation.pk,
        slug=formation.slug,
        name=formation.name,
        name_ja=formation.name_ja,
        name_en=formation.name_en,
        description_ja=formation.description_ja,
        description_en=formation.description_en,
        is_default=formation.is_default,
        severities=levels,
        positions=[
            PositionOut(
                role=position.role.slug,
                name=position.name,
                name_ja=position.name_ja,
                name_en=position.name_en,
                duties_ja=position.description_ja,
                duties_en=position.description_en,
                order=position.order,
            )
            for position in formation.positions.all()
        ],
    )


class IncidentPositionOut(Schema):
    id: int
    role: str
    name: str
    name_ja: str
    name_en: str
    duties: str = Field(description="In the reader's language.")
    filled: bool
    single: bool = Field(description="Only one person may hold it (the role is handed over).")
    users: list[str] = Field(description="Usernames of the holders, in the order named.")


def incident_position_out(filled: queries.Filled) -> IncidentPositionOut:
    position = filled.position
    return IncidentPositionOut(
        id=position.pk,
        role=position.role.slug,
        name=position.name,
        name_ja=position.name_ja,
        name_en=position.name_en,
        duties=position.description,
        filled=bool(filled.holders),
        single=filled.single,
        users=[user.username for user in filled.holders],
    )


class PositionIn(Schema):
    users: list[Annotated[str, Field(max_length=150)]] = Field(
        max_length=20,
        description="Usernames who hold the position from now on (empty: nobody).",
    )


class ItemOut(Schema):
    id: int
    text: str = Field(description="In the reader's language.")
    text_ja: str
    text_en: str
    ticked: bool
    ticked_at: datetime | None
    ticked_by: str | None


def item_out(item: IncidentChecklistItem) -> ItemOut:
    return ItemOut(
        id=item.pk,
        text=item.text,
        text_ja=item.text_ja,
        text_en=item.text_en,
        ticked=item.ticked_at is not None,
        ticked_at=item.ticked_at,
        ticked_by=item.ticked_by.username if item.ticked_by else None,
    )


class ChecklistOut(Schema):
    id: int
    template: int | None
    name: str
    name_ja: str
    name_en: str
    role: str | None = Field(description="The role slug it is for (None: anyone).")
    posted_at: datetime
    posted_by: str | None
    items: list[ItemOut]


def checklist_out(checklist: IncidentChecklist) -> ChecklistOut:
    return ChecklistOut(
        id=checklist.pk,
        template=checklist.template_id,
        name=checklist.name,
        name_ja=checklist.name_ja,
        name_en=checklist.name_en,
        role=checklist.role.slug if checklist.role else None,
        posted_at=checklist.posted_at,
        posted_by=checklist.posted_by.username if checklist.posted_by else None,
        items=[item_out(item) for item in checklist.items.all()],
    )


class TemplateItemOut(Schema):
    text: str
    text_ja: str
    text_en: str


class ChecklistTemplateOut(Schema):
    id: int
    slug: str
    name: str
    name_ja: str
    name_en: str
    role: str | None
    severities: list[int] = Field(description="Severity levels (empty: every severity).")
    attach_on_declare: bool
    items: list[TemplateItemOut]


def template_out(template: ChecklistTemplate) -> ChecklistTemplateOut:
    return ChecklistTemplateOut(
        id=template.pk,
        slug=template.slug,
        name=template.name,
        name_ja=template.name_ja,
        name_en=template.name_en,
        role=template.role.slug if template.role else None,
        severities=sorted(severity.level for severity in template.severities.all()),
        attach_on_declare=template.attach_on_declare,
        items=[
            TemplateItemOut(text=item.text, text_ja=item.text_ja, text_en=item.text_en)
            for item in template.items.all()
        ],
    )
