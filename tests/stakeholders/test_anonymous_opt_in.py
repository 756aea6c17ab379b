"""Anonymous subscriptions on a public status page: double opt-in by a mailed link, expiry of
requests never confirmed, and a rate limit per client and per address."""

import re
from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.test import Client

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from kizuki.core import periodic
from kizuki.stakeholders.models import Subscription
from tests.conftest import Api, MovableClock
from tests.jobs import run_queued_jobs, run_worker
from tests.stakeholders.support import tell_stakeholders

pytestmark = pytest.mark.django_db

FORM = {"email": "guest@example.test", "service": "checkout"}


@pytest.fixture(autouse=True)
def public(settings: Any) -> None:
    settings.KIZUKI_STATUS_PAGE_PUBLIC = True


def visitor(ip: str = "203.0.113.7") -> Client:
    return Client(headers={"Accept-Language": "en"}, REMOTE_ADDR=ip)


def ask(form: dict[str, str] = FORM, ip: str = "203.0.113.7") -> Any:
    return visitor(ip).post("/status/subscribe/", form, follow=True)


def confirm_link(mail: EmailMessage) -> str:
    found = re.search(r"http://127\.0\.0\.1:8000(/status/confirm/\S+/)", str(mail.body))
    assert found, mail.body
    return found.group(1)


def to(outbox: list[EmailMessage], address: str) -> list[EmailMessage]:
    return [mail for mail in outbox if mail.to == [address]]


def test_an_anonymous_subscriber_gets_updates_only_once_they_confirm(
    frozen_clock: MovableClock, api: Api, sev2: str, service: Service, mailoutbox: Any
) -> None:
    page = ask().content.decode()
    assert "We sent a link to guest@example.test" in page
    run_queued_jobs()
    [mail] = mailoutbox
    assert mail.subject == "Confirm your subscription to status updates"
    assert "incidents affecting Checkout" in mail.body

    # Unconfirmed: stakeholder updates are not sent to the address.
    tell_stakeholders(api, sev2, "Investigating")
    run_worker()
    assert to(mailoutbox, "guest@example.test") == [mail]

    # Opening the link only asks (mail scanners open links); the button confirms.
    link = confirm_link(mail)
    opened = visitor().get(link).content.decode()
    assert "Start these updates" in opened
    assert not Subscription.objects.get().is_active
    done = visitor().post(link).content.decode()
    assert "Confirmed: you will receive these updates." in done

    tell_stakeholders(api, sev2, "Mitigated", plain_text="Payments work again.")
    run_worker()
    [_confirmation, update] = to(mailoutbox, "guest@example.test")
    assert "Payments work again." in update.body


def test_a_logged_in_user_subscribing_their_own_address_needs_no_confirmation(
    viewer: User, service: Service, mailoutbox: Any
) -> None:
    client = visitor()
    client.force_login(viewer)
    client.post("/status/subscribe/", {"email": viewer.email, "service": "checkout"})
    run_queued_jobs()
    assert mailoutbox == []
    assert Subscription.objects.get().is_active


def test_an_unconfirmed_request_expires_after_seven_days(
    frozen_clock: MovableClock, service: Service, mailoutbox: Any
) -> None:
    ask()
    run_queued_jobs()
    link = confirm_link(mailoutbox[0])

    frozen_clock.advance(days=7, seconds=1)
    expired = visitor().post(link)
    assert expired.status_code == 404
    assert "expired" in expired.content.decode()
    run_worker()  # the worker's clean-up drops the request
    assert not Subscription.objects.exists()


def test_only_the_latest_link_confirms(
    frozen_clock: MovableClock, service: Service, mailoutbox: Any
) -> None:
    ask()
    run_queued_jobs()
    frozen_clock.advance(minutes=1)
    ask()
    run_queued_jobs()
    first, second = (confirm_link(mail) for mail in mailoutbox)
    assert visitor().post(first).status_code == 404
    assert visitor().post(second).status_code == 200
    assert Subscription.objects.get().is_active


@pytest.mark.parametrize("token", ["1", "1.2:forged", "abc", "999.1:x"])
def test_a_forged_confirmation_link_is_a_404(token: str, service: Service) -> None:
    ask()
    assert visitor().post(f"/status/confirm/{token}/").status_code == 404
    assert not Subscription.objects.get().is_active


def test_an_address_already_subscribed_gets_the_same_answer_and_no_mail(
    viewer: User, service: Service, mailoutbox: Any
) -> None:
    client = visitor()
    client.force_login(viewer)
    client.post("/status/subscribe/", {"email": "guest@example.test", "service": "checkout"})
    page = ask().content.decode()
    assert "We sent a link to guest@example.test" in page  # no hint who is subscribed
    run_queued_jobs()
    assert mailoutbox == []


def test_five_requests_an_hour_to_one_address(
    frozen_clock: MovableClock, service: Service, mailoutbox: Any
) -> None:
    for number in range(5):
        assert ask(ip=f"198.51.100.{number}").status_code == 200
    refused = visitor("198.51.100.99").post("/status/subscribe/", FORM)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3601"
    assert "Too many subscribe requests" in refused.content.decode()
    run_queued_jobs()
    assert len(mailoutbox) == 5

    frozen_clock.advance(hours=1)
    assert ask(ip="198.51.100.99").status_code == 200


def test_twenty_requests_an_hour_from_one_client(
    frozen_clock: MovableClock, service: Service
) -> None:
    for number in range(20):
        assert ask({"email": f"guest{number}@example.test"}).status_code == 200
        frozen_clock.advance(minutes=1)
    refused = visitor().post("/status/subscribe/", {"email": "one-more@example.test"})
    assert refused.status_code == 429
    # Free again when the first request leaves the hour: 40 minutes from now.
    assert refused["Retry-After"] == str(40 * 60 + 1)
    assert ask({"email": "other@example.test"}, ip="203.0.113.8").status_code == 200


def test_the_worker_runs_the_clean_up() -> None:
    names = [job.__name__ for job in periodic.jobs()]
    assert "expire_unconfirmed" in names
