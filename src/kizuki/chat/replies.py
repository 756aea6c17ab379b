"""Answering people in Slack: refusals worded the same everywhere, ephemeral notes, and Slack
calls made after the work is done, which may fail without undoing it."""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from kizuki.chat.access import no_account_hint
from kizuki.chat.users import SlackPerson
from kizuki.core.errors import DomainError, NotAllowed

logger = logging.getLogger(__name__)


def refusal(error: DomainError, someone: SlackPerson) -> str:
    """The domain error's detail; a refusal also says why someone without an account is
    refused and what they may still do."""
    hint = no_account_hint(someone) if isinstance(error, NotAllowed) else ""
    return " ".join(filter(None, [f":warning: {error.detail}", hint]))


def slack_failure(error: SlackApiError) -> str:
    return _(":warning: Slack refused: %(error)s.") % {"error": error.response.get("error")}


def best_effort(what: str, call: Callable[[], object]) -> None:
    """A Slack call after the work is done (a thank-you, a confirmation): if Slack refuses,
    the work stands and the failure is logged rather than reported to Slack as an error."""
    try:
        call()
    except SlackApiError as error:
        logger.warning("Slack: could not %s: %s", what, error.response.get("error"))


def tell(client: WebClient, channel: str, someone: SlackPerson, text: str) -> None:
    """A message only `someone` sees, in the channel they acted in."""
    best_effort(
        "answer in the channel",
        lambda: client.chat_postEphemeral(channel=channel, user=someone.slack_id, text=text),
    )


@contextmanager
def for_the_record() -> Iterator[None]:
    """Texts Kizuki stores (a description, a timeline line) are in KIZUKI_LANGUAGE, whoever
    happened to trigger them."""
    with translation.override(settings.LANGUAGE_CODE):
        yield
