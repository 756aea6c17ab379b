"""The "my notification rules" page, used the way a browser would: GETs, form POSTs,
following redirects, and the test-notification button going out through the worker."""

import pytest
from django.core import mail
from django.test import Client

from kizuki.accounts.models import User
from kizuki.notify import actions
from kizuki.notify.models import NotificationRule
from kizuki.oncall.models import Escalation
from tests.conftest import MovableClock, make_user
from tests.notify.support import run_worker, webhook_server

pytestmark = pytest.mark.django_db
PAGE = "/account/notifications/"


def browser(user: User | None, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    if user is not None:
        client.force_login(user)
    return client


def test_the_page_lists_my_rules_and_adds_new_ones(responder: User) -> None:
    web = browser(responder)
    page = web.get(PAGE)
    assert page.status_code == 200
    assert "No rules yet: pages go to rei@example.test." in page.content.decode()

    added = web.post(
        PAGE,
        {"method": "email", "address": "rei.phone@example.test", "delay_minutes": "5"},
        follow=True,
    )
    assert "Notification rule added." in added.content.decode()
    assert "rei.phone@example.test" in added.content.decode()
    rule = NotificationRule.objects.get()
    assert (rule.user, rule.method, rule.delay_minutes) == (responder, "email", 5)


def test_bad_rules_show_why_and_save_nothing(responder: User) -> None:
    web = browser(responder)
    page = web.post(PAGE, {"method": "apprise", "address": "nonsense", "delay_minutes": "0"})
    assert page.status_code == 200
    assert "Apprise does not accept this URL" in page.content.decode()
    page = web.post(PAGE, {"method": "email", "address": "", "delay_minutes": "-3"})
    assert "greater than or equal to 0" in page.content.decode()
    assert not NotificationRule.objects.exists()


def test_rules_are_moved_up_and_removed(responder: User, viewer: User) -> None:
    first = actions.add_rule(responder, responder, "email")
    second = actions.add_rule(responder, responder, "email", "b@example.test", 3)
    web = browser(responder)
    web.post(f"{PAGE}{second.pk}/up/")
    assert [r.pk for r in NotificationRule.objects.order_by("position")] == [second.pk, first.pk]
    web.post(f"{PAGE}{first.pk}/remove/")
    assert list(NotificationRule.objects.values_list("pk", flat=True)) == [second.pk]

    # Someone else's rule is not found from my page, and stays.
    assert browser(viewer).post(f"{PAGE}{second.pk}/remove/").status_code == 404
    assert browser(viewer).post(f"{PAGE}{second.pk}/up/").status_code == 404
    assert NotificationRule.objects.filter(pk=second.pk).exists()


@pytest.mark.usefixtures("loopback_allowed")
def test_the_test_button_pages_me_through_every_rule_at_once(
    responder: User, frozen_clock: MovableClock
) -> None:
    with webhook_server() as (port, hook):
        actions.add_rule(responder, responder, "email")
        actions.add_rule(responder, responder, "apprise", f"json://127.0.0.1:{port}/", 15)
        page = browser(responder).post(f"{PAGE}test/", follow=True)
        assert "Test notification queued: 2 messages go out within seconds." in (
            page.content.decode()
        )
        run_worker()
    assert [m.to for m in mail.outbox] == [["rei@example.test"]]
    assert "Test notification for rei" in mail.outbox[0].subject
    assert len(hook.requests) == 1  # the rule's 15-minute delay does not apply to a test
    escalation = Escalation.objects.get()
    assert list(escalation.events.values_list("kind", flat=True)) == ["triggered", "sent", "sent"]


def test_without_any_way_to_reach_me_the_test_button_says_so(db: None) -> None:
    mute = User.objects.create(username="mute", org_role="responder")
    page = browser(mute).post(f"{PAGE}test/", follow=True)
    assert "mute has no notification rules and no e-mail address." in page.content.decode()
    assert not Escalation.objects.exists()


def test_the_page_needs_a_login_and_speaks_japanese(responder: User) -> None:
    assert browser(None).get(PAGE).status_code == 302
    assert browser(None).post(f"{PAGE}test/").status_code == 302
    page = browser(make_user("yui", "viewer"), "ja").get(PAGE)
    assert "通知ルール" in page.content.decode()


@pytest.mark.usefixtures("loopback_allowed")
def test_the_page_shows_apprise_urls_masked_and_pages_still_use_them(
    responder: User, frozen_clock: MovableClock
) -> None:
    web = browser(responder)
    with webhook_server() as (port, hook):
        url = f"json://127.0.0.1:{port}/pager/s3cret"
        added = web.post(PAGE, {"method": "apprise", "address": url, "delay_minutes": "0"})
        assert added.status_code == 302
        web.post(
            PAGE, {"method": "email", "address": "rei.phone@example.test", "delay_minutes": "5"}
        )
        page = web.get(PAGE).content.decode()
        assert f"json://127.0.0.1:{port}/***" in page
        assert "rei.phone@example.test" in page  # e-mail addresses stay visible
        assert "s3cret" not in page
        assert "/pager" not in page

        # The stored URL is whole: the test button pages through it.
        assert web.post("/account/notifications/test/").status_code == 302
        run_worker()
        assert [request["path"] for request in hook.requests] == ["/pager/s3cret"]
