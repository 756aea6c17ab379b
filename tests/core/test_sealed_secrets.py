"""Secrets stored sealed: an Apprise URL given through the API is not in the database in
plain text but works as before; `kizuki secrets rotate` moves every value to the newest key,
after which the old key can go; `kizuki secrets check` names values no key opens, and pages
keep answering meanwhile."""

import importlib
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from kizuki.accounts.models import User
from kizuki.notify.models import NotificationRule
from kizuki.stakeholders import actions as stakeholders
from kizuki.stakeholders.models import Kind, Subscription
from tests.conftest import Api
from tests.notify.support import add_rule

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loopback_allowed")]

OLD = "old-key-" + "o" * 40
NEW = "new-key-" + "n" * 40
URL = "json://127.0.0.1:9/hook?token=s3cret-token"
SHOWN = "json://127.0.0.1:9/***"  # the API lists Apprise URLs masked, once opened


def stored(table: str) -> list[str]:
    """The address column as it is in the database, read past the model."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT address FROM {table} ORDER BY id")  # noqa: S608 - fixed names
        return [row[0] for row in cursor.fetchall()]


def rules(api: Api, user: User) -> list[str]:
    response = api.get(f"/users/{user.username}/notification-rules")
    assert response.status_code == 200
    return [rule["address"] for rule in response.json()]


def secrets(*argv: str) -> str:
    out = StringIO()
    call_command("secrets", *argv, stdout=out)
    return out.getvalue()


def test_apprise_urls_are_sealed_at_rest_and_read_back(admin_api: Api, responder: User) -> None:
    add_rule(admin_api, responder, "apprise", URL)
    add_rule(admin_api, responder, "email", "pager@example.test")
    apprise, email = stored("notify_notificationrule")
    assert apprise.startswith("sealed:v1:")
    assert "s3cret" not in apprise
    assert email == "pager@example.test"  # e-mail addresses stay plain, and searchable
    assert rules(admin_api, responder) == [SHOWN, "pager@example.test"]
    assert [rule.address for rule in NotificationRule.objects.order_by("id")] == [
        URL,
        "pager@example.test",
    ]


def test_the_same_apprise_url_is_still_one_subscription(admin: User) -> None:
    first, new = stakeholders.subscribe(admin, Kind.APPRISE, URL)
    again, new_again = stakeholders.subscribe(admin, Kind.APPRISE, URL)
    assert (new, new_again) == (True, False)
    assert first.pk == again.pk
    assert Subscription.objects.get(address=URL).pk == first.pk
    (raw,) = stored("stakeholders_subscription")
    assert "s3cret" not in raw


def test_rotating_to_a_new_key_then_dropping_the_old_one(
    settings: object, admin_api: Api, responder: User
) -> None:
    settings.KIZUKI_ENCRYPTION_KEYS = OLD  # type: ignore[attr-defined]
    add_rule(admin_api, responder, "apprise", URL)
    (before,) = stored("notify_notificationrule")

    settings.KIZUKI_ENCRYPTION_KEYS = f"{NEW},{OLD}"  # type: ignore[attr-defined]
    assert rules(admin_api, responder) == [SHOWN]  # the old key still opens it
    assert "notify_notificationrule.address: 1 sealed again, 0 unreadable" in secrets("rotate")
    (after,) = stored("notify_notificationrule")
    assert after != before
    assert "notify_notificationrule.address: 0 sealed again" in secrets("rotate")

    settings.KIZUKI_ENCRYPTION_KEYS = NEW  # type: ignore[attr-defined]
    assert rules(admin_api, responder) == [SHOWN]
    assert "notify_notificationrule.address: 0 unreadable" in secrets("check")


def test_a_value_no_key_opens_is_reported_and_pages_still_answer(
    settings: object, admin_api: Api, responder: User
) -> None:
    settings.KIZUKI_ENCRYPTION_KEYS = OLD  # type: ignore[attr-defined]
    add_rule(admin_api, responder, "apprise", URL)
    settings.KIZUKI_ENCRYPTION_KEYS = NEW  # type: ignore[attr-defined]

    with pytest.raises(CommandError, match="cannot be opened"):
        secrets("check")
    (shown,) = rules(admin_api, responder)
    assert shown.startswith("sealed:v1:")  # left as stored: never the URL, never a 500
    web = Client()
    web.force_login(responder)
    assert web.get("/account/notifications/").status_code == 200


def test_generated_keys_are_long_and_new() -> None:
    first, second = secrets("generate-key").strip(), secrets("generate-key").strip()
    assert len(first) >= 32
    assert first != second


def seal_step(app: str, migration: str) -> Callable[[Any, Any], None]:
    """The data step of a migration that sealed a column stored plain until then."""
    module = importlib.import_module(f"kizuki.{app}.migrations.{migration}")
    step: Callable[[Any, Any], None] = module.seal_apprise_urls
    return step


def test_the_migrations_seal_urls_stored_plain_in_batches(responder: User, admin: User) -> None:
    rules = [
        NotificationRule(user=responder, position=n, method="apprise", address=f"{URL}-{n}")
        for n in range(501)  # one more than a batch
    ]
    NotificationRule.objects.bulk_create([*rules, NotificationRule(user=responder, method="email")])
    stakeholders.subscribe(admin, Kind.APPRISE, URL)
    stakeholders.subscribe(admin, Kind.EMAIL, "sales@example.test")
    with connection.cursor() as cursor:  # as stored before the columns were sealed
        cursor.execute(
            "UPDATE notify_notificationrule SET address = %s WHERE method = 'apprise'", [URL]
        )
        cursor.execute(
            "UPDATE stakeholders_subscription SET address = %s WHERE kind = 'apprise'", [URL]
        )

    seal_step("notify", "0002_apprise_urls_sealed")(apps, connection.schema_editor())
    seal_step("stakeholders", "0003_apprise_urls_sealed")(apps, connection.schema_editor())

    sealed_rules = stored("notify_notificationrule")
    assert all(raw.startswith("sealed:v1:") for raw in sealed_rules[:501])
    assert sealed_rules[501] == ""
    assert set(
        NotificationRule.objects.filter(method="apprise").values_list("address", flat=True)
    ) == {URL}
    assert sorted(stored("stakeholders_subscription"))[0] == "sales@example.test"
    assert Subscription.objects.get(kind=Kind.APPRISE).address == URL
    assert "s3cret" not in str(stored("stakeholders_subscription"))
