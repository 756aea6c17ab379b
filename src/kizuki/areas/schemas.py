"""What the response areas API takes and answers."""

from datetime import datetime

from ninja import Schema
from pydantic import Field

from kizuki.areas import queries
from kizuki.areas.models import Absence, AreaLead, ResponseArea
from kizuki.core.schemas import PageOut


class AreaIn(Schema):
    slug: str = Field(description="Letters, digits, hyphens and underscores; unique.")
    name_ja: str
    name_en: str
    description_ja: str = Field("", description="The area's duties, in Japanese.")
    description_en: str = Field("", description="The area's duties, in English.")
    position: int = Field(0, description="Areas are listed by position, then slug.")
    owner: str | None = Field(None, description="The owner's username.")
    team: str | None = Field(None, description="The team's slug.")
    deputies: list[str] = Field(
        default_factory=list,
        description="Usernames in the order they are asked, at most four; not the owner.",
    )


class AreaPatch(Schema):
    """Only the fields sent change; `deputies` replaces the whole ordered list; owner or team
    set to null is cleared."""

    slug: str | None = None
    name_ja: str | None = None
    name_en: str | None = None
    description_ja: str | None = None
    description_en: str | None = None
    position: int | None = None
    owner: str | None = None
    team: str | None = None
    deputies: list[str] | None = None


class ChainStepOut(Schema):
    username: str
    rank: int = Field(description="0: the owner; 1 to 4: the deputy's rank.")
    state: str = Field(description='"lead", "standby", "absent" or "unreachable".')


class AreaOut(Schema):
    id: int
    slug: str
    name: str = Field(description="In the reader's language.")
    name_ja: str
    name_en: str
    description_ja: str
    description_en: str
    position: int
    owner: str | None
    team: str | None
    deputies: list[str] = Field(description="Usernames, rank 1 first.")
    lead: str | None = Field(description="Who would lead the area now (None: nobody can).")
    chain: list[ChainStepOut] = Field(description="Everyone the area would ask now, in order.")


def area_out(lead: queries.Lead) -> AreaOut:
    area: ResponseArea = lead.area
    return AreaOut(
        id=area.pk,
        slug=area.slug,
        name=area.name,
        name_ja=area.name_ja,
        name_en=area.name_en,
        description_ja=area.description_ja,
        description_en=area.description_en,
        position=area.position,
        owner=area.owner.username if area.owner else None,
        team=area.team.slug if area.team else None,
        deputies=[user.username for user in queries.deputies_of(area)],
        lead=lead.user.username if lead.user else None,
        chain=[
            ChainStepOut(username=step.user.username, rank=step.rank, state=step.state)
            for step in lead.chain
        ],
    )


class AbsenceIn(Schema):
    user: str | None = Field(None, description="Whose absence (username); yourself if omitted.")
    starts_at: datetime = Field(description="With its time zone.")
    ends_at: datetime = Field(description="With its time zone; after starts_at.")
    note: str = ""


class AbsenceOut(Schema):
    id: int
    user: str
    starts_at: datetime
    ends_at: datetime
    note: str


class AbsencePage(PageOut[AbsenceOut]):
    pass


class AbsenceQuery(Schema):
    user: str | None = Field(None, description="Only this person's absences (username).")
    current: bool = Field(False, description="Only absences not over yet.")


def absence_out(absence: Absence) -> AbsenceOut:
    return AbsenceOut(
        id=absence.pk,
        user=absence.user.username,
        starts_at=absence.starts_at,
        ends_at=absence.ends_at,
        note=absence.note,
    )


class AreaLeadOut(Schema):
    area: int
    slug: str
    name: str
    lead: str | None
    proposed: str | None = Field(description="Whom Kizuki proposed on declaration.")
    chain: list[ChainStepOut]
    proposed_at: datetime
    changed_by: str | None
    changed_at: datetime | None


class AreaLeadIn(Schema):
    lead: str | None = Field(description="The username of the new lead; null: nobody for now.")


def area_lead_out(found: AreaLead) -> AreaLeadOut:
    return AreaLeadOut(
        area=found.area_id,
        slug=found.area.slug,
        name=found.area.name,
        lead=found.lead.username if found.lead else None,
        proposed=found.proposed.username if found.proposed else None,
        chain=[
            ChainStepOut(
                username=str(step.get("username", "")),
                rank=int(step.get("rank", 0)),
                state=str(step.get("state", "")),
            )
            for step in found.chain
        ],
        proposed_at=found.proposed_at,
        changed_by=found.changed_by.username if found.changed_by else None,
        changed_at=found.changed_at,
    )
