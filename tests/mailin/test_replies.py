"""The thank-you mail tells the truth about paging, as the web's thank-you page does: who is
being paged, or that nobody is and whom to call instead."""

from typing import Any

import pytest
from django.core.mail import EmailMessage as SentMessage

from kizuki.accounts.models import User
from tests.conftest import Api, MovableClock, make_user
from tests.mailin.support import MailIn, message, only_incident, reply_to
from tests.notify.support import create_policy, step

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mail_settings(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"
    settings.KIZUKI_BASE_URL = "http://kizuki.example.test"
    settings.KIZUKI_MAIL_ALLOWED_DOMAINS = frozenset({"partner.example.test"})


def test_the_reply_names_who_is_being_paged(
    mail_in: MailIn,
    responder: User,
    admin_api: Api,
    mailoutbox: list[SentMessage],
    frozen_clock: MovableClock,
) -> None:
    aoi = make_user("aoi", "responder")
    aoi.first_name = "Aoi Sato"
    aoi.save()
    triage = create_policy(admin_api, "Triage", [step(("user", "aoi"))])
    assert admin_api.patch("/paging-settings", {"triage_policy": triage["id"]}).status_code == 200

    mail_in(message("rei@example.test"))

    thanks = reply_to(mailoutbox, "rei@example.test")
    assert "Paging now: Aoi Sato" in thanks.body
    assert "nobody has been paged" not in thanks.body


def test_with_nobody_on_call_the_reply_says_so_and_whom_to_contact(
    mail_in: MailIn, responder: User, admin: User, mailoutbox: list[SentMessage]
) -> None:
    mail_in(message("rei@example.test"))

    body = reply_to(mailoutbox, "rei@example.test").body
    assert (
        "Nobody is on call for this report, so nobody has been paged. Please contact an"
        " administrator directly:"
    ) in body
    assert f"- {admin.username} <{admin.email}>" in body
    assert "The responders have it now" not in body
    assert (
        f"Follow the incident: http://kizuki.example.test/incidents/{only_incident().ref}/" in body
    )


def test_a_stranger_is_not_given_the_admins_addresses(
    mail_in: MailIn, admin: User, mailoutbox: list[SentMessage]
) -> None:
    mail_in(message("buyer@partner.example.test"))

    body = reply_to(mailoutbox, "buyer@partner.example.test").body
    assert "so nobody has been paged. Please also call the person you usually contact." in body
    assert admin.email not in body
