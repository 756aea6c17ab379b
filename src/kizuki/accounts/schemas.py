"""API shapes of API tokens."""

from datetime import UTC, datetime

from ninja import Field, Schema

from kizuki.accounts.actions import MAX_TOKEN_DAYS, MAX_TOKEN_NAME
from kizuki.accounts.models import ApiToken
from kizuki.accounts.queries import token_state
from kizuki.core.schemas import PageOut, utc


class TokenIn(Schema):
    name: str = Field("", max_length=MAX_TOKEN_NAME)
    # One of the two, or neither for a token that works until it is revoked.
    expires_in_days: int | None = Field(None, ge=1, le=MAX_TOKEN_DAYS)
    expires_at: datetime | None = None
    # Admins only: make the token for this person instead of themselves.
    user: str = ""


class TokenOut(Schema):
    id: int
    user: str
    name: str
    prefix: str
    state: str = Field(description="active, expired or revoked")
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenOut):
    token: str = Field(description="The secret. Shown only in this answer: store it now.")


class TokenPage(PageOut[TokenOut]):
    pass


def token_out(token: ApiToken) -> TokenOut:
    return TokenOut(
        id=token.pk,
        user=token.user.username,
        name=token.name,
        prefix=token.prefix,
        state=token_state(token),
        created_at=token.created_at.astimezone(UTC),
        last_used_at=utc(token.last_used_at),
        expires_at=utc(token.expires_at),
        revoked_at=utc(token.revoked_at),
    )


def token_created(token: ApiToken, secret: str) -> TokenCreated:
    return TokenCreated(**token_out(token).model_dump(), token=secret)
