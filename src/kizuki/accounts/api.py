"""REST endpoints for API tokens: list, create (the secret is answered once), revoke."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from kizuki.accounts import actions, queries
from kizuki.accounts.access import access_token, access_tokens_of
from kizuki.accounts.schemas import (
    TokenCreated,
    TokenIn,
    TokenOut,
    TokenPage,
    token_created,
    token_out,
)
from kizuki.core.errors import InvalidInput
from kizuki.core.paging import PageQuery, page_of

router = Router(tags=["tokens"])


class TokenQuery(PageQuery):
    user: str = ""


@router.get(
    "/tokens",
    response=TokenPage,
    description="Your API tokens, newest first, revoked and expired ones included."
    " Admins may pass ?user= to see someone else's.",
)
def list_tokens(request: HttpRequest, paging: Query[TokenQuery]) -> TokenPage:
    _requester, owner = access_tokens_of(request.user, paging.user)
    part = page_of(queries.tokens_of(owner), paging.page, paging.page_size, 200)
    for token in part.items:
        token.user = owner  # the list is one person's: no query per token
    return TokenPage(**part.fields([token_out(token) for token in part.items]))


@router.post("/tokens", response={201: TokenCreated})
def create_token(request: HttpRequest, body: TokenIn) -> Status[TokenCreated]:
    requester, owner = access_tokens_of(request.user, body.user)
    if body.expires_in_days is not None and body.expires_at is not None:
        raise InvalidInput(_("Give expires_in_days or expires_at, not both."))
    expires_at = body.expires_at
    if body.expires_in_days is not None:
        expires_at = actions.expiry_in_days(body.expires_in_days)
    if expires_at is not None and expires_at.tzinfo is None:
        raise InvalidInput(_("expires_at needs a time zone, e.g. 2027-01-31T00:00:00Z."))
    token, secret = actions.create_token(owner, body.name, requester, expires_at=expires_at)
    return Status(201, token_created(token, secret))


@router.delete("/tokens/{token_id}", response=TokenOut, description="Revoke a token.")
def revoke_token(request: HttpRequest, token_id: int) -> TokenOut:
    requester, token = access_token(request.user, token_id)
    return token_out(actions.revoke_token(token, requester))
