"""Who is talking to us from Slack: a Slack user id, their name, and the matching Kizuki user.

Slack users are matched to Kizuki users by e-mail address (users.info needs the
`users:read.email` scope). What costs a call to Slack — the profile — is cached for a while;
the Kizuki side is looked up on every request, so a changed role or a deactivated account
counts at once."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from kizuki.accounts.models import User
from kizuki.accounts.queries import active_user_by_email

PROFILE_SECONDS = 600


@dataclass(frozen=True)
class SlackPerson:
    slack_id: str
    name: str
    email: str
    user: User | None  # None: no active Kizuki user has this e-mail address

    @property
    def language(self) -> str:
        return (self.user.language if self.user else "") or settings.LANGUAGE_CODE


def _profile(client: WebClient, slack_id: str) -> tuple[str, str]:
    """(display name, e-mail) from users.info; a user Slack does not know has neither."""
    key = f"kizuki:slack-profile:{client.base_url}:{slack_id}"
    cached = cache.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    try:
        answer = client.users_info(user=slack_id)
    except SlackApiError:
        # A deleted user, a bot or a foreign workspace: known by id only, not cached.
        return slack_id, ""
    user = answer.get("user") or {}
    profile = user.get("profile") or {}
    name = str(
        profile.get("display_name") or profile.get("real_name") or user.get("name") or slack_id
    )
    found = (name, str(profile.get("email") or ""))
    cache.set(key, found, PROFILE_SECONDS)
    return found


def person(client: WebClient, slack_id: str) -> SlackPerson:
    name, email = _profile(client, slack_id) if slack_id else ("", "")
    return SlackPerson(slack_id, name, email, active_user_by_email(email))


def name_of(client: WebClient, slack_id: str) -> str:
    return _profile(client, slack_id)[0] if slack_id else ""


@contextmanager
def speaking_to(someone: SlackPerson) -> Iterator[None]:
    """Write replies in the person's Kizuki language, else KIZUKI_LANGUAGE."""
    with translation.override(someone.language):
        yield
